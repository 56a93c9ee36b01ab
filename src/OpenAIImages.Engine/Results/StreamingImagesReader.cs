using System;
using System.Buffers;
using System.Buffers.Text;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace OpenAIImages.Engine.Results
{
    /// <summary>
    /// Reads an ImagesResponse while it streams in, decoding every <c>b64_json</c> value as it arrives instead of
    /// first buffering the whole body: the base64 text (a third larger than the images) is never held at once, so
    /// even the first call of a process, whose pools are empty, allocates little more than the images themselves.
    /// </summary>
    /// <remarks>
    /// The body passes through one small window. Everything but the b64_json values is copied into a skeleton (the
    /// same JSON with each b64_json value emptied), which <see cref="ImagesResponseReader"/> then reads as usual for
    /// created, data (revised_prompt, url), the reported settings and usage; the decoded images take the places of the
    /// emptied values, in order. The scanner knows only what it must: strings (with escapes) and the key b64_json
    /// followed by a colon and a string value.
    /// </remarks>
    internal static class StreamingImagesReader
    {
        private const int WindowSize = 256 * 1024;
        private static readonly byte[] Key = System.Text.Encoding.ASCII.GetBytes("b64_json");

        public static async Task<ImagesResponse> ReadAsync(Stream stream, long maxBytes, CancellationToken cancellationToken)
        {
            byte[] window = ArrayPool<byte>.Shared.Rent(WindowSize);
            var scanner = new Scanner();
            long total = 0;
            try
            {
                while (true)
                {
                    int read = await stream.ReadAsync(window, 0, window.Length, cancellationToken).ConfigureAwait(false);
                    if (read == 0) break;
                    total += read;
                    if (total > maxBytes) throw new InvalidDataException($"The response is larger than the {maxBytes:N0} bytes this client accepts.");
                    scanner.Feed(new ReadOnlySpan<byte>(window, 0, read));
                }
                var images = scanner.Finish();
                var response = ImagesResponseReader.Read(scanner.Skeleton);
                // Each b64_json string was emptied in the skeleton; its decoded image goes back in its place, in order.
                int next = 0;
                foreach (var item in response.Data)
                {
                    if (!item.HasBase64) continue;
                    if (next >= images.Count) throw new InvalidDataException("The response is not an Images API response: the b64_json values could not be matched to their items.");
                    item.Bytes = images[next++];
                }
                if (next != images.Count) throw new InvalidDataException("The response is not an Images API response: b64_json appears outside the items of data.");
                return response;
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(window);
                scanner.Dispose();
            }
        }

        /// <summary>The state of one pass over the body.</summary>
        private sealed class Scanner : IDisposable
        {
            private readonly SkeletonWriter _skeleton = new SkeletonWriter();
            private readonly List<byte[]?> _images = new List<byte[]?>();
            private readonly byte[] _keyBuffer = new byte[Key.Length + 1];
            private int _keyLength;
            private bool _inString, _escape, _keyMatched, _afterColon, _inBase64, _base64Escape;

            // The decoded bytes of the current value grow in a pooled buffer; the image gets an exact copy at its end.
            private byte[] _decoded = Array.Empty<byte>();
            private int _decodedLength;
            private readonly byte[] _quad = new byte[4];
            private int _quadLength;
            private bool _sawPadding;

            public ReadOnlySpan<byte> Skeleton => _skeleton.Written;

            public void Feed(ReadOnlySpan<byte> data)
            {
                // Where the skeleton's copy of this chunk starts; -1 while inside a b64_json value, which is left out.
                int copyFrom = _inBase64 ? -1 : 0;
                int i = 0;
                if (_base64Escape && data.Length > 0)
                {
                    // A \/ split across two reads.
                    if (data[0] != (byte)'/') throw Invalid("an escape other than \\/ inside b64_json");
                    _base64Escape = false;
                    DecodeRun(data.Slice(0, 1));
                    i = 1;
                }
                while (i < data.Length)
                {
                    if (_inBase64)
                    {
                        var rest = data.Slice(i);
                        int stop = rest.IndexOfAny((byte)'"', (byte)'\\');
                        DecodeRun(stop < 0 ? rest : rest.Slice(0, stop));
                        if (stop < 0) return;
                        i += stop;
                        if (data[i] == (byte)'\\')
                        {
                            if (i + 1 == data.Length)
                            {
                                _base64Escape = true;
                                return;
                            }
                            if (data[i + 1] != (byte)'/') throw Invalid("an escape other than \\/ inside b64_json");
                            DecodeRun(data.Slice(i + 1, 1));
                            i += 2;
                            continue;
                        }
                        // The closing quote: the skeleton gets the value empty, the image its exact bytes.
                        _inBase64 = false;
                        EndImage();
                        copyFrom = i;
                        i++;
                        continue;
                    }
                    byte b = data[i++];
                    if (_inString)
                    {
                        if (_escape) _escape = false;
                        else if (b == (byte)'\\') _escape = true;
                        else if (b == (byte)'"')
                        {
                            _inString = false;
                            _keyMatched = _keyLength == Key.Length && _keyBuffer.AsSpan(0, Key.Length).SequenceEqual(Key);
                            continue;
                        }
                        if (_keyLength < _keyBuffer.Length) _keyBuffer[_keyLength] = b;
                        if (_keyLength <= _keyBuffer.Length) _keyLength++;
                        continue;
                    }
                    if (b == (byte)' ' || b == (byte)'\t' || b == (byte)'\n' || b == (byte)'\r') continue;
                    if (_keyMatched && b == (byte)':')
                    {
                        _keyMatched = false;
                        _afterColon = true;
                        continue;
                    }
                    if (_afterColon && b == (byte)'"')
                    {
                        // The value of b64_json begins: copy up to its opening quote, and leave the value out.
                        _afterColon = false;
                        _skeleton.Write(data.Slice(copyFrom, i - copyFrom));
                        copyFrom = -1;
                        _inBase64 = true;
                        _decodedLength = 0;
                        _quadLength = 0;
                        _sawPadding = false;
                        continue;
                    }
                    _keyMatched = false;
                    _afterColon = false;
                    if (b == (byte)'"')
                    {
                        _inString = true;
                        _keyLength = 0;
                    }
                }
                if (copyFrom >= 0) _skeleton.Write(data.Slice(copyFrom));
            }

            /// <summary>Decodes base64 text as it comes, carrying up to three characters over to the next run.</summary>
            private void DecodeRun(ReadOnlySpan<byte> text)
            {
                if (text.IsEmpty) return;
                if (_sawPadding) throw Invalid("data after the padding of b64_json");
                if (_quadLength > 0)
                {
                    int take = Math.Min(4 - _quadLength, text.Length);
                    text.Slice(0, take).CopyTo(_quad.AsSpan(_quadLength));
                    _quadLength += take;
                    text = text.Slice(take);
                    if (_quadLength < 4) return;
                    _quadLength = 0;
                    Decode(_quad);
                }
                int whole = text.Length / 4 * 4;
                if (whole > 0) Decode(text.Slice(0, whole));
                text.Slice(whole).CopyTo(_quad);
                _quadLength = text.Length - whole;
                if (_quadLength > 0 && _sawPadding) throw Invalid("data after the padding of b64_json");
            }

            private void Decode(ReadOnlySpan<byte> quads)
            {
                if (_sawPadding) throw Invalid("data after the padding of b64_json");
                Ensure(quads.Length / 4 * 3);
                var status = Base64.DecodeFromUtf8(quads, _decoded.AsSpan(_decodedLength), out int consumed, out int written);
                if (status != OperationStatus.Done || consumed != quads.Length) throw Invalid("b64_json that is not valid base64");
                _decodedLength += written;
                if (quads[quads.Length - 1] == (byte)'=') _sawPadding = true;
            }

            private void EndImage()
            {
                if (_quadLength != 0) throw Invalid("b64_json whose length is not a multiple of 4");
                // An empty value is no image (some servers send it beside a url).
                _images.Add(_decodedLength == 0 ? null : CopyOut(_decoded.AsSpan(0, _decodedLength)));
            }

            private void Ensure(int more)
            {
                if (_decodedLength + more <= _decoded.Length) return;
                var larger = ArrayPool<byte>.Shared.Rent(Math.Max(Math.Max(_decoded.Length * 2, _decodedLength + more), 4 * 1024 * 1024));
                _decoded.AsSpan(0, _decodedLength).CopyTo(larger);
                if (_decoded.Length > 0) ArrayPool<byte>.Shared.Return(_decoded);
                _decoded = larger;
            }

            public List<byte[]?> Finish()
            {
                if (_inBase64 || _inString) throw Invalid("a body that ends inside a string");
                return _images;
            }

            /// <summary>The image's own array, at its exact size; every byte is copied in, so it is not zeroed first.</summary>
            private static byte[] CopyOut(ReadOnlySpan<byte> image)
            {
                var bytes = UninitializedArray.Bytes(image.Length);
                image.CopyTo(bytes);
                return bytes;
            }

            public void Dispose()
            {
                if (_decoded.Length > 0) ArrayPool<byte>.Shared.Return(_decoded);
                _decoded = Array.Empty<byte>();
            }

            /// <summary>The skeleton's bytes: small (everything but the images), so a plain growing array.</summary>
            private sealed class SkeletonWriter
            {
                private byte[] _bytes = new byte[4096];
                private int _length;

                public ReadOnlySpan<byte> Written => new ReadOnlySpan<byte>(_bytes, 0, _length);

                public void Write(ReadOnlySpan<byte> data)
                {
                    if (_length + data.Length > _bytes.Length) Array.Resize(ref _bytes, Math.Max(_bytes.Length * 2, _length + data.Length));
                    data.CopyTo(_bytes.AsSpan(_length));
                    _length += data.Length;
                }
            }

            private static InvalidDataException Invalid(string what) => new InvalidDataException("The response is not an Images API response: " + what + ".");
        }
    }
}
