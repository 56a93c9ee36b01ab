using System;

namespace OpenAIImages.Engine.Imaging
{
    /// <summary>
    /// The narrow seam between image math and file formats: bytes to RGBA8 pixels and back. The engine's own PNG
    /// codec implements it; another implementation can replace it without touching the code that works on pixels.
    /// </summary>
    public interface IRgbaImageCodec
    {
        /// <summary>The container format this codec reads and writes.</summary>
        ImageFormat Format { get; }

        /// <summary>Decodes a file into a new image that belongs to the caller (AlphaMask converts it in place); bad input throws <see cref="ImageDecodeException"/>.</summary>
        RgbaImage Decode(ReadOnlySpan<byte> data);

        byte[] Encode(RgbaImage image);
    }
}
