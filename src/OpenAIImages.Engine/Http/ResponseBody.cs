using System;
using System.Buffers;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace OpenAIImages.Engine.Http
{
    /// <summary>
    /// A response body read into one pooled buffer. Image responses run to tens of megabytes of base64; reading them
    /// into a rented array (sized from Content-Length when the server sends it) and decoding from there means the
    /// only large allocation per response is the decoded images themselves.
    /// </summary>
    internal sealed class ResponseBody : IDisposable
    {
        private byte[]? _buffer;

        public int Length { get; private set; }

        public ReadOnlySpan<byte> Span => _buffer == null ? ReadOnlySpan<byte>.Empty : new ReadOnlySpan<byte>(_buffer, 0, Length);

        private ResponseBody(byte[] buffer, int length)
        {
            _buffer = buffer;
            Length = length;
        }

        /// <summary>Reads the whole stream; refuses bodies larger than <paramref name="maxBytes"/>.</summary>
        public static async Task<ResponseBody> ReadAsync(Stream stream, long? contentLength, long maxBytes, CancellationToken cancellationToken)
        {
            if (contentLength > maxBytes) throw new InvalidDataException($"The response is {contentLength:N0} bytes, more than the {maxBytes:N0} this client accepts.");
            int initial = contentLength is long known ? (int)Math.Max(known, 1) : 64 * 1024;
            byte[] buffer = ArrayPool<byte>.Shared.Rent(contentLength is long ? initial + 1 : initial);
            int length = 0;
            try
            {
                while (true)
                {
                    if (length == buffer.Length)
                    {
                        if (buffer.Length >= maxBytes) throw new InvalidDataException($"The response is larger than the {maxBytes:N0} bytes this client accepts.");
                        var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min(maxBytes, (long)buffer.Length * 2));
                        Buffer.BlockCopy(buffer, 0, larger, 0, length);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = larger;
                    }
                    int read = await stream.ReadAsync(buffer, length, buffer.Length - length, cancellationToken).ConfigureAwait(false);
                    if (read == 0) break;
                    length += read;
                }
                if (contentLength is long expected && length != expected)
                    throw new InvalidDataException($"The response ended after {length:N0} of {expected:N0} bytes.");
                return new ResponseBody(buffer, length);
            }
            catch
            {
                ArrayPool<byte>.Shared.Return(buffer);
                throw;
            }
        }

        public void Dispose()
        {
            var buffer = Interlocked.Exchange(ref _buffer, null);
            if (buffer != null) ArrayPool<byte>.Shared.Return(buffer);
            Length = 0;
        }
    }
}
