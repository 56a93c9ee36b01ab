using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using OpenAIImages.Engine.Http;
using OpenAIImages.Engine.Models;

namespace OpenAIImages.Infrastructure
{
    /// <summary>
    /// Tab completion for -Model and for the parameters whose values depend on the model (-Size, -Quality, -Style,
    /// -Background, -OutputFormat, -Moderation, -ResponseFormat). Everything comes from the model table; when the
    /// command line already names a model, only that model's values are offered.
    /// </summary>
    public sealed class ModelArgumentCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var endpoint = EndpointOf(commandName);
            string word = (wordToComplete ?? "").Trim('\'', '"');
            if (string.Equals(parameterName, "Model", StringComparison.OrdinalIgnoreCase))
            {
                // Models api.openai.com still serves come first; the others say so where the user looks.
                return ModelCatalog.For(endpoint)
                    .Where(m => m.Name.StartsWith(word, StringComparison.OrdinalIgnoreCase))
                    .Select(m => new CompletionResult(m.Name, m.Name, CompletionResultType.ParameterValue,
                        ModelCatalog.IsShutDown(m, DateTimeOffset.UtcNow) ? $"{m.Name}: shut down on api.openai.com; for Azure OpenAI and compatible servers" : m.Name));
            }
            var model = ModelCatalog.Find(fakeBoundParameters?["Model"] as string
                ?? ConnectionResolver.DefaultModel(Environment.GetEnvironmentVariable,
                    endpoint == ImageEndpoints.Variations ? ModelCatalog.DefaultVariationModel : ModelCatalog.DefaultModel));
            var models = model != null ? new[] { model } : ModelCatalog.For(endpoint).ToArray();
            return models.SelectMany(m => ValuesOf(m, parameterName, endpoint)).Distinct(StringComparer.OrdinalIgnoreCase)
                .Where(v => v.StartsWith(word, StringComparison.OrdinalIgnoreCase))
                .Select(v => new CompletionResult(v, v, CompletionResultType.ParameterValue, v));
        }

        private static ImageEndpoints EndpointOf(string commandName)
        {
            if (commandName != null && commandName.IndexOf("Variation", StringComparison.OrdinalIgnoreCase) >= 0) return ImageEndpoints.Variations;
            if (commandName != null && commandName.StartsWith("Edit", StringComparison.OrdinalIgnoreCase)) return ImageEndpoints.Edits;
            return ImageEndpoints.Generations;
        }

        private static IEnumerable<string> ValuesOf(ModelInfo model, string parameterName, ImageEndpoints endpoint) => parameterName.ToLowerInvariant() switch
        {
            "size" => model.Sizes,
            "quality" => model.Qualities,
            "style" => model.Styles,
            "background" => model.Backgrounds,
            "outputformat" => model.OutputFormats,
            "moderation" => model.Moderations,
            "inputfidelity" => model.SupportsInputFidelity ? new[] { "high", "low" } : System.Array.Empty<string>(),
            "responseformat" => endpoint == ImageEndpoints.Generations ? model.ResponseFormats : model.EditResponseFormats,
            _ => Array.Empty<string>(),
        };
    }
}
