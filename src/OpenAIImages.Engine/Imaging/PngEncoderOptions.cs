using System.IO.Compression;

namespace OpenAIImages.Engine.Imaging
{
    /// <summary>Encoder settings; the defaults match libpng's (zlib level 6, adaptive filtering).</summary>
    public sealed class PngEncoderOptions
    {
        public static PngEncoderOptions Default { get; } = new PngEncoderOptions();

        /// <summary>Deflate effort. Optimal is zlib's default level 6.</summary>
        public CompressionLevel Compression { get; init; } = CompressionLevel.Optimal;

        public PngFilterStrategy Filter { get; init; } = PngFilterStrategy.Adaptive;
    }
}
