using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using OpenAIImages.Engine.Http;

namespace OpenAIImages.Engine.Streaming
{
    /// <summary>
    /// The response body as System.Net.ServerSentEvents' SseParser reads it, with what the parser does not do:
    /// an idle timeout while a read is pending, cancellation that ends a pending read at once, limits on an event's
    /// size and on the length of any line that is not data, and transport failures named with the request id.
    /// </summary>
    /// <remarks>
    /// Cancellation and the idle timeout both dispose the inner stream as well as cancelling the read: on .NET
    /// Framework a pending network read does not always see the token, and disposing is what ends it. The timer runs
    /// only while a read is pending, so time the consumer spends on an event is not idleness. The limits are checked
    /// on the bytes as they pass, before the parser buffers them, so a stream that never ends an event costs at most
    /// the limit.
    /// It also mends the one place where SseParser departs from the event stream spec: an event that carries no data
    /// is not dispatched, and the spec resets its type then, where SseParser keeps it for the next event. The guard
    /// notes, for each event it sees end with data, whether that event named its own type; <see cref="TypeOf"/> then
    /// gives the dispatched event the spec's type.
    /// </remarks>
    internal sealed class EventStreamGuard : Stream
    {
        /// <summary>How long a read may wait for its first byte; image generation sends nothing for a while, but not minutes.</summary>
        public static readonly TimeSpan DefaultIdleTimeout = TimeSpan.FromSeconds(300);

        /// <summary>The largest event accepted, in bytes as sent; a 4096-pixel PNG in base64 stays far below it.</summary>
        public const int DefaultMaxEventBytes = 256 * 1024 * 1024;

        /// <summary>The longest line that is not a data line: event names, ids, retry values and comments are short.</summary>
        internal const int MaxFieldLineBytes = 64 * 1024;

        private const byte Cr = (byte)'\r';
        private const byte Lf = (byte)'\n';
        private static readonly byte[] DataField = { (byte)'d', (byte)'a', (byte)'t', (byte)'a' };
        private static readonly byte[] EventField = { (byte)'e', (byte)'v', (byte)'e', (byte)'n', (byte)'t' };

        private readonly Stream _inner;
        private readonly string? _requestId;
        private readonly int _maxEventBytes;
        private readonly CancellationTokenSource _idle = new CancellationTokenSource();

        private long _eventBytes;
        private long _lineBytes;
        private readonly byte[] _linePrefix = new byte[6];
        private int _linePrefixLength;
        private bool _afterCr;
        private bool _eventHasData;
        private bool _eventHasType;

        // For each event seen to end with data, in order (the parser dispatches them in the same order, after the
        // guard has passed their bytes on): whether it named its own type.
        private readonly Queue<bool> _namedTypes = new Queue<bool>();

        public EventStreamGuard(Stream inner, TimeSpan idleTimeout, string? requestId, int maxEventBytes)
        {
            _inner = inner;
            if (idleTimeout <= TimeSpan.Zero && idleTimeout != Timeout.InfiniteTimeSpan)
                throw new ArgumentOutOfRangeException(nameof(idleTimeout), "The idle timeout must be positive or infinite.");
            if (maxEventBytes <= 0) throw new ArgumentOutOfRangeException(nameof(maxEventBytes));
            // CancelAfter takes at most int.MaxValue milliseconds; 24 days of waiting is waiting forever.
            IdleTimeout = idleTimeout.TotalMilliseconds >= int.MaxValue ? Timeout.InfiniteTimeSpan : idleTimeout;
            _requestId = requestId;
            _maxEventBytes = maxEventBytes;
        }

        public TimeSpan IdleTimeout { get; }

        /// <summary>The token of the consumer's current read; the parser's own enumeration is not cancellable.</summary>
        public CancellationToken CallerToken { get; set; }

        /// <summary>
        /// The type of the event the parser dispatches next, as the spec has it: the parser's, when the event named one
        /// (an empty name is <c>message</c>), else <c>message</c>, never a type left over from an event without data.
        /// </summary>
        public string TypeOf(string parserType)
        {
            bool named = _namedTypes.Count == 0 || _namedTypes.Dequeue();
            return named && !string.IsNullOrEmpty(parserType) ? parserType : "message";
        }

        public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            var caller = CallerToken;
            caller.ThrowIfCancellationRequested();
            bool timed = IdleTimeout != Timeout.InfiniteTimeSpan;
            // The parser's own token is never cancellable here (it is enumerated with none): the caller's counts.
            var linked = caller.CanBeCanceled ? CancellationTokenSource.CreateLinkedTokenSource(caller, _idle.Token) : null;
            var readToken = linked?.Token ?? _idle.Token;
            int read;
            try
            {
                using (readToken.Register(state => ((EventStreamGuard)state!).AbortInner(), this))
                {
                    if (timed) _idle.CancelAfter(IdleTimeout);
                    read = await _inner.ReadAsync(buffer, offset, count, readToken).ConfigureAwait(false);
                }
            }
            catch (Exception e) when (readToken.IsCancellationRequested || HttpExchange.IsTransportFailure(e) || e is System.Net.Sockets.SocketException)
            {
                throw Failure(e, caller);
            }
            finally
            {
                if (timed && !_idle.IsCancellationRequested) _idle.CancelAfter(Timeout.Infinite);
                linked?.Dispose();
            }
            // A stream disposed under a pending read may report a clean end instead of throwing.
            if (readToken.IsCancellationRequested) throw Failure(null, caller);
            CheckLimits(new ReadOnlySpan<byte>(buffer, offset, read));
            return read;
        }

        /// <summary>Counts the bytes of the current event and line, refusing either when it passes its limit, and notes how each event ends.</summary>
        private void CheckLimits(ReadOnlySpan<byte> span)
        {
            int i = 0;
            while (i < span.Length)
            {
                if (_afterCr)
                {
                    _afterCr = false;
                    if (span[i] == Lf)
                    {
                        i++;
                        continue;
                    }
                }
                var rest = span.Slice(i);
                int stop = rest.IndexOfAny(Cr, Lf);
                int take = stop < 0 ? rest.Length : stop;
                if (take > 0)
                {
                    int prefix = Math.Min(take, _linePrefix.Length - _linePrefixLength);
                    if (prefix > 0)
                    {
                        rest.Slice(0, prefix).CopyTo(_linePrefix.AsSpan(_linePrefixLength));
                        _linePrefixLength += prefix;
                    }
                    _lineBytes += take;
                    _eventBytes += take;
                    if (_eventBytes > _maxEventBytes)
                        throw new OpenAITransportException(OpenAITransportException.ResponseInvalid,
                            $"An event in the stream is larger than the {_maxEventBytes:N0} bytes this client accepts.", _requestId);
                    if (_lineBytes > MaxFieldLineBytes && !IsField(DataField))
                        throw new OpenAITransportException(OpenAITransportException.ResponseInvalid,
                            $"The event stream has a field longer than {MaxFieldLineBytes:N0} bytes.", _requestId);
                    i += take;
                }
                if (stop < 0) break;
                // A line ending; an empty line ends the event.
                _afterCr = rest[stop] == Cr;
                i++;
                if (_lineBytes == 0)
                {
                    if (_eventHasData) _namedTypes.Enqueue(_eventHasType);
                    _eventBytes = 0;
                    _eventHasType = _eventHasData = false;
                    continue;
                }
                _eventHasData |= IsField(DataField);
                _eventHasType |= IsField(EventField);
                _eventBytes++;
                _lineBytes = 0;
                _linePrefixLength = 0;
            }
        }

        /// <summary>Whether the current line is that field: its name, then a colon or the end of the line.</summary>
        private bool IsField(byte[] name)
        {
            if (_linePrefixLength < name.Length || !_linePrefix.AsSpan(0, name.Length).SequenceEqual(name)) return false;
            return _linePrefixLength == name.Length ? _lineBytes == name.Length : _linePrefix[name.Length] == (byte)':';
        }

        private Exception Failure(Exception? e, CancellationToken caller)
        {
            if (caller.IsCancellationRequested) return new OperationCanceledException("Reading the event stream was cancelled.", e, caller);
            if (_idle.IsCancellationRequested)
                return new OpenAITransportException(OpenAITransportException.TimedOut,
                    $"The event stream stalled: the server sent nothing for {IdleTimeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} seconds.", _requestId, e);
            return new OpenAITransportException(OpenAITransportException.ConnectionFailed,
                $"The event stream broke off: {e!.Innermost().Message}", _requestId, e);
        }

        private void AbortInner()
        {
            try
            {
                _inner.Dispose();
            }
            catch (Exception)
            {
                // Aborting is best effort; the pending read reports what happened.
            }
        }

        // The parser is only ever enumerated asynchronously; a blocking read could not be cancelled the same way.
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("The event stream is read asynchronously.");

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        /// <summary>Releases the timer; the inner stream belongs to the caller and is left open.</summary>
        protected override void Dispose(bool disposing)
        {
            if (disposing) _idle.Dispose();
            base.Dispose(disposing);
        }
    }
}
