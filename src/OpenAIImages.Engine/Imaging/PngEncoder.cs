using System;
using System.Runtime.CompilerServices;
using System.IO;
using System.IO.Compression;

namespace OpenAIImages.Engine.Imaging
{
    /// <summary>
    /// Writes 8-bit PNG files: RGBA, gray and gray+alpha. Output is deterministic for a given runtime: the same
    /// pixels and options always give the same bytes.
    /// </summary>
    public static class PngEncoder
    {
        private static readonly byte[] Signature = { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A };

        // libpng writes 8 KiB IDAT chunks; larger ones cost readers nothing and save 12 bytes a chunk.
        private const int IdatChunkLength = 64 * 1024;

        /// <summary>Encodes width x height RGBA8 pixels (row-major, 4 bytes a pixel) as a PNG with an alpha channel.</summary>
        public static byte[] EncodeRgba(int width, int height, ReadOnlySpan<byte> rgba) =>
            Encode(width, height, rgba, PngColorType.Rgba, PngEncoderOptions.Default);

        public static byte[] EncodeRgba(int width, int height, ReadOnlySpan<byte> rgba, PngEncoderOptions options) =>
            Encode(width, height, rgba, PngColorType.Rgba, options);

        /// <summary>Encodes width x height 8-bit gray samples, one byte a pixel.</summary>
        public static byte[] EncodeGray(int width, int height, ReadOnlySpan<byte> gray, PngEncoderOptions? options = null) =>
            Encode(width, height, gray, PngColorType.Gray, options);

        /// <summary>Encodes width x height gray+alpha pixels, two bytes a pixel (gray first).</summary>
        public static byte[] EncodeGrayAlpha(int width, int height, ReadOnlySpan<byte> grayAlpha, PngEncoderOptions? options = null) =>
            Encode(width, height, grayAlpha, PngColorType.GrayAlpha, options);

        public static byte[] Encode(RgbaImage image, PngEncoderOptions? options = null)
        {
            if (image is null) throw new ArgumentNullException(nameof(image));
            return Encode(image.Width, image.Height, image.Pixels, PngColorType.Rgba, options);
        }

        private static byte[] Encode(int width, int height, ReadOnlySpan<byte> pixels, PngColorType colorType, PngEncoderOptions? options)
        {
            options ??= PngEncoderOptions.Default;
            if (width <= 0) throw new ArgumentOutOfRangeException(nameof(width), width, "Width must be positive.");
            if (height <= 0) throw new ArgumentOutOfRangeException(nameof(height), height, "Height must be positive.");
            int channels = colorType switch { PngColorType.Gray => 1, PngColorType.GrayAlpha => 2, _ => 4 };
            long rowLength = (long)width * channels;
            if (rowLength > int.MaxValue - 1) throw new ArgumentOutOfRangeException(nameof(width), width, "Rows are too long for one buffer.");
            if (pixels.Length != rowLength * height)
                throw new ArgumentException($"Pixel buffer has {pixels.Length} bytes; {width}x{height} with {channels} bytes a pixel needs {rowLength * height}.", nameof(pixels));

            byte[] zlib = Compress(pixels, (int)rowLength, height, channels, options);
            var output = new MemoryStream(zlib.Length + 128);
            output.Write(Signature, 0, Signature.Length);
            var ihdr = new byte[13];
            BigEndian.WriteUInt32(ihdr, 0, (uint)width);
            BigEndian.WriteUInt32(ihdr, 4, (uint)height);
            ihdr[8] = 8;
            ihdr[9] = (byte)colorType;
            WriteChunk(output, "IHDR", ihdr);
            for (int at = 0; at < zlib.Length; at += IdatChunkLength)
                WriteChunk(output, "IDAT", zlib.AsSpan(at, Math.Min(IdatChunkLength, zlib.Length - at)));
            WriteChunk(output, "IEND", ReadOnlySpan<byte>.Empty);
            return output.ToArray();
        }

        [MethodImpl(HotPath.Optimize)]
        private static byte[] Compress(ReadOnlySpan<byte> pixels, int rowLength, int height, int stride, PngEncoderOptions options)
        {
            var zlib = new MemoryStream();
            zlib.WriteByte(0x78);
            zlib.WriteByte(HeaderFlags(options.Compression));
            uint adler = Adler32.Initial;
            var chooser = new PngRowFilterChooser(rowLength, stride, options.Filter);
            using (var deflate = new DeflateStream(zlib, options.Compression, leaveOpen: true))
            {
                for (int y = 0; y < height; y++)
                {
                    var row = pixels.Slice(y * rowLength, rowLength);
                    var prior = y == 0 ? ReadOnlySpan<byte>.Empty : pixels.Slice((y - 1) * rowLength, rowLength);
                    byte[] filtered = chooser.Filter(row, prior);
                    adler = Adler32.Update(adler, filtered.AsSpan(0, rowLength + 1));
                    deflate.Write(filtered, 0, rowLength + 1);
                }
            }
            var trailer = new byte[4];
            BigEndian.WriteUInt32(trailer, 0, adler);
            zlib.Write(trailer, 0, 4);
            return zlib.ToArray();
        }

        /// <summary>The zlib FLG byte: its level hint must agree with the level used, and FCHECK makes CMF·256+FLG a multiple of 31.</summary>
        private static byte HeaderFlags(CompressionLevel level) => level switch
        {
            CompressionLevel.Optimal => 0x9C,
            CompressionLevel.Fastest or CompressionLevel.NoCompression => 0x01,
            _ => 0xDA,
        };

        private static void WriteChunk(Stream output, string type, ReadOnlySpan<byte> data)
        {
            var buffer = new byte[12 + data.Length];
            BigEndian.WriteUInt32(buffer, 0, (uint)data.Length);
            for (int i = 0; i < 4; i++) buffer[4 + i] = (byte)type[i];
            data.CopyTo(buffer.AsSpan(8));
            BigEndian.WriteUInt32(buffer, 8 + data.Length, Crc32.Compute(buffer.AsSpan(4, 4 + data.Length)));
            output.Write(buffer, 0, buffer.Length);
        }
    }
}
