// PNG files for the Pester suite, written and read here so that the tests check the module's images with code of
// their own rather than with the module's codec. Loaded by TestSetup.ps1 with Add-Type, so it keeps to C# 7.3.
using System;
using System.IO;
using System.IO.Compression;

namespace OpenAIImagesTests
{
    /// <summary>A decoded image: 8-bit RGBA, row by row.</summary>
    public sealed class TestImage
    {
        public TestImage(int width, int height, byte[] rgba)
        {
            Width = width;
            Height = height;
            Rgba = rgba;
        }

        public int Width { get; private set; }
        public int Height { get; private set; }
        public byte[] Rgba { get; private set; }

        /// <summary>The four samples of one pixel: red, green, blue, alpha.</summary>
        public byte[] Pixel(int x, int y)
        {
            if (x < 0 || y < 0 || x >= Width || y >= Height) throw new ArgumentOutOfRangeException("x", "(" + x + "," + y + ") is outside " + Width + "x" + Height + ".");
            var pixel = new byte[4];
            Array.Copy(Rgba, ((long)y * Width + x) * 4, pixel, 0, 4);
            return pixel;
        }

        public byte Alpha(int x, int y)
        {
            return Pixel(x, y)[3];
        }
    }

    public static class TestPng
    {
        private static readonly byte[] Signature = { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A };
        private static readonly uint[] CrcTable = MakeCrcTable();

        /// <summary>An 8-bit RGBA PNG (color type 6), unfiltered, in stored deflate blocks.</summary>
        public static byte[] EncodeRgba(int width, int height, byte[] rgba)
        {
            if (width <= 0 || height <= 0) throw new ArgumentOutOfRangeException("width");
            if (rgba == null || rgba.Length != (long)width * height * 4) throw new ArgumentException("rgba must hold width * height * 4 bytes.", "rgba");
            int stride = width * 4;
            var raw = new byte[(long)(stride + 1) * height];
            for (int y = 0; y < height; y++)
            {
                raw[(long)y * (stride + 1)] = 0;
                Array.Copy(rgba, (long)y * stride, raw, (long)y * (stride + 1) + 1, stride);
            }
            var output = new MemoryStream();
            output.Write(Signature, 0, Signature.Length);
            var header = new byte[13];
            WriteUInt32(header, 0, (uint)width);
            WriteUInt32(header, 4, (uint)height);
            header[8] = 8;
            header[9] = 6;
            WriteChunk(output, "IHDR", header);
            WriteChunk(output, "IDAT", StoredZlib(raw));
            WriteChunk(output, "IEND", new byte[0]);
            return output.ToArray();
        }

        /// <summary>
        /// A PNG whose header claims width x height RGBA pixels while its image data is one empty stored block: intact
        /// chunks and CRCs, far too little data. Decoding it would first need width * height * 4 bytes.
        /// </summary>
        public static byte[] HeaderOnly(int width, int height)
        {
            var output = new MemoryStream();
            output.Write(Signature, 0, Signature.Length);
            var header = new byte[13];
            WriteUInt32(header, 0, (uint)width);
            WriteUInt32(header, 4, (uint)height);
            header[8] = 8;
            header[9] = 6;
            WriteChunk(output, "IHDR", header);
            WriteChunk(output, "IDAT", StoredZlib(new byte[1]));
            WriteChunk(output, "IEND", new byte[0]);
            return output.ToArray();
        }

        /// <summary>An 8-bit RGB PNG (color type 2, no alpha channel) of one gray level, in stored deflate blocks.</summary>
        public static byte[] GrayRgb(int width, int height, byte level)
        {
            int stride = width * 3;
            var raw = new byte[(long)(stride + 1) * height];
            for (int y = 0; y < height; y++)
                for (int i = 1; i <= stride; i++) raw[(long)y * (stride + 1) + i] = level;
            var output = new MemoryStream();
            output.Write(Signature, 0, Signature.Length);
            var header = new byte[13];
            WriteUInt32(header, 0, (uint)width);
            WriteUInt32(header, 4, (uint)height);
            header[8] = 8;
            header[9] = 2;
            WriteChunk(output, "IHDR", header);
            WriteChunk(output, "IDAT", StoredZlib(raw));
            WriteChunk(output, "IEND", new byte[0]);
            return output.ToArray();
        }

        /// <summary>Every pixel the same opaque color.</summary>
        public static byte[] Solid(int width, int height, byte red, byte green, byte blue)
        {
            var rgba = new byte[(long)width * height * 4];
            for (long i = 0; i < rgba.Length; i += 4)
            {
                rgba[i] = red;
                rgba[i + 1] = green;
                rgba[i + 2] = blue;
                rgba[i + 3] = 255;
            }
            return EncodeRgba(width, height, rgba);
        }

        /// <summary>A black-and-white mask: the left half (x &lt; width / 2) black, the right half white, all opaque.</summary>
        public static byte[] BlackLeftWhiteRight(int width, int height)
        {
            var rgba = new byte[(long)width * height * 4];
            for (int y = 0; y < height; y++)
            {
                for (int x = 0; x < width; x++)
                {
                    long at = ((long)y * width + x) * 4;
                    byte level = x < width / 2 ? (byte)0 : (byte)255;
                    rgba[at] = level;
                    rgba[at + 1] = level;
                    rgba[at + 2] = level;
                    rgba[at + 3] = 255;
                }
            }
            return EncodeRgba(width, height, rgba);
        }

        /// <summary>Decodes 8-bit, non-interlaced PNGs of color types 0, 2, 3, 4 and 6, checking every chunk's CRC.</summary>
        public static TestImage Decode(byte[] png)
        {
            if (png == null || png.Length < Signature.Length) throw new InvalidDataException("Not a PNG: too short.");
            for (int i = 0; i < Signature.Length; i++)
            {
                if (png[i] != Signature[i]) throw new InvalidDataException("Not a PNG: the signature is wrong.");
            }
            int width = 0, height = 0, colorType = -1;
            byte[] palette = null;
            byte[] transparency = null;
            var idat = new MemoryStream();
            int at = Signature.Length;
            bool ended = false;
            while (!ended)
            {
                if (at + 12 > png.Length) throw new InvalidDataException("The PNG ends inside a chunk.");
                int length = (int)ReadUInt32(png, at);
                string type = System.Text.Encoding.ASCII.GetString(png, at + 4, 4);
                if (length < 0 || at + 12L + length > png.Length) throw new InvalidDataException("Chunk " + type + " runs past the end.");
                uint crc = Crc(png, at + 4, length + 4);
                if (crc != ReadUInt32(png, at + 8 + length)) throw new InvalidDataException("Chunk " + type + " has a wrong CRC.");
                int data = at + 8;
                switch (type)
                {
                    case "IHDR":
                        width = (int)ReadUInt32(png, data);
                        height = (int)ReadUInt32(png, data + 4);
                        if (png[data + 8] != 8) throw new NotSupportedException("Only 8-bit PNGs are read here, not " + png[data + 8] + "-bit.");
                        colorType = png[data + 9];
                        if (png[data + 12] != 0) throw new NotSupportedException("Interlaced PNGs are not read here.");
                        break;
                    case "PLTE":
                        palette = new byte[length];
                        Array.Copy(png, data, palette, 0, length);
                        break;
                    case "tRNS":
                        transparency = new byte[length];
                        Array.Copy(png, data, transparency, 0, length);
                        break;
                    case "IDAT":
                        idat.Write(png, data, length);
                        break;
                    case "IEND":
                        ended = true;
                        break;
                }
                at += 12 + length;
            }
            int channels;
            switch (colorType)
            {
                case 0: channels = 1; break;
                case 2: channels = 3; break;
                case 3: channels = 1; break;
                case 4: channels = 2; break;
                case 6: channels = 4; break;
                default: throw new NotSupportedException("Color type " + colorType + " is not read here.");
            }
            byte[] raw = Inflate(idat.ToArray());
            int stride = width * channels;
            if (raw.Length < (long)(stride + 1) * height) throw new InvalidDataException("The image data is shorter than the image.");
            var samples = new byte[(long)stride * height];
            var previous = new byte[stride];
            var row = new byte[stride];
            for (int y = 0; y < height; y++)
            {
                long start = (long)y * (stride + 1);
                byte filter = raw[start];
                for (int i = 0; i < stride; i++)
                {
                    int x = raw[start + 1 + i];
                    int left = i >= channels ? row[i - channels] : 0;
                    int up = previous[i];
                    int upLeft = i >= channels ? previous[i - channels] : 0;
                    switch (filter)
                    {
                        case 0: break;
                        case 1: x += left; break;
                        case 2: x += up; break;
                        case 3: x += (left + up) / 2; break;
                        case 4: x += Paeth(left, up, upLeft); break;
                        default: throw new InvalidDataException("Row " + y + " has filter type " + filter + ".");
                    }
                    row[i] = (byte)x;
                }
                Array.Copy(row, 0, samples, (long)y * stride, stride);
                var swap = previous;
                previous = row;
                row = swap;
            }
            var rgba = new byte[(long)width * height * 4];
            for (long p = 0; p < (long)width * height; p++)
            {
                long s = p * channels, d = p * 4;
                switch (colorType)
                {
                    case 0:
                        rgba[d] = rgba[d + 1] = rgba[d + 2] = samples[s];
                        rgba[d + 3] = 255;
                        break;
                    case 2:
                        rgba[d] = samples[s];
                        rgba[d + 1] = samples[s + 1];
                        rgba[d + 2] = samples[s + 2];
                        rgba[d + 3] = 255;
                        break;
                    case 3:
                        int index = samples[s];
                        rgba[d] = palette[index * 3];
                        rgba[d + 1] = palette[index * 3 + 1];
                        rgba[d + 2] = palette[index * 3 + 2];
                        rgba[d + 3] = transparency != null && index < transparency.Length ? transparency[index] : (byte)255;
                        break;
                    case 4:
                        rgba[d] = rgba[d + 1] = rgba[d + 2] = samples[s];
                        rgba[d + 3] = samples[s + 1];
                        break;
                    default:
                        rgba[d] = samples[s];
                        rgba[d + 1] = samples[s + 1];
                        rgba[d + 2] = samples[s + 2];
                        rgba[d + 3] = samples[s + 3];
                        break;
                }
            }
            return new TestImage(width, height, rgba);
        }

        private static int Paeth(int a, int b, int c)
        {
            int p = a + b - c;
            int pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
            if (pa <= pb && pa <= pc) return a;
            return pb <= pc ? b : c;
        }

        private static byte[] Inflate(byte[] zlib)
        {
            if (zlib.Length < 6) throw new InvalidDataException("The image data is too short.");
            using (var input = new MemoryStream(zlib, 2, zlib.Length - 6))
            using (var deflate = new DeflateStream(input, CompressionMode.Decompress))
            using (var output = new MemoryStream())
            {
                deflate.CopyTo(output);
                return output.ToArray();
            }
        }

        private static byte[] StoredZlib(byte[] data)
        {
            var output = new MemoryStream();
            output.WriteByte(0x78);
            output.WriteByte(0x01);
            int offset = 0;
            do
            {
                int length = Math.Min(65535, data.Length - offset);
                bool last = offset + length >= data.Length;
                output.WriteByte(last ? (byte)1 : (byte)0);
                output.WriteByte((byte)(length & 0xFF));
                output.WriteByte((byte)(length >> 8));
                output.WriteByte((byte)(~length & 0xFF));
                output.WriteByte((byte)((~length >> 8) & 0xFF));
                output.Write(data, offset, length);
                offset += length;
            }
            while (offset < data.Length);
            uint a = 1, b = 0;
            foreach (byte value in data)
            {
                a = (a + value) % 65521;
                b = (b + a) % 65521;
            }
            var adler = new byte[4];
            WriteUInt32(adler, 0, (b << 16) | a);
            output.Write(adler, 0, 4);
            return output.ToArray();
        }

        private static void WriteChunk(Stream output, string type, byte[] data)
        {
            var buffer = new byte[12 + data.Length];
            WriteUInt32(buffer, 0, (uint)data.Length);
            System.Text.Encoding.ASCII.GetBytes(type, 0, 4, buffer, 4);
            Array.Copy(data, 0, buffer, 8, data.Length);
            WriteUInt32(buffer, 8 + data.Length, Crc(buffer, 4, data.Length + 4));
            output.Write(buffer, 0, buffer.Length);
        }

        private static uint Crc(byte[] data, int offset, int count)
        {
            uint crc = 0xFFFFFFFF;
            for (int i = offset; i < offset + count; i++) crc = CrcTable[(crc ^ data[i]) & 0xFF] ^ (crc >> 8);
            return crc ^ 0xFFFFFFFF;
        }

        private static uint[] MakeCrcTable()
        {
            var table = new uint[256];
            for (uint n = 0; n < 256; n++)
            {
                uint c = n;
                for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
                table[n] = c;
            }
            return table;
        }

        private static uint ReadUInt32(byte[] data, int offset)
        {
            return ((uint)data[offset] << 24) | ((uint)data[offset + 1] << 16) | ((uint)data[offset + 2] << 8) | data[offset + 3];
        }

        private static void WriteUInt32(byte[] data, int offset, uint value)
        {
            data[offset] = (byte)(value >> 24);
            data[offset + 1] = (byte)(value >> 16);
            data[offset + 2] = (byte)(value >> 8);
            data[offset + 3] = (byte)value;
        }
    }
}
