using System;
using System.Collections;
using System.Management.Automation;

namespace OpenAIImages.Infrastructure
{
    /// <summary>
    /// What -Prompt takes: text, or an object that carries its prompt (a CSV row or any object with a Prompt property,
    /// a hashtable with a Prompt key). Anything else is refused while it is bound, an error for that pipeline item,
    /// instead of PowerShell turning it into text such as "@{Text=A frog}" or "System.Collections.Hashtable" and a
    /// paid request for an image of that.
    /// </summary>
    /// <remarks>
    /// An object from the pipeline meets this when PowerShell binds it to -Prompt by value, before it would try the
    /// object's Prompt property by name; that is why the property is read here too.
    /// </remarks>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class PromptTransformationAttribute : ArgumentTransformationAttribute
    {
        public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
        {
            object? value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
            switch (value)
            {
                case null:
                case string _:
                    return value;
                case IDictionary table:
                    foreach (DictionaryEntry entry in table)
                    {
                        if (entry.Key is string key && key.Equals("Prompt", StringComparison.OrdinalIgnoreCase)) return Text(entry.Value);
                    }
                    throw NotAPrompt("A hashtable without a Prompt key");
            }
            var property = PSObject.AsPSObject(inputData).Properties["Prompt"];
            if (property != null) return Text(property.Value);
            throw NotAPrompt($"A {value.GetType().Name} without a Prompt property");
        }

        private static string Text(object? value)
        {
            object? inner = value is PSObject wrapped ? wrapped.BaseObject : value;
            if (inner is string text) return text;
            throw NotAPrompt($"A Prompt of type {inner?.GetType().Name ?? "null"}");
        }

        private static ArgumentTransformationMetadataException NotAPrompt(string what) =>
            new ArgumentTransformationMetadataException($"{what} is not a prompt. Give text, or pipe strings or objects (such as CSV rows) with a Prompt property.");
    }
}
