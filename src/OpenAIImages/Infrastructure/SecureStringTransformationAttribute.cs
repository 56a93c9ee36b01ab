using System;
using System.Management.Automation;
using System.Security;

namespace OpenAIImages.Infrastructure
{
    /// <summary>
    /// Lets -ApiKey take a plain string as well as a SecureString, as users have keys in both forms; the string is
    /// turned into a SecureString at once, so only one form travels further.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class SecureStringTransformationAttribute : ArgumentTransformationAttribute
    {
        public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
        {
            object? value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
            if (value is string text)
            {
                var secure = new SecureString();
                foreach (char c in text) secure.AppendChar(c);
                secure.MakeReadOnly();
                return secure;
            }
            return value;
        }
    }
}
