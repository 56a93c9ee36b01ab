using System;
using System.Collections.Generic;
using System.Threading.Tasks;

namespace OpenAIImages.Engine.Imaging
{
    /// <summary>
    /// What the chunk walk found: the validated header, color tables, and where the IDAT payloads (together one zlib
    /// stream) lie in the file. The decoder reads them where they are, with the file pinned; nothing is copied.
    /// </summary>
    internal sealed class PngFile
    {
        public PngHeader Header { get; }
        public PngPalette? Palette { get; }
        public PngTransparentColor TransparentColor { get; }

        /// <summary>The IDAT payloads' offsets and lengths in the file, in order.</summary>
        public IReadOnlyList<(int Offset, int Length)> ImageData { get; }

        /// <summary>The zlib stream's length: the payloads' total.</summary>
        public int ImageDataLength { get; }

        public PngFile(PngHeader header, PngPalette? palette, PngTransparentColor transparentColor, IReadOnlyList<(int Offset, int Length)> imageData, int imageDataLength)
        {
            Header = header;
            Palette = palette;
            TransparentColor = transparentColor;
            ImageData = imageData;
            ImageDataLength = imageDataLength;
        }

        /// <summary>IDAT chunks whose CRC the walk left to <see cref="StartDeferredCrcCheck"/>; empty when it checked them all.</summary>
        internal IReadOnlyList<DeferredCrc> DeferredCrcs { get; set; } = Array.Empty<DeferredCrc>();

        /// <summary>
        /// Checks the deferred IDAT CRCs on another thread while the caller inflates, and hands back the error of the
        /// first chunk that fails (null when all pass). <paramref name="png"/> is the file, pinned by the caller until
        /// it has waited for the check.
        /// </summary>
        public unsafe Task<ImageDecodeException?>? StartDeferredCrcCheck(byte* png)
        {
            if (DeferredCrcs.Count == 0) return null;
            var file = (IntPtr)png;
            var checks = DeferredCrcs;
            return Task.Run(() =>
            {
                foreach (var check in checks)
                {
                    var error = check.Verify(new ReadOnlySpan<byte>((byte*)file + check.FileOffset + 8, check.Length));
                    if (error is not null) return error;
                }
                return (ImageDecodeException?)null;
            });
        }
    }

    /// <summary>An IDAT chunk whose CRC is still to be checked: where it is in the file.</summary>
    internal readonly struct DeferredCrc
    {
        public DeferredCrc(int fileOffset, int length, uint stored)
        {
            FileOffset = fileOffset;
            Length = length;
            Stored = stored;
        }

        public int FileOffset { get; }
        public int Length { get; }
        public uint Stored { get; }

        private static readonly byte[] IdatType = { (byte)'I', (byte)'D', (byte)'A', (byte)'T' };

        /// <summary>The same error the walk gives for a CRC mismatch, or null when the data matches.</summary>
        public ImageDecodeException? Verify(ReadOnlySpan<byte> data)
        {
            uint computed = Crc32.Update(Crc32.Update(0xFFFFFFFFu, IdatType), data) ^ 0xFFFFFFFFu;
            return computed == Stored ? null : PngChunkReader.CrcMismatch("IDAT", FileOffset, Stored, computed);
        }
    }

    /// <summary>
    /// Walks the chunks of a PNG file, checking every CRC and the ordering rules that affect pixel values, and
    /// enforces the size limits from IHDR before anything large is allocated.
    /// </summary>
    internal static class PngChunkReader
    {
        private static readonly byte[] Signature = { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A };

        // Deflate cannot expand data by more than 1032:1 (a 258-byte match coded in two bits), so fewer
        // compressed bytes than this prove the file is truncated before any pixel memory is spent on it.
        private const int MaxDeflateRatio = 1032;

        // Below this much image data, checking its CRCs on another thread costs more than it saves.
        private const long DeferCrcFrom = 1 << 20;

        internal static ImageDecodeException CrcMismatch(string type, int offset, uint stored, uint computed) =>
            ImageDecodeException.Corrupt($"CRC mismatch in chunk {type} at offset {offset} (stored 0x{stored:X8}, computed 0x{computed:X8}).");

        /// <summary>
        /// Walks the chunks. With <paramref name="deferImageDataCrc"/>, the CRCs of large image data are left to
        /// <see cref="PngFile.StartDeferredCrcCheck"/>, to be checked while the data inflates; every error is still the
        /// one the file's first fault gives: a walk that fails checks the deferred chunks before it first.
        /// </summary>
        public static PngFile Read(ReadOnlySpan<byte> png, PngDecoderOptions options, bool deferImageDataCrc = false)
        {
            var deferred = deferImageDataCrc ? new List<DeferredCrc>() : null;
            try
            {
                var file = Walk(png, options, deferred);
                if (deferred is null || deferred.Count == 0) return file;
                if (file.ImageDataLength >= DeferCrcFrom)
                {
                    file.DeferredCrcs = deferred;
                    return file;
                }
                VerifyNow(png, deferred);
                return file;
            }
            catch (ImageDecodeException) when (deferred is not null && deferred.Count > 0)
            {
                VerifyNow(png, deferred);
                throw;
            }
        }

        private static void VerifyNow(ReadOnlySpan<byte> png, List<DeferredCrc> deferred)
        {
            foreach (var check in deferred)
            {
                var error = check.Verify(png.Slice(check.FileOffset + 8, check.Length));
                if (error is not null) throw error;
            }
        }

        private static PngFile Walk(ReadOnlySpan<byte> png, PngDecoderOptions options, List<DeferredCrc>? deferred)
        {
            CheckSignature(png);
            PngHeader? header = null;
            PngPalette? palette = null;
            PngTransparentColor transparentColor = default;
            bool sawTransparency = false;
            var idatRanges = new List<(int Offset, int Length)>();
            long idatTotal = 0;
            uint previous = 0;
            bool idatEnded = false;
            int offset = Signature.Length;

            while (true)
            {
                int remaining = png.Length - offset;
                if (remaining == 0) throw ImageDecodeException.Truncated($"PNG truncated: the file ends after {Describe(previous)}, before the IEND chunk.");
                if (remaining < 8) throw ImageDecodeException.Truncated($"PNG truncated inside the chunk header after {Describe(previous)}.");
                uint length = BigEndian.ReadUInt32(png, offset);
                var typeBytes = png.Slice(offset + 4, 4);
                uint type = CheckedType(typeBytes, offset);
                if (length > int.MaxValue) throw ImageDecodeException.Corrupt($"Chunk {Name(type)} at offset {offset} declares length {length}, more than the PNG maximum of 2147483647.");
                if ((long)remaining < 12L + length) throw ImageDecodeException.Truncated($"PNG truncated inside chunk {Name(type)}: it declares {length} data bytes but only {Math.Max(0, remaining - 12)} remain.");
                var data = png.Slice(offset + 8, (int)length);
                uint stored = BigEndian.ReadUInt32(png, offset + 8 + (int)length);
                if (type == Idat && deferred is not null)
                {
                    deferred.Add(new DeferredCrc(offset, (int)length, stored));
                }
                else
                {
                    uint computed = Crc32.Update(Crc32.Update(0xFFFFFFFFu, typeBytes), data) ^ 0xFFFFFFFFu;
                    if (stored != computed) throw CrcMismatch(Name(type), offset, stored, computed);
                }

                if (header is null && type != Ihdr) throw ImageDecodeException.Corrupt($"The first chunk is {Name(type)}; a PNG must start with IHDR.");
                if (idatRanges.Count > 0 && type != Idat) idatEnded = true;

                switch (type)
                {
                    case Ihdr:
                        if (header is not null) throw ImageDecodeException.Corrupt("The PNG has more than one IHDR chunk.");
                        var parsed = PngHeader.Parse(data);
                        CheckLimits(parsed, options);
                        header = parsed;
                        break;
                    case Plte:
                        // A palette in a gray image is forbidden and in an RGB image only a suggestion; neither changes a pixel.
                        if (header!.Value.ColorType != PngColorType.Palette) break;
                        if (palette is not null) throw ImageDecodeException.Corrupt("The PNG has more than one PLTE chunk.");
                        if (idatRanges.Count > 0) throw ImageDecodeException.Corrupt("The PLTE chunk comes after image data; it must come before IDAT.");
                        palette = new PngPalette(data);
                        break;
                    case Trns:
                        var colorType = header!.Value.ColorType;
                        // Images with an alpha channel may not carry tRNS; libpng ignores it there, and so do we.
                        if (colorType == PngColorType.GrayAlpha || colorType == PngColorType.Rgba) break;
                        if (sawTransparency) throw ImageDecodeException.Corrupt("The PNG has more than one tRNS chunk.");
                        if (idatRanges.Count > 0) throw ImageDecodeException.Corrupt("The tRNS chunk comes after image data; it must come before IDAT.");
                        sawTransparency = true;
                        if (colorType == PngColorType.Palette)
                        {
                            if (palette is null) throw ImageDecodeException.Corrupt("The tRNS chunk comes before PLTE; a palette image needs PLTE first.");
                            palette.ApplyTransparency(data);
                        }
                        else
                        {
                            transparentColor = PngTransparentColor.Parse(data, colorType);
                        }
                        break;
                    case Idat:
                        if (idatEnded) throw ImageDecodeException.Corrupt("IDAT chunks are not consecutive; another chunk sits between them.");
                        if (header!.Value.ColorType == PngColorType.Palette && palette is null)
                            throw ImageDecodeException.Corrupt("The palette image has no PLTE chunk before its image data.");
                        idatRanges.Add((offset + 8, (int)length));
                        idatTotal += length;
                        break;
                    case Iend:
                        if (idatRanges.Count == 0) throw ImageDecodeException.Corrupt("The PNG has no IDAT chunk, so it holds no image data.");
                        CheckImageDataLength(idatTotal, header!.Value);
                        return new PngFile(header.Value, palette, transparentColor, idatRanges, (int)idatTotal);
                    default:
                        // Bit 5 of the first letter marks a chunk as ancillary; an unknown critical chunk would change the meaning of the pixels.
                        if ((typeBytes[0] & 0x20) == 0) throw ImageDecodeException.Corrupt($"Unknown critical chunk {Name(type)}; this decoder cannot interpret the image without it.");
                        break;
                }
                previous = type;
                offset += 12 + (int)length;
            }
        }

        private static void CheckSignature(ReadOnlySpan<byte> png)
        {
            bool signatureOk = png.Length >= Signature.Length && png.Slice(0, Signature.Length).SequenceEqual(Signature);
            if (signatureOk) return;
            if (png.Length == 0) throw ImageDecodeException.Truncated("The data is empty; a PNG file starts with an 8-byte signature.");
            var format = ImageInfo.SniffFormat(png);
            if (format == ImageFormat.Jpeg || format == ImageFormat.WebP)
                throw new ImageDecodeException(ImageDecodeFailure.UnsupportedFormat, $"This is a {format.DisplayName()} image, not a PNG.");
            if (png.Length < Signature.Length && png.SequenceEqual(Signature.AsSpan(0, png.Length)))
                throw ImageDecodeException.Truncated($"PNG truncated inside the signature: only {png.Length} bytes.");
            // Most of the signature intact means a PNG damaged in transit (its bytes guard against text-mode
            // line-ending and 7-bit conversions), not some other kind of file.
            int matching = 0;
            for (int i = 0; i < Math.Min(png.Length, Signature.Length); i++)
                if (png[i] == Signature[i]) matching++;
            if (matching >= 5)
                throw ImageDecodeException.Corrupt("Not a valid PNG: the 8-byte signature is damaged (by a text-mode or 7-bit transfer?).");
            throw new ImageDecodeException(ImageDecodeFailure.UnsupportedFormat, "Not a PNG: the data does not start with the PNG signature.");
        }

        // Chunk types as big-endian numbers, so the walk compares integers and builds names only for messages.
        private const uint Ihdr = 0x49484452, Plte = 0x504C5445, Trns = 0x74524E53, Idat = 0x49444154, Iend = 0x49454E44;

        private static uint CheckedType(ReadOnlySpan<byte> type, int offset)
        {
            for (int i = 0; i < 4; i++)
            {
                byte b = type[i];
                bool letter = (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z');
                if (!letter) throw ImageDecodeException.Corrupt($"Invalid chunk type bytes {type[0]:X2} {type[1]:X2} {type[2]:X2} {type[3]:X2} at offset {offset}; chunk types are four ASCII letters.");
            }
            return BigEndian.ReadUInt32(type, 0);
        }

        private static string Name(uint type) =>
            new string(new[] { (char)(type >> 24), (char)((type >> 16) & 0xFF), (char)((type >> 8) & 0xFF), (char)(type & 0xFF) });

        private static string Describe(uint previous) => previous == 0 ? "the signature" : "chunk " + Name(previous);

        private static void CheckLimits(in PngHeader header, PngDecoderOptions options)
        {
            if (header.PixelCount > options.MaxPixelCount)
                throw new ImageDecodeException(ImageDecodeFailure.LimitExceeded,
                    $"The PNG is {header.Width}x{header.Height} ({header.PixelCount:N0} pixels), more than the limit of {options.MaxPixelCount:N0} pixels.");
            long filtered = Adam7.FilteredDataLength(header);
            if (filtered > options.MaxDecompressedBytes)
                throw new ImageDecodeException(ImageDecodeFailure.LimitExceeded,
                    $"The PNG's image data would decompress to {filtered:N0} bytes, more than the limit of {options.MaxDecompressedBytes:N0} bytes.");
            // Whatever the options allow, pixels and rows must each fit one array.
            if (header.PixelCount > int.MaxValue / 4 || header.RowBytes(header.Width) >= int.MaxValue)
                throw new ImageDecodeException(ImageDecodeFailure.LimitExceeded,
                    $"The PNG is {header.Width}x{header.Height}, too large for this decoder's buffers whatever the limits.");
        }

        private static void CheckImageDataLength(long total, in PngHeader header)
        {
            long needed = Adam7.FilteredDataLength(header);
            if (total * MaxDeflateRatio + 1024 < needed)
                throw ImageDecodeException.Truncated($"The PNG's image data is too short: {total:N0} compressed bytes cannot hold the {needed:N0} bytes a {header.Width}x{header.Height} image needs.");
        }
    }
}
