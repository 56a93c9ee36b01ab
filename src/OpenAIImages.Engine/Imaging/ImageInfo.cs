using System;

namespace OpenAIImages.Engine.Imaging
{
    /// <summary>
    /// What an image file is, read from its headers alone: format, dimensions and whether it can carry
    /// transparency. Nothing is decoded, so checking a 50 MB input costs a few hundred bytes of reading.
    /// </summary>
    public sealed class ImageInfo
    {
        public ImageFormat Format { get; }
        public int Width { get; }
        public int Height { get; }

        /// <summary>True when the image has an alpha channel (PNG color types 4 and 6, or a tRNS chunk; WebP with alpha).</summary>
        public bool HasAlpha { get; }

        public ImageInfo(ImageFormat format, int width, int height, bool hasAlpha)
        {
            Format = format;
            Width = width;
            Height = height;
            HasAlpha = hasAlpha;
        }

        public override string ToString() => $"{Format} {Width}x{Height}{(HasAlpha ? " with alpha" : "")}";

        /// <summary>Sniffs the format from magic bytes; the file name is never consulted.</summary>
        public static ImageFormat SniffFormat(ReadOnlySpan<byte> data)
        {
            if (data.Length >= 8 && data[0] == 0x89 && data[1] == (byte)'P' && data[2] == (byte)'N' && data[3] == (byte)'G'
                && data[4] == 0x0D && data[5] == 0x0A && data[6] == 0x1A && data[7] == 0x0A)
                return ImageFormat.Png;
            if (data.Length >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF)
                return ImageFormat.Jpeg;
            if (data.Length >= 12 && data[0] == (byte)'R' && data[1] == (byte)'I' && data[2] == (byte)'F' && data[3] == (byte)'F'
                && data[8] == (byte)'W' && data[9] == (byte)'E' && data[10] == (byte)'B' && data[11] == (byte)'P')
                return ImageFormat.WebP;
            return ImageFormat.Unknown;
        }

        /// <summary>Reads the headers, or returns null when the data is not a PNG, JPEG or WebP image it can measure.</summary>
        public static ImageInfo? TryRead(ReadOnlySpan<byte> data)
        {
            return SniffFormat(data) switch
            {
                ImageFormat.Png => TryReadPng(data),
                ImageFormat.Jpeg => TryReadJpeg(data),
                ImageFormat.WebP => TryReadWebP(data),
                _ => null,
            };
        }

        private static int BigEndian32(ReadOnlySpan<byte> d, int o) => (d[o] << 24) | (d[o + 1] << 16) | (d[o + 2] << 8) | d[o + 3];

        private static ImageInfo? TryReadPng(ReadOnlySpan<byte> data)
        {
            // Signature (8) + IHDR length (4) + "IHDR" (4) + width (4) + height (4) + depth (1) + color type (1).
            if (data.Length < 26 || BigEndian32(data, 8) != 13
                || data[12] != (byte)'I' || data[13] != (byte)'H' || data[14] != (byte)'D' || data[15] != (byte)'R')
                return null;
            int width = BigEndian32(data, 16);
            int height = BigEndian32(data, 20);
            if (width <= 0 || height <= 0) return null;
            byte colorType = data[25];
            bool alpha = colorType == 4 || colorType == 6;
            if (!alpha)
            {
                // A tRNS chunk before IDAT gives gray, RGB and palette images transparency.
                int offset = 8;
                while (offset + 8 <= data.Length)
                {
                    int length = BigEndian32(data, offset);
                    if (length < 0) break;
                    var type = data.Slice(offset + 4, 4);
                    if (type[0] == (byte)'t' && type[1] == (byte)'R' && type[2] == (byte)'N' && type[3] == (byte)'S') { alpha = true; break; }
                    if (type[0] == (byte)'I' && type[1] == (byte)'D' && type[2] == (byte)'A' && type[3] == (byte)'T') break;
                    long next = (long)offset + 12 + length;
                    if (next > data.Length) break;
                    offset = (int)next;
                }
            }
            return new ImageInfo(ImageFormat.Png, width, height, alpha);
        }

        private static ImageInfo? TryReadJpeg(ReadOnlySpan<byte> data)
        {
            int offset = 2;
            while (offset + 4 <= data.Length)
            {
                // Stray bytes between segments: skip to the next marker, as libjpeg does.
                if (data[offset] != 0xFF) { offset++; continue; }
                byte marker = data[offset + 1];
                if (marker == 0xFF) { offset++; continue; }
                if (marker == 0xD8 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) { offset += 2; continue; }
                int length = (data[offset + 2] << 8) | data[offset + 3];
                if (length < 2) return null;
                bool startOfFrame = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
                if (startOfFrame)
                {
                    if (offset + 9 > data.Length) return null;
                    int height = (data[offset + 5] << 8) | data[offset + 6];
                    int width = (data[offset + 7] << 8) | data[offset + 8];
                    if (width <= 0 || height <= 0) return null;
                    return new ImageInfo(ImageFormat.Jpeg, width, height, hasAlpha: false);
                }
                if (marker == 0xD9 || marker == 0xDA) return null;
                offset += 2 + length;
            }
            return null;
        }

        private static ImageInfo? TryReadWebP(ReadOnlySpan<byte> data)
        {
            // RIFF header (12), then the first chunk's header (8): its fourcc says which bitstream follows.
            if (data.Length < 25) return null;
            var chunk = data.Slice(12, 4);
            if (chunk[0] == (byte)'V' && chunk[1] == (byte)'P' && chunk[2] == (byte)'8')
            {
                if (chunk[3] == (byte)' ')
                {
                    // Lossy: 3-byte frame tag (bit 0 clear on a key frame), start code 9D 01 2A, then 14-bit width
                    // and height whose top two bits are an upscaling hint, not part of the size.
                    if (data.Length < 30 || (data[20] & 1) != 0) return null;
                    if (data[23] != 0x9D || data[24] != 0x01 || data[25] != 0x2A) return null;
                    int width = (data[26] | (data[27] << 8)) & 0x3FFF;
                    int height = (data[28] | (data[29] << 8)) & 0x3FFF;
                    return width > 0 && height > 0 ? new ImageInfo(ImageFormat.WebP, width, height, false) : null;
                }
                if (chunk[3] == (byte)'L')
                {
                    // Lossless: signature 0x2F, then 14-bit width-1, 14-bit height-1, 1 alpha hint bit.
                    if (data[20] != 0x2F) return null;
                    uint bits = (uint)(data[21] | (data[22] << 8) | (data[23] << 16) | (data[24] << 24));
                    // The top three bits are a version number, and only version 0 exists.
                    if ((bits >> 29) != 0) return null;
                    int width = (int)(bits & 0x3FFF) + 1;
                    int height = (int)((bits >> 14) & 0x3FFF) + 1;
                    bool alpha = ((bits >> 28) & 1) != 0;
                    return new ImageInfo(ImageFormat.WebP, width, height, alpha);
                }
                if (chunk[3] == (byte)'X')
                {
                    // Extended: flags byte (alpha is bit 4), 3 reserved bytes, 24-bit width-1 and height-1.
                    if (data.Length < 30) return null;
                    bool alpha = (data[20] & 0x10) != 0;
                    int width = (data[24] | (data[25] << 8) | (data[26] << 16)) + 1;
                    int height = (data[27] | (data[28] << 8) | (data[29] << 16)) + 1;
                    return new ImageInfo(ImageFormat.WebP, width, height, alpha);
                }
            }
            return null;
        }
    }
}
