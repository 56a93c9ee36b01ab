namespace OpenAIImages.Engine.Imaging
{
    /// <summary>
    /// Limits that keep a hostile or broken file from costing unbounded memory. Every limit is checked from the
    /// header before any pixel memory is allocated.
    /// </summary>
    public sealed class PngDecoderOptions
    {
        /// <summary>The defaults: generous for any real photo or mask (the API's largest images are about 8 megapixels).</summary>
        public static PngDecoderOptions Default { get; } = new PngDecoderOptions();

        /// <summary>Largest width x height accepted. Default 100 megapixels (400 MB as RGBA8).</summary>
        public long MaxPixelCount { get; init; } = 100_000_000;

        /// <summary>Largest size of the decompressed, still filtered, image data. Default 512 MiB.</summary>
        public long MaxDecompressedBytes { get; init; } = 512L * 1024 * 1024;
    }
}
