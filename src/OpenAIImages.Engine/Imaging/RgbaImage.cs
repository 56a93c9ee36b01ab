using System;

namespace OpenAIImages.Engine.Imaging
{
    /// <summary>Decoded pixels, 8 bits a channel: red, green, blue, alpha, row-major from the top-left corner, no padding.</summary>
    public sealed class RgbaImage
    {
        public int Width { get; }
        public int Height { get; }

        /// <summary>Width x Height x 4 bytes; alpha is straight (not premultiplied), 255 is opaque.</summary>
        public byte[] Pixels { get; }

        public RgbaImage(int width, int height, byte[] pixels)
        {
            if (width <= 0) throw new ArgumentOutOfRangeException(nameof(width), width, "Width must be positive.");
            if (height <= 0) throw new ArgumentOutOfRangeException(nameof(height), height, "Height must be positive.");
            if (pixels is null) throw new ArgumentNullException(nameof(pixels));
            if (pixels.Length != (long)width * height * 4)
                throw new ArgumentException($"Pixel buffer has {pixels.Length} bytes; a {width}x{height} RGBA8 image needs {(long)width * height * 4}.", nameof(pixels));
            Width = width;
            Height = height;
            Pixels = pixels;
        }

        /// <summary>
        /// Gives the pixel array to the decoder for the next image of the same size. Only for an image that this code
        /// decoded and that nothing else holds: the image must not be used afterwards.
        /// </summary>
        internal void ReleasePixels() => PixelArrayPool.Return(Pixels);

        public override string ToString() => $"RGBA8 {Width}x{Height}";
    }
}
