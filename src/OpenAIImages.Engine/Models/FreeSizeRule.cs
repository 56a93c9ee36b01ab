namespace OpenAIImages.Engine.Models
{
    /// <summary>
    /// The rule for models that take any WIDTHxHEIGHT (gpt-image-2): both sides multiples of a step,
    /// an aspect ratio within bounds, and edge and pixel limits.
    /// </summary>
    public sealed class FreeSizeRule
    {
        public int Multiple { get; init; } = 16;
        public double MaxAspectRatio { get; init; } = 3.0;
        public int MaxEdge { get; init; } = 3840;
        public long MaxPixels { get; init; } = 3840L * 2160L;

        /// <summary>
        /// Below this many pixels a size gets a warning, not an error. OpenAI's spec speaks only of "the model's current
        /// pixel and edge limits"; the number is a floor a third-party provider measured for gpt-image-2 and published
        /// (docs.apiyi.com, GPT Image 2.6 size table, 2026-11-09), not OpenAI's own statement, so the request is sent.
        /// </summary>
        public long AdvisedMinPixels { get; init; } = 655_360;

        /// <summary>A warning for a size below <see cref="AdvisedMinPixels"/>, or null.</summary>
        public string? Advice(ImageSize size)
        {
            if (size.IsAuto || (long)size.Width * size.Height >= AdvisedMinPixels) return null;
            return $"{size} holds {(long)size.Width * size.Height:N0} pixels; sizes under {AdvisedMinPixels:N0} pixels (such as 1024x640) have been reported to fail or to come back larger. The request is sent anyway; use a larger size if it fails.";
        }

        /// <summary>Returns null when the size is allowed, otherwise the sentence that says what to change.</summary>
        public string? Check(ImageSize size)
        {
            if (size.IsAuto) return null;
            var problems = new System.Collections.Generic.List<string>();
            if (size.Width % Multiple != 0 || size.Height % Multiple != 0)
                problems.Add($"width and height must both be multiples of {Multiple} (nearest: {RoundTo(size.Width)}x{RoundTo(size.Height)})");
            double ratio = (double)System.Math.Max(size.Width, size.Height) / System.Math.Min(size.Width, size.Height);
            if (ratio > MaxAspectRatio + 1e-9)
                problems.Add($"the aspect ratio must be between 1:{MaxAspectRatio:0.#} and {MaxAspectRatio:0.#}:1, and {size} is {ratio:0.##}:1");
            if (size.Width > MaxEdge || size.Height > MaxEdge)
                problems.Add($"no side may exceed {MaxEdge} pixels");
            if ((long)size.Width * size.Height > MaxPixels)
                problems.Add($"the image may hold at most {MaxPixels:N0} pixels (3840x2160), and {size} holds {(long)size.Width * size.Height:N0}");
            return problems.Count == 0 ? null : string.Join("; ", problems) + ".";
        }

        private int RoundTo(int value) => System.Math.Max(Multiple, (int)System.Math.Round(value / (double)Multiple, System.MidpointRounding.AwayFromZero) * Multiple);
    }
}
