using System;
using System.Management.Automation;

namespace OpenAIImages.Infrastructure
{
    /// <summary>
    /// An empty or blank text (an empty CSV cell bound by property name) becomes the parameter's default, so a sheet can
    /// set a column on some rows only; any other value is left to PowerShell's own conversion.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class BlankAsDefaultAttribute : ArgumentTransformationAttribute
    {
        private readonly object? _default;

        public BlankAsDefaultAttribute(object? defaultValue) => _default = defaultValue;

        public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData) =>
            (inputData is PSObject wrapped ? wrapped.BaseObject : inputData) is string text && string.IsNullOrWhiteSpace(text) ? _default : inputData;
    }
}
