using System;

namespace OpenAIImages.Engine.Imaging
{
    /// <summary>The IHDR chunk, validated: everything needed to size buffers and interpret scanlines.</summary>
    internal readonly struct PngHeader
    {
        public int Width { get; }
        public int Height { get; }
        public int BitDepth { get; }
        public PngColorType ColorType { get; }
        public bool Interlaced { get; }

        private PngHeader(int width, int height, int bitDepth, PngColorType colorType, bool interlaced)
        {
            Width = width;
            Height = height;
            BitDepth = bitDepth;
            ColorType = colorType;
            Interlaced = interlaced;
        }

        public int Channels => ColorType switch
        {
            PngColorType.Rgb => 3,
            PngColorType.GrayAlpha => 2,
            PngColorType.Rgba => 4,
            _ => 1,
        };

        public int BitsPerPixel => Channels * BitDepth;

        /// <summary>The byte distance filters look back: one whole pixel, or one byte for sub-byte pixels.</summary>
        public int FilterStride => Math.Max(1, BitsPerPixel / 8);

        public long RowBytes(int pixels) => ((long)pixels * BitsPerPixel + 7) / 8;

        public long PixelCount => (long)Width * Height;

        public static PngHeader Parse(ReadOnlySpan<byte> data)
        {
            if (data.Length != 13) throw ImageDecodeException.Corrupt($"IHDR chunk has length {data.Length}; it must be 13.");
            uint width = BigEndian.ReadUInt32(data, 0);
            uint height = BigEndian.ReadUInt32(data, 4);
            if (width == 0 || width > int.MaxValue) throw ImageDecodeException.Corrupt($"IHDR width {width} is invalid; it must be 1 to 2147483647.");
            if (height == 0 || height > int.MaxValue) throw ImageDecodeException.Corrupt($"IHDR height {height} is invalid; it must be 1 to 2147483647.");
            int depth = data[8];
            byte colorType = data[9];
            string? allowed = colorType switch
            {
                0 => "1, 2, 4, 8 or 16",
                2 => "8 or 16",
                3 => "1, 2, 4 or 8",
                4 => "8 or 16",
                6 => "8 or 16",
                _ => null,
            };
            if (allowed is null) throw ImageDecodeException.Corrupt($"IHDR color type {colorType} is invalid; it must be 0, 2, 3, 4 or 6.");
            bool depthOk = colorType switch
            {
                0 => depth == 1 || depth == 2 || depth == 4 || depth == 8 || depth == 16,
                3 => depth == 1 || depth == 2 || depth == 4 || depth == 8,
                _ => depth == 8 || depth == 16,
            };
            if (!depthOk) throw ImageDecodeException.Corrupt($"IHDR bit depth {depth} is invalid for color type {colorType}; it allows {allowed}.");
            if (data[10] != 0) throw ImageDecodeException.Corrupt($"IHDR compression method {data[10]} is unknown; only 0 (deflate) exists.");
            if (data[11] != 0) throw ImageDecodeException.Corrupt($"IHDR filter method {data[11]} is unknown; only 0 (adaptive) exists.");
            if (data[12] > 1) throw ImageDecodeException.Corrupt($"IHDR interlace method {data[12]} is unknown; it must be 0 (none) or 1 (Adam7).");
            return new PngHeader((int)width, (int)height, depth, (PngColorType)colorType, data[12] == 1);
        }
    }
}
