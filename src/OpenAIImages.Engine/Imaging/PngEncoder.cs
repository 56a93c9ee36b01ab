using System;
using System.IO;
using System.IO.Compression;

namespace OpenAIImages.Engine.Imaging
{
    /// <summary>Writes PNG files from 8-bit RGBA pixels.</summary>
    public static class PngEncoder
    {
        /// <summary>Encodes width x height RGBA8 pixels (row-major, 4 bytes a pixel) as a PNG with an alpha channel.</summary>
        public static byte[] EncodeRgba(int width, int height, ReadOnlySpan<byte> rgba)
        {
            if (width <= 0 || height <= 0) throw new ArgumentOutOfRangeException(nameof(width), "Width and height must be positive.");
            int stride = checked(width * 4);
            if (rgba.Length != checked(stride * height)) throw new ArgumentException("Pixel buffer length does not match width x height x 4.", nameof(rgba));

            var output = new MemoryStream();
            output.Write(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, 0, 8);
            var ihdr = new byte[13];
            WriteBigEndian(ihdr, 0, width);
            WriteBigEndian(ihdr, 4, height);
            ihdr[8] = 8;  // bit depth
            ihdr[9] = 6;  // color type RGBA
            WriteChunk(output, "IHDR", ihdr);

            var idat = new MemoryStream();
            idat.WriteByte(0x78); idat.WriteByte(0x9C);
            uint adler = 1;
            using (var deflate = new DeflateStream(idat, CompressionLevel.Fastest, leaveOpen: true))
            {
                var row = new byte[stride + 1];
                for (int y = 0; y < height; y++)
                {
                    row[0] = 0;
                    rgba.Slice(y * stride, stride).CopyTo(row.AsSpan(1));
                    adler = Adler32(adler, row);
                    deflate.Write(row, 0, row.Length);
                }
            }
            var trailer = new byte[4];
            WriteBigEndian(trailer, 0, (int)adler);
            idat.Write(trailer, 0, 4);
            WriteChunk(output, "IDAT", idat.ToArray());
            WriteChunk(output, "IEND", Array.Empty<byte>());
            return output.ToArray();
        }

        private static void WriteChunk(Stream output, string type, byte[] data)
        {
            var header = new byte[8];
            WriteBigEndian(header, 0, data.Length);
            for (int i = 0; i < 4; i++) header[4 + i] = (byte)type[i];
            output.Write(header, 0, 8);
            output.Write(data, 0, data.Length);
            uint crc = Crc32.Update(Crc32.Update(0xFFFFFFFFu, header.AsSpan(4, 4)), data) ^ 0xFFFFFFFFu;
            var crcBytes = new byte[4];
            WriteBigEndian(crcBytes, 0, (int)crc);
            output.Write(crcBytes, 0, 4);
        }

        private static void WriteBigEndian(byte[] buffer, int offset, int value)
        {
            buffer[offset] = (byte)(value >> 24);
            buffer[offset + 1] = (byte)(value >> 16);
            buffer[offset + 2] = (byte)(value >> 8);
            buffer[offset + 3] = (byte)value;
        }

        private static uint Adler32(uint adler, ReadOnlySpan<byte> data)
        {
            uint a = adler & 0xFFFF, b = adler >> 16;
            foreach (byte x in data)
            {
                a = (a + x) % 65521;
                b = (b + a) % 65521;
            }
            return (b << 16) | a;
        }
    }
}
