using System;
using System.Collections.Generic;
using System.Linq;

namespace OpenAIImages.Engine.Models
{
    /// <summary>
    /// The one table of model rules, taken from the OpenAPI description of the Images API. Adding a model is adding
    /// a row; an unknown name is let through with generic checks, because new models and compatible servers appear
    /// faster than any release of this module.
    /// </summary>
    public static class ModelCatalog
    {
        public const string DefaultModel = "gpt-image-2";
        public const string DefaultVariationModel = "dall-e-2";

        private static readonly string[] GptQualities = { "low", "medium", "high", "auto" };
        private static readonly string[] GptFormats = { "png", "jpeg", "webp" };
        private static readonly string[] GptBackgrounds = { "transparent", "opaque", "auto" };
        private static readonly string[] GptModerations = { "low", "auto" };
        private static readonly string[] GptStandardSizes = { "auto", "1024x1024", "1536x1024", "1024x1536" };
        private static readonly string[] GptFreeSizeSuggestions =
            { "auto", "1024x1024", "1536x1024", "1024x1536", "2048x2048", "2048x1152", "1152x2048", "2560x1440", "1440x2560", "3840x2160", "2160x3840" };
        private static readonly string[] DallE2Sizes = { "256x256", "512x512", "1024x1024" };
        private static readonly string[] UrlOrBase64 = { "url", "b64_json" };
        private const long MiB = 1024L * 1024L;

        // Shutdown dates on api.openai.com, from OpenAI's deprecations page.
        private static readonly DateTimeOffset DallEShutdown = new DateTimeOffset(2026, 5, 12, 0, 0, 0, TimeSpan.Zero);
        private static readonly DateTimeOffset GptImage1Shutdown = new DateTimeOffset(2026, 10, 23, 0, 0, 0, TimeSpan.Zero);
        private static readonly DateTimeOffset GptImage15Shutdown = new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

        private static ModelInfo Gpt(string name, bool freeSize, bool inputFidelity = true, DateTimeOffset? shutdown = null, string? replacement = null) => new ModelInfo
        {
            Name = name,
            Family = ModelFamily.GptImage,
            Endpoints = ImageEndpoints.Generations | ImageEndpoints.Edits,
            Sizes = freeSize ? GptFreeSizeSuggestions : GptStandardSizes,
            FreeSize = freeSize ? new FreeSizeRule() : null,
            Qualities = GptQualities,
            MaxCount = 10,
            MaxPromptLength = 32000,
            OutputFormats = GptFormats,
            SupportsOutputCompression = true,
            Backgrounds = GptBackgrounds,
            Moderations = GptModerations,
            SupportsStreaming = true,
            SupportsInputFidelity = inputFidelity,
            MaxInputImages = 16,
            MaxInputImageBytes = 50 * MiB,
            ShutdownDate = shutdown,
            Replacement = replacement,
        };

        private static readonly ModelInfo[] Rows =
        {
            Gpt("gpt-image-2", freeSize: true),
            Gpt("gpt-image-2-2026-04-21", freeSize: true),
            Gpt("gpt-image-1.5", freeSize: false, shutdown: GptImage15Shutdown, replacement: "gpt-image-2"),
            Gpt("gpt-image-1.5-2025-12-16", freeSize: false, shutdown: GptImage15Shutdown, replacement: "gpt-image-2"),
            Gpt("gpt-image-1", freeSize: false, shutdown: GptImage1Shutdown, replacement: "gpt-image-2"),
            Gpt("gpt-image-1-mini", freeSize: false, inputFidelity: false, shutdown: GptImage15Shutdown, replacement: "gpt-image-2"),
            Gpt("chatgpt-image-latest", freeSize: false, shutdown: GptImage15Shutdown, replacement: "gpt-image-2"),
            new ModelInfo
            {
                Name = "dall-e-3",
                Family = ModelFamily.DallE3,
                Endpoints = ImageEndpoints.Generations,
                Sizes = new[] { "1024x1024", "1792x1024", "1024x1792" },
                Qualities = new[] { "standard", "hd", "auto" },
                MaxCount = 1,
                MaxPromptLength = 4000,
                Styles = new[] { "vivid", "natural" },
                ResponseFormats = UrlOrBase64,
                ShutdownDate = DallEShutdown,
                Replacement = "gpt-image-2",
            },
            new ModelInfo
            {
                Name = "dall-e-2",
                Family = ModelFamily.DallE2,
                Endpoints = ImageEndpoints.Generations | ImageEndpoints.Edits | ImageEndpoints.Variations,
                Sizes = DallE2Sizes,
                Qualities = new[] { "standard", "auto" },
                MaxCount = 10,
                MaxPromptLength = 1000,
                ResponseFormats = UrlOrBase64,
                EditResponseFormats = UrlOrBase64,
                MaxInputImages = 1,
                MaxInputImageBytes = 4 * MiB,
                InputMustBeSquarePng = true,
                ShutdownDate = DallEShutdown,
                Replacement = "gpt-image-2",
            },
        };

        private static readonly Dictionary<string, ModelInfo> ByName = Rows.ToDictionary(r => r.Name, StringComparer.OrdinalIgnoreCase);

        /// <summary>Every known model, newest first.</summary>
        public static IReadOnlyList<ModelInfo> All => Rows;

        /// <summary>The row for a model name, or null for a name the table does not know.</summary>
        public static ModelInfo? Find(string? name) => name != null && ByName.TryGetValue(name.Trim(), out var info) ? info : null;

        /// <summary>
        /// The name to send: the table's spelling for a known model (the API's model ids are case-sensitive, and the
        /// rules checked were that row's), otherwise the name as given, trimmed.
        /// </summary>
        internal static string WireName(string name) => Find(name)?.Name ?? name.Trim();

        /// <summary>The models that serve an endpoint, those api.openai.com still serves first.</summary>
        public static IEnumerable<ModelInfo> For(ImageEndpoints endpoint) => LiveFirst(Rows.Where(r => r.Supports(endpoint)), DateTimeOffset.UtcNow);

        /// <summary>Whether api.openai.com has shut the model down by <paramref name="now"/>.</summary>
        public static bool IsShutDown(ModelInfo model, DateTimeOffset now) => model.ShutdownDate is DateTimeOffset date && now >= date;

        /// <summary>The models in table order, those not shut down on api.openai.com first.</summary>
        public static IEnumerable<ModelInfo> LiveFirst(IEnumerable<ModelInfo> models, DateTimeOffset now) =>
            models.OrderBy(m => IsShutDown(m, now) ? 1 : 0);

        /// <summary>
        /// Models to suggest in a message: only those api.openai.com still serves; when there are none, the others,
        /// said to be for Azure OpenAI and compatible servers, so a message never sends a user to a retired model.
        /// </summary>
        public static string Suggest(IEnumerable<ModelInfo> models, DateTimeOffset now)
        {
            var all = models.ToList();
            var live = all.Where(m => !IsShutDown(m, now)).Select(m => m.Name).ToList();
            if (live.Count > 0) return string.Join(", ", live);
            return string.Join(", ", all.Select(m => m.Name)) + " (shut down on api.openai.com; for Azure OpenAI and compatible servers that still serve them)";
        }

        /// <summary>
        /// A warning for a model past or near its shutdown date on api.openai.com, or null. The request is still sent:
        /// Azure OpenAI and compatible servers keep serving models that api.openai.com has retired.
        /// </summary>
        public static string? ShutdownWarning(ModelInfo model, DateTimeOffset now)
        {
            if (model.ShutdownDate is not DateTimeOffset date) return null;
            string day = date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            string instead = model.Replacement != null ? $" Use -Model {model.Replacement} for api.openai.com." : "";
            return now >= date
                ? $"The model '{model.Name}' was shut down on api.openai.com on {day}. The request is sent anyway, for Azure OpenAI and compatible servers that still serve it.{instead}"
                : $"The model '{model.Name}' is deprecated and shuts down on api.openai.com on {day}.{instead}";
        }
    }
}
