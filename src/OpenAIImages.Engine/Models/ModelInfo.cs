using System;
using System.Collections.Generic;
using System.Linq;

namespace OpenAIImages.Engine.Models
{
    /// <summary>
    /// One row of the model table: what a model accepts. Everything the validator and the tab completers know
    /// about a model comes from here, so supporting a new model is adding a row to <see cref="ModelCatalog"/>.
    /// </summary>
    public sealed class ModelInfo
    {
        public string Name { get; init; } = "";
        public ModelFamily Family { get; init; }
        public ImageEndpoints Endpoints { get; init; }

        /// <summary>The fixed sizes the model takes (the API's spelling, <c>auto</c> included where allowed).</summary>
        public IReadOnlyList<string> Sizes { get; init; } = Array.Empty<string>();

        /// <summary>Set for models that take any WIDTHxHEIGHT within limits; <see cref="Sizes"/> then lists suggestions.</summary>
        public FreeSizeRule? FreeSize { get; init; }

        public IReadOnlyList<string> Qualities { get; init; } = Array.Empty<string>();
        public int MaxCount { get; init; } = 10;
        public int MaxPromptLength { get; init; }

        /// <summary>output_format values; empty when the model does not take the parameter.</summary>
        public IReadOnlyList<string> OutputFormats { get; init; } = Array.Empty<string>();
        public bool SupportsOutputCompression { get; init; }

        /// <summary>background values; empty when the model does not take the parameter.</summary>
        public IReadOnlyList<string> Backgrounds { get; init; } = Array.Empty<string>();
        public IReadOnlyList<string> Moderations { get; init; } = Array.Empty<string>();
        public IReadOnlyList<string> Styles { get; init; } = Array.Empty<string>();

        /// <summary>response_format values for generations; empty when the model always returns base64.</summary>
        public IReadOnlyList<string> ResponseFormats { get; init; } = Array.Empty<string>();

        /// <summary>response_format values for edits (the spec allows it for dall-e-2 only).</summary>
        public IReadOnlyList<string> EditResponseFormats { get; init; } = Array.Empty<string>();

        public bool SupportsStreaming { get; init; }
        public bool SupportsInputFidelity { get; init; }

        /// <summary>How many images one edit request may carry.</summary>
        public int MaxInputImages { get; init; }
        public long MaxInputImageBytes { get; init; }
        public bool InputMustBeSquarePng { get; init; }
        public long MaxMaskBytes { get; init; } = 4L * 1024 * 1024;

        /// <summary>The day api.openai.com stops (or stopped) serving the model; Azure and compatible servers may go on.</summary>
        public DateTimeOffset? ShutdownDate { get; init; }
        public string? Replacement { get; init; }

        /// <summary>Output tokens per image at medium quality for a 1024x1024 square, for cost estimates; 0 when not token-priced.</summary>
        public bool IsTokenPriced => Family == ModelFamily.GptImage;

        public bool Supports(ImageEndpoints endpoint) => (Endpoints & endpoint) == endpoint;

        public bool AcceptsSize(ImageSize size, out string? reason)
        {
            reason = null;
            var text = size.ToString();
            if (Sizes.Any(s => string.Equals(s, text, StringComparison.OrdinalIgnoreCase))) return true;
            if (FreeSize != null)
            {
                reason = FreeSize.Check(size);
                return reason == null;
            }
            reason = $"use one of {string.Join(", ", Sizes)}.";
            return false;
        }

        public override string ToString() => Name;
    }
}
