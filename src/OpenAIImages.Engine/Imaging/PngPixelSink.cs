using System;
using System.Runtime.CompilerServices;

namespace OpenAIImages.Engine.Imaging
{
    /// <summary>
    /// Where decoded pixels go. Implemented by structs so the generic decoder is compiled once per output
    /// format with the writes inlined, instead of paying an interface call per pixel.
    /// </summary>
    internal interface IPngPixelSink
    {
        /// <summary>Stores a pixel whose samples are 8-bit (sub-byte samples already scaled to 0..255).</summary>
        void Put8(int pixelIndex, byte red, byte green, byte blue, byte alpha);

        void Put16(int pixelIndex, ushort red, ushort green, ushort blue, ushort alpha);

        /// <summary>Stores consecutive RGBA8 pixels starting at <paramref name="firstIndex"/>.</summary>
        void PutRgba8Run(int firstIndex, ReadOnlySpan<byte> rgba);

        /// <summary>Stores consecutive opaque RGB8 pixels starting at <paramref name="firstIndex"/>.</summary>
        void PutOpaqueRgb8Run(int firstIndex, ReadOnlySpan<byte> rgb);
    }

    /// <summary>RGBA8 output. 16-bit samples keep their high byte, as libpng's strip-16 and PIL do.</summary>
    internal readonly struct Rgba8Sink : IPngPixelSink
    {
        public byte[] Pixels { get; }

        public Rgba8Sink(byte[] pixels) => Pixels = pixels;

        public void Put8(int pixelIndex, byte red, byte green, byte blue, byte alpha)
        {
            var p = Pixels;
            int i = pixelIndex * 4;
            p[i + 3] = alpha;
            p[i] = red;
            p[i + 1] = green;
            p[i + 2] = blue;
        }

        public void Put16(int pixelIndex, ushort red, ushort green, ushort blue, ushort alpha) =>
            Put8(pixelIndex, (byte)(red >> 8), (byte)(green >> 8), (byte)(blue >> 8), (byte)(alpha >> 8));

        public void PutRgba8Run(int firstIndex, ReadOnlySpan<byte> rgba) => rgba.CopyTo(Pixels.AsSpan(firstIndex * 4));

        [MethodImpl(HotPath.Optimize)]
        public unsafe void PutOpaqueRgb8Run(int firstIndex, ReadOnlySpan<byte> rgb)
        {
            int count = rgb.Length / 3;
            var target = Pixels.AsSpan(firstIndex * 4, count * 4);
            fixed (byte* source = rgb)
            fixed (byte* output = target)
            {
                int i = 0;
                if (BitConverter.IsLittleEndian)
                {
                    // A pixel's three bytes and the next pixel's first, read as one word; the fourth byte becomes alpha.
                    for (; i < count - 1; i++)
                        *(uint*)(output + i * 4) = *(uint*)(source + i * 3) | 0xFF000000u;
                }
                for (; i < count; i++)
                {
                    output[i * 4] = source[i * 3];
                    output[i * 4 + 1] = source[i * 3 + 1];
                    output[i * 4 + 2] = source[i * 3 + 2];
                    output[i * 4 + 3] = 255;
                }
            }
        }
    }

    /// <summary>RGBA16 output. 8-bit samples are widened by 257 so 255 becomes 65535, as libpng's expand-16 does.</summary>
    internal readonly struct Rgba16Sink : IPngPixelSink
    {
        public ushort[] Pixels { get; }

        public Rgba16Sink(ushort[] pixels) => Pixels = pixels;

        public void Put8(int pixelIndex, byte red, byte green, byte blue, byte alpha) =>
            Put16(pixelIndex, (ushort)(red * 257), (ushort)(green * 257), (ushort)(blue * 257), (ushort)(alpha * 257));

        public void Put16(int pixelIndex, ushort red, ushort green, ushort blue, ushort alpha)
        {
            var p = Pixels;
            int i = pixelIndex * 4;
            p[i + 3] = alpha;
            p[i] = red;
            p[i + 1] = green;
            p[i + 2] = blue;
        }

        public void PutRgba8Run(int firstIndex, ReadOnlySpan<byte> rgba)
        {
            for (int i = 0; i < rgba.Length / 4; i++)
                Put8(firstIndex + i, rgba[i * 4], rgba[i * 4 + 1], rgba[i * 4 + 2], rgba[i * 4 + 3]);
        }

        public void PutOpaqueRgb8Run(int firstIndex, ReadOnlySpan<byte> rgb)
        {
            for (int i = 0; i < rgb.Length / 3; i++)
                Put8(firstIndex + i, rgb[i * 3], rgb[i * 3 + 1], rgb[i * 3 + 2], 255);
        }
    }
}
