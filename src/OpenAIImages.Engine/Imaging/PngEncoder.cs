using System;
using System.Buffers;
using System.Collections.Generic;
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

            var ihdr = new byte[13];
            BigEndian.WriteUInt32(ihdr, 0, (uint)width);
            BigEndian.WriteUInt32(ihdr, 4, (uint)height);
            ihdr[8] = 8;
            ihdr[9] = (byte)colorType;
            using var idat = new IdatChunkStream();
            Compress(pixels, (int)rowLength, height, channels, options, idat);
            // The file is assembled once, at its exact size: signature, IHDR, the IDAT chunks as they were sealed, IEND.
            var output = new byte[Signature.Length + 12 + ihdr.Length + idat.Length + 12];
            Signature.CopyTo(output, 0);
            int at = Signature.Length;
            at = WriteChunk(output, at, "IHDR", ihdr);
            at = idat.CopyTo(output, at);
            WriteChunk(output, at, "IEND", ReadOnlySpan<byte>.Empty);
            return output;
        }

        [MethodImpl(HotPath.Optimize)]
        private static void Compress(ReadOnlySpan<byte> pixels, int rowLength, int height, int stride, PngEncoderOptions options, Stream zlib)
        {
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
        }

        /// <summary>The zlib FLG byte: its level hint must agree with the level used, and FCHECK makes CMF·256+FLG a multiple of 31.</summary>
        private static byte HeaderFlags(CompressionLevel level) => level switch
        {
            CompressionLevel.Optimal => 0x9C,
            CompressionLevel.Fastest or CompressionLevel.NoCompression => 0x01,
            _ => 0xDA,
        };

        /// <summary>Writes a whole chunk at <paramref name="at"/>; returns the offset after it.</summary>
        private static int WriteChunk(byte[] output, int at, string type, ReadOnlySpan<byte> data)
        {
            BigEndian.WriteUInt32(output, at, (uint)data.Length);
            for (int i = 0; i < 4; i++) output[at + 4 + i] = (byte)type[i];
            data.CopyTo(output.AsSpan(at + 8));
            BigEndian.WriteUInt32(output, at + 8 + data.Length, Crc32.Compute(output.AsSpan(at + 4, 4 + data.Length)));
            return at + 12 + data.Length;
        }

        /// <summary>
        /// Where the zlib stream is written: it fills one IDAT chunk at a time, each sealed with its length, type and
        /// CRC as it fills (while its bytes are still in cache), in buffers borrowed from the shared pool. The file is
        /// then copied together once, instead of through a growing zlib buffer, a copy of it and a copy per chunk.
        /// </summary>
        private sealed class IdatChunkStream : Stream
        {
            private static readonly byte[] Type = { (byte)'I', (byte)'D', (byte)'A', (byte)'T' };
            private readonly List<(byte[] Buffer, int Length)> _sealed = new List<(byte[], int)>();
            private byte[] _current = ArrayPool<byte>.Shared.Rent(12 + IdatChunkLength);
            private int _filled;
            private int _sealedLength;

            /// <summary>The length of all chunks, sealing the last one.</summary>
            public override long Length
            {
                get
                {
                    Seal();
                    return _sealedLength;
                }
            }

            public override void Write(byte[] buffer, int offset, int count)
            {
                while (count > 0)
                {
                    int n = Math.Min(count, IdatChunkLength - _filled);
                    Buffer.BlockCopy(buffer, offset, _current, 8 + _filled, n);
                    _filled += n;
                    offset += n;
                    count -= n;
                    if (_filled == IdatChunkLength) Seal();
                }
            }

            public override void WriteByte(byte value)
            {
                _current[8 + _filled++] = value;
                if (_filled == IdatChunkLength) Seal();
            }

            private void Seal()
            {
                if (_filled == 0) return;
                BigEndian.WriteUInt32(_current, 0, (uint)_filled);
                Type.CopyTo(_current, 4);
                BigEndian.WriteUInt32(_current, 8 + _filled, Crc32.Compute(_current.AsSpan(4, 4 + _filled)));
                _sealed.Add((_current, 12 + _filled));
                _sealedLength += 12 + _filled;
                _current = ArrayPool<byte>.Shared.Rent(12 + IdatChunkLength);
                _filled = 0;
            }

            /// <summary>Copies the sealed chunks to <paramref name="output"/> at <paramref name="at"/>; returns the offset after them.</summary>
            public int CopyTo(byte[] output, int at)
            {
                Seal();
                foreach (var (buffer, length) in _sealed)
                {
                    Buffer.BlockCopy(buffer, 0, output, at, length);
                    at += length;
                }
                return at;
            }

            protected override void Dispose(bool disposing)
            {
                if (disposing)
                {
                    foreach (var (buffer, _) in _sealed) ArrayPool<byte>.Shared.Return(buffer);
                    _sealed.Clear();
                    ArrayPool<byte>.Shared.Return(_current);
                    _current = Array.Empty<byte>();
                }
                base.Dispose(disposing);
            }

            public override bool CanRead => false;
            public override bool CanSeek => false;
            public override bool CanWrite => true;
            public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
            public override void Flush() { }
            public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
            public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
            public override void SetLength(long value) => throw new NotSupportedException();
        }
    }
}
