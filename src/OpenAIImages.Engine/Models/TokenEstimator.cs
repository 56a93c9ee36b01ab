using System;

namespace OpenAIImages.Engine.Models
{
    /// <summary>
    /// Estimates output tokens before a request is sent, so -WhatIf and confirmation prompts can say what a call
    /// costs. The figures are OpenAI's published table for GPT image models; other sizes scale with pixel area.
    /// </summary>
    public static class TokenEstimator
    {
        // Square 1024x1024, portrait 1024x1536, landscape 1536x1024, by quality.
        private static readonly (string Quality, int Square, int Portrait, int Landscape)[] Table =
        {
            ("low", 272, 408, 400),
            ("medium", 1056, 1584, 1568),
            ("high", 4160, 6240, 6208),
        };

        /// <summary>Output tokens for one image, or null when the model is not token-priced.</summary>
        public static long? OutputTokensPerImage(ModelInfo? model, ImageSize size, string? quality)
        {
            if (model != null && !model.IsTokenPriced) return null;
            var row = Table[1];
            foreach (var r in Table)
            {
                if (string.Equals(r.Quality, quality, StringComparison.OrdinalIgnoreCase)) row = r;
            }
            if (size.IsAuto || (size.Width == 1024 && size.Height == 1024)) return row.Square;
            if (size.Width == 1024 && size.Height == 1536) return row.Portrait;
            if (size.Width == 1536 && size.Height == 1024) return row.Landscape;
            double area = (double)size.Width * size.Height / (1024.0 * 1024.0);
            return (long)Math.Round(row.Square * area);
        }

        /// <summary>
        /// Input tokens for one uploaded image of an edit, or null when the model is not token-priced. The reference
        /// documents say input images are billed as image tokens without giving the figures; this follows the rule
        /// OpenAI's vision guide gives for GPT image inputs: the image is scaled to fit 2048x2048, then so that its
        /// shorter side is 512 pixels, and costs 65 tokens plus 129 for each 512-pixel tile. An estimate, as -WhatIf
        /// says.
        /// </summary>
        public static long? InputTokensPerImage(ModelInfo? model, int width, int height)
        {
            if ((model != null && !model.IsTokenPriced) || width <= 0 || height <= 0) return null;
            double w = width, h = height;
            double fit = Math.Min(1.0, 2048.0 / Math.Max(w, h));
            w *= fit;
            h *= fit;
            double shorter = 512.0 / Math.Min(w, h);
            w *= shorter;
            h *= shorter;
            long tiles = (long)Math.Ceiling(Math.Round(w, 6) / 512.0) * (long)Math.Ceiling(Math.Round(h, 6) / 512.0);
            return 65 + 129 * tiles;
        }

        /// <summary>Each partial image of a streamed request costs this many extra output tokens.</summary>
        public const int TokensPerPartialImage = 100;
    }
}
