namespace OpenAIImages.Engine.Imaging
{
    /// <summary>
    /// Options for <see cref="AlphaMask"/>, applied in this order: gray level, resize, threshold, invert.
    /// </summary>
    public sealed class AlphaMaskOptions
    {
        public static AlphaMaskOptions Default { get; } = new AlphaMaskOptions();

        /// <summary>
        /// When set, a hard edge: a gray level L becomes 255 (kept) when L &gt;= Threshold, else 0 (edited). Applied after
        /// any resize, so resized edges stay hard. 0 keeps everything; 255 keeps only pure white.
        /// </summary>
        public int? Threshold { get; init; }

        /// <summary>Swaps the meaning of the mask: black areas are kept and white areas are edited (255 - L, after any threshold).</summary>
        public bool Invert { get; init; }

        /// <summary>Output width; set together with <see cref="Height"/> to resize, or leave both unset to keep the mask's size.</summary>
        public int? Width { get; init; }

        public int? Height { get; init; }

        /// <summary>The filter used when resizing.</summary>
        public MaskResampling Resampling { get; init; } = MaskResampling.Bilinear;
    }
}
