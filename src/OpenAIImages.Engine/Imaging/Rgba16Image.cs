using System;

namespace OpenAIImages.Engine.Imaging
{
    /// <summary>Decoded pixels, 16 bits a channel, for callers that must not lose the precision of 16-bit PNGs.</summary>
    public sealed class Rgba16Image
    {
        public int Width { get; }
        public int Height { get; }

        /// <summary>Width x Height x 4 values (red, green, blue, alpha), row-major; 65535 is full intensity and opaque.</summary>
        public ushort[] Pixels { get; }

        public Rgba16Image(int width, int height, ushort[] pixels)
        {
            if (width <= 0) throw new ArgumentOutOfRangeException(nameof(width), width, "Width must be positive.");
            if (height <= 0) throw new ArgumentOutOfRangeException(nameof(height), height, "Height must be positive.");
            if (pixels is null) throw new ArgumentNullException(nameof(pixels));
            if (pixels.Length != (long)width * height * 4)
                throw new ArgumentException($"Pixel buffer has {pixels.Length} values; a {width}x{height} RGBA16 image needs {(long)width * height * 4}.", nameof(pixels));
            Width = width;
            Height = height;
            Pixels = pixels;
        }

        public override string ToString() => $"RGBA16 {Width}x{Height}";
    }
}
