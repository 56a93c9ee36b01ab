using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.IO;
using System.IO.Compression;

namespace OpenAIImages.Engine.Imaging
{
    /// <summary>
    /// Reads a zlib stream of known decompressed length: checks the two-byte header, inflates with
    /// <see cref="DeflateStream"/>, and at the end insists on exactly the expected length and a matching Adler-32.
    /// Reading stops at the expected length, so a stream that would inflate to gigabytes costs nothing extra.
    /// </summary>
    internal sealed class ZlibDataReader : IDisposable
    {
        private readonly uint _storedAdler;
        private readonly DeflateStream _inflater;
        private readonly long _expected;
        private long _read;
        private uint _adler = Adler32.Initial;
        private ImageDecodeException? _pending;

        /// <summary>
        /// Reads the file's image data where it lies: <paramref name="png"/> is the whole file, pinned by the caller
        /// for as long as this reader lives.
        /// </summary>
        public unsafe ZlibDataReader(byte* png, PngFile file)
        {
            var data = new ImageDataStream(png, file.ImageData);
            int length = file.ImageDataLength;
            if (length < 6) throw ImageDecodeException.Truncated($"The PNG's zlib stream is only {length} bytes; even an empty one needs 6.");
            int cmf = data.At(0), flg = data.At(1);
            if ((cmf & 0x0F) != 8) throw ImageDecodeException.Corrupt($"The PNG's zlib stream uses compression method {cmf & 0x0F}; PNG requires 8 (deflate).");
            if ((cmf >> 4) > 7) throw ImageDecodeException.Corrupt($"The PNG's zlib stream declares a window of 2^{(cmf >> 4) + 8} bytes; the maximum is 32768.");
            if (((cmf << 8) | flg) % 31 != 0) throw ImageDecodeException.Corrupt("The PNG's zlib header check bits are wrong.");
            if ((flg & 0x20) != 0) throw ImageDecodeException.Corrupt("The PNG's zlib stream asks for a preset dictionary, which PNG does not allow.");
            _storedAdler = (uint)((data.At(length - 4) << 24) | (data.At(length - 3) << 16) | (data.At(length - 2) << 8) | data.At(length - 1));
            _expected = Adam7.FilteredDataLength(file.Header);
            // The Adler-32 trailer is fed to the inflater too; it ignores whatever follows the final block.
            data.Skip(2);
            _inflater = new DeflateStream(data, CompressionMode.Decompress);
        }

        /// <summary>Fills buffer[0..count) with the next decompressed bytes.</summary>
        public void ReadExactly(byte[] buffer, int count) => ReadExactly(buffer, 0, count);

        /// <summary>Fills buffer[offset..offset+count) with the next decompressed bytes.</summary>
        [MethodImpl(HotPath.Optimize)]
        public void ReadExactly(byte[] buffer, int offset, int count)
        {
            int done = 0;
            while (done < count)
            {
                int n = InflateInto(buffer, offset + done, count - done);
                if (n == 0)
                    throw ImageDecodeException.Truncated($"The PNG's image data ends early: the zlib stream stops after {_read + done:N0} of the {_expected:N0} bytes the image needs.");
                done += n;
            }
            _adler = Adler32.Update(_adler, buffer.AsSpan(offset, count));
            _read += count;
        }

        /// <summary>
        /// Fills buffer[offset..offset+count) as far as the stream goes and returns how many bytes that is: fewer when
        /// the stream ends early or turns out corrupt. The caller uses the whole rows it got, then calls
        /// <see cref="ThrowShortRead"/>, so a fault in an earlier row is still the one reported.
        /// </summary>
        [MethodImpl(HotPath.Optimize)]
        public int ReadUpTo(byte[] buffer, int offset, int count)
        {
            int done = 0;
            while (done < count && _pending is null)
            {
                int n;
                try
                {
                    n = InflateInto(buffer, offset + done, count - done);
                }
                catch (ImageDecodeException ex)
                {
                    _pending = ex;
                    break;
                }
                if (n == 0)
                {
                    _pending = ImageDecodeException.Truncated($"The PNG's image data ends early: the zlib stream stops after {_read + done:N0} of the {_expected:N0} bytes the image needs.");
                    break;
                }
                done += n;
            }
            _adler = Adler32.Update(_adler, buffer.AsSpan(offset, done));
            _read += done;
            return done;
        }

        /// <summary>After <see cref="ReadUpTo"/> returned less than asked: throws why.</summary>
        public void ThrowShortRead() => throw (_pending ?? (Exception)new InvalidOperationException("The last read was not short."));

        /// <summary>Call after the last row: rejects trailing image data and a wrong checksum.</summary>
        public void Finish()
        {
            var probe = new byte[1];
            if (InflateInto(probe, 0, 1) != 0)
                throw ImageDecodeException.Corrupt($"The PNG's zlib stream holds more data than the {_expected:N0} bytes the image needs.");
            uint stored = _storedAdler;
            if (stored != _adler)
                throw ImageDecodeException.Corrupt($"Adler-32 mismatch in the PNG's image data (stored 0x{stored:X8}, computed 0x{_adler:X8}): the zlib stream is corrupt or has bytes after its end.");
        }

        private int InflateInto(byte[] buffer, int offset, int count)
        {
            try
            {
                return _inflater.Read(buffer, offset, count);
            }
            catch (Exception ex) when (ex is InvalidDataException || ex is IOException)
            {
                // Runtimes report bad deflate data as InvalidDataException, and zlib's other failures as IOException subclasses.
                throw new ImageDecodeException(ImageDecodeFailure.Corrupt, $"The PNG's image data is not valid deflate data after {_read:N0} bytes: {ex.Message}", ex);
            }
        }

        public void Dispose() => _inflater.Dispose();

        /// <summary>
        /// The IDAT payloads, read in order straight from the pinned file: what the inflater reads, with no joined copy.
        /// </summary>
        private sealed unsafe class ImageDataStream : Stream
        {
            private readonly byte* _png;
            private readonly IReadOnlyList<(int Offset, int Length)> _ranges;
            private int _range;
            private int _inRange;

            public ImageDataStream(byte* png, IReadOnlyList<(int Offset, int Length)> ranges)
            {
                _png = png;
                _ranges = ranges;
            }

            /// <summary>The byte at a position of the joined stream (for the header and the trailer).</summary>
            public byte At(int position)
            {
                foreach (var (offset, length) in _ranges)
                {
                    if (position < length) return _png[offset + position];
                    position -= length;
                }
                throw new ArgumentOutOfRangeException(nameof(position));
            }

            public void Skip(int count)
            {
                while (count > 0 && _range < _ranges.Count)
                {
                    int n = Math.Min(count, _ranges[_range].Length - _inRange);
                    Advance(n);
                    count -= n;
                }
            }

            public override int Read(byte[] buffer, int offset, int count)
            {
                int done = 0;
                while (done < count && _range < _ranges.Count)
                {
                    var (start, length) = _ranges[_range];
                    int n = Math.Min(count - done, length - _inRange);
                    new ReadOnlySpan<byte>(_png + start + _inRange, n).CopyTo(buffer.AsSpan(offset + done, n));
                    Advance(n);
                    done += n;
                }
                return done;
            }

            private void Advance(int n)
            {
                _inRange += n;
                while (_range < _ranges.Count && _inRange == _ranges[_range].Length)
                {
                    _range++;
                    _inRange = 0;
                }
            }

            public override bool CanRead => true;
            public override bool CanSeek => false;
            public override bool CanWrite => false;
            public override long Length => throw new NotSupportedException();
            public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
            public override void Flush() { }
            public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
            public override void SetLength(long value) => throw new NotSupportedException();
            public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        }
    }
}
