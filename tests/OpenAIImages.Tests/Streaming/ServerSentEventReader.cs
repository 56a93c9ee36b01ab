using System;
using System.Buffers;
using System.Collections.Generic;
using System.IO;
using System.Net.ServerSentEvents;
using System.Threading;
using System.Threading.Tasks;
using OpenAIImages.Engine.Http;
using OpenAIImages.Engine.Streaming;

namespace OpenAIImages.Tests.Streaming
{
    /// <summary>
    /// The tests' event-by-event view of what the image stream reader reads: System.Net.ServerSentEvents' SseParser on
    /// the engine's <see cref="EventStreamGuard"/>, as ImageStreamReader composes them, with each event's data copied
    /// out so a test can look at it. It reads a <c>text/event-stream</c> body event by event. The event stream format itself (fields, line endings,
    /// a leading BOM, ids, retry, and discarding an event not closed by a blank line when the stream ends, so a cut
    /// connection cannot pass off half an event as a whole one) is System.Net.ServerSentEvents' <see cref="SseParser"/>.
    /// What it lacks is here and in <see cref="EventStreamGuard"/>: an idle timeout, limits on the size of an event
    /// and of its other fields, cancellation that ends a pending read at once, and errors that name the failure and
    /// carry the request id.
    /// </summary>
    /// <remarks>
    /// <see cref="Data"/> is a view of a pooled buffer, valid until the next <see cref="ReadNextAsync"/> or
    /// <see cref="Dispose"/>. After a failure or cancellation the reader is finished. One reader serves one consumer.
    /// The stream is disposed only to abort a read on cancellation or timeout: the caller owns it.
    /// </remarks>
    internal sealed class ServerSentEventReader : IDisposable
    {
        public static readonly TimeSpan DefaultIdleTimeout = EventStreamGuard.DefaultIdleTimeout;
        public const int DefaultMaxEventBytes = EventStreamGuard.DefaultMaxEventBytes;
        internal const int MaxFieldBytes = EventStreamGuard.MaxFieldLineBytes;

        private readonly EventStreamGuard _guard;
        private readonly SseParser<string> _parser;
        private IAsyncEnumerator<SseItem<string>>? _events;
        private byte[]? _data;
        private int _dataLength;
        private bool _holdingEvent;
        private bool _finished;
        private bool _disposed;

        /// <param name="stream">The response body; read, and disposed only to abort a read on cancellation or timeout.</param>
        /// <param name="idleTimeout">The longest wait for the next bytes; <see cref="Timeout.InfiniteTimeSpan"/> waits forever.</param>
        /// <param name="requestId">The response's x-request-id, quoted in errors.</param>
        /// <param name="maxEventBytes">The largest event, in bytes as sent.</param>
        public ServerSentEventReader(Stream stream, TimeSpan idleTimeout, string? requestId = null, int maxEventBytes = DefaultMaxEventBytes)
        {
            _guard = new EventStreamGuard(stream ?? throw new ArgumentNullException(nameof(stream)), idleTimeout, requestId, maxEventBytes);
            // The parser calls this with the event's data while it is still in the parser's own buffer; one copy
            // keeps it for the consumer until the next read.
            _parser = SseParser.Create(_guard, (type, data) =>
            {
                Keep(data);
                return _guard.TypeOf(type);
            });
        }

        /// <summary>The event's type: its <c>event</c> field, or <c>message</c> when it had none.</summary>
        public string EventType { get; private set; } = "";

        /// <summary>The event's data lines joined with line feeds; valid until the next read.</summary>
        public ReadOnlyMemory<byte> Data => _holdingEvent ? new ReadOnlyMemory<byte>(_data, 0, _dataLength) : ReadOnlyMemory<byte>.Empty;

        /// <summary>The last event id the stream set (it carries over to later events, as the spec says).</summary>
        public string LastEventId => _parser.LastEventId;

        /// <summary>The reconnection time the stream asked for with <c>retry</c>, in milliseconds.</summary>
        public long? RetryMilliseconds => _parser.ReconnectionInterval is TimeSpan interval && interval != Timeout.InfiniteTimeSpan ? (long)interval.TotalMilliseconds : null;

        public TimeSpan IdleTimeout => _guard.IdleTimeout;

        /// <summary>
        /// Reads up to the end of the next event. Returns false at the end of the stream. Throws
        /// <see cref="OperationCanceledException"/> when <paramref name="cancellationToken"/> is cancelled, and
        /// <see cref="OpenAITransportException"/> when the stream stalls (<see cref="OpenAITransportException.TimedOut"/>),
        /// breaks (<see cref="OpenAITransportException.ConnectionFailed"/>) or sends an event or field over the size
        /// limits (<see cref="OpenAITransportException.ResponseInvalid"/>).
        /// </summary>
        public async ValueTask<bool> ReadNextAsync(CancellationToken cancellationToken = default)
        {
            if (_disposed) throw new ObjectDisposedException(nameof(ServerSentEventReader));
            if (_finished) throw new InvalidOperationException("The event stream has already failed or been cancelled.");
            cancellationToken.ThrowIfCancellationRequested();
            _holdingEvent = false;
            _dataLength = 0;
            EventType = "";
            try
            {
                // The enumerator is made once; each read's own token reaches the stream through the guard.
                _events ??= _parser.EnumerateAsync(CancellationToken.None).GetAsyncEnumerator();
                _guard.CallerToken = cancellationToken;
                if (!await _events.MoveNextAsync().ConfigureAwait(false)) return false;
                EventType = _events.Current.Data;
                _holdingEvent = true;
                return true;
            }
            catch
            {
                _finished = true;
                throw;
            }
        }

        private void Keep(ReadOnlySpan<byte> data)
        {
            if (_data == null || _data.Length < data.Length)
            {
                if (_data != null) ArrayPool<byte>.Shared.Return(_data);
                _data = ArrayPool<byte>.Shared.Rent(Math.Max(data.Length, 16 * 1024));
            }
            data.CopyTo(_data);
            _dataLength = data.Length;
        }

        /// <summary>Returns the pooled buffers; <see cref="Data"/> is invalid afterwards. The stream is left to its owner.</summary>
        public void Dispose()
        {
            if (_disposed) return;
            _disposed = true;
            _holdingEvent = false;
            // The parser's buffers go back to its pool when its enumerator is disposed; a pending read was already
            // ended by the guard, so this does not wait on the network.
            if (_events != null)
            {
                try
                {
                    _events.DisposeAsync().AsTask().GetAwaiter().GetResult();
                }
                catch (Exception)
                {
                    // The enumerator failed earlier and said so then.
                }
            }
            _guard.Dispose();
            if (_data != null) ArrayPool<byte>.Shared.Return(_data);
            _data = null;
            _dataLength = 0;
        }
    }
}
