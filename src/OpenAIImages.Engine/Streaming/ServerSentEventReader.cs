using System;
using System.Buffers;
using System.Globalization;
using System.IO;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using OpenAIImages.Engine.Http;

namespace OpenAIImages.Engine.Streaming
{
    /// <summary>
    /// Reads a <c>text/event-stream</c> body event by event, following the WHATWG HTML "event stream interpretation"
    /// rules: <c>event</c>, <c>data</c>, <c>id</c> and <c>retry</c> fields, one optional space after the colon,
    /// several <c>data</c> lines joined with a line feed, comment lines, CRLF, LF or CR line endings, a leading BOM,
    /// and unknown fields ignored. Chunk boundaries may fall anywhere.
    /// </summary>
    /// <remarks>
    /// <para>
    /// Image events carry megabytes of base64 on a single <c>data</c> line, so data bytes go straight from the read
    /// buffer into one pooled, growing buffer: no string is made of them, and <see cref="Data"/> is a view of that
    /// buffer, valid until the next <see cref="ReadNextAsync"/> or <see cref="Dispose"/>. Data bytes are passed on as
    /// sent; a JSON reader checks them as UTF-8 anyway. Event names and ids are decoded as UTF-8 once a line is whole,
    /// so a character split across reads decodes correctly.
    /// </para>
    /// <para>
    /// The spec says that when the stream ends, "any pending data must be discarded": an event not closed by a blank
    /// line (including a last line without its line ending) is never dispatched, so a cut connection can not pass off
    /// half an event as a whole one.
    /// </para>
    /// <para>
    /// Cancellation and the idle timeout both dispose the stream as well as cancelling the read: on .NET Framework
    /// a pending network read does not always see the token, and disposing is what ends it. After either, or any
    /// other failure, the reader is finished. One reader serves one consumer; it is not safe for concurrent use.
    /// The stream is not disposed otherwise: the caller owns it.
    /// </para>
    /// </remarks>
    internal sealed class ServerSentEventReader : IDisposable
    {
        /// <summary>How long a read may wait for its first byte; image generation sends nothing for a while, but not minutes.</summary>
        public static readonly TimeSpan DefaultIdleTimeout = TimeSpan.FromSeconds(300);

        /// <summary>The largest event data accepted; a 4096-pixel PNG in base64 stays far below it.</summary>
        public const int DefaultMaxEventBytes = 256 * 1024 * 1024;

        /// <summary>Event names, ids and retry values are short; a longer one means the stream is not what it claims.</summary>
        internal const int MaxFieldBytes = 64 * 1024;

        internal const int ReadBufferBytes = 32 * 1024;
        private const int InitialDataBytes = 16 * 1024;
        private const byte Cr = (byte)'\r';
        private const byte Lf = (byte)'\n';
        private const byte Colon = (byte)':';

        private enum LineState { Start, Name, Value, Comment }

        private enum Field { Ignored, Data, Event, Id, Retry }

        private readonly Stream _stream;
        private readonly TimeSpan _idleTimeout;
        private readonly string? _requestId;
        private readonly int _maxEventBytes;
        private readonly CancellationTokenSource _idle = new CancellationTokenSource();

        private byte[]? _input;
        private int _inputStart;
        private int _inputEnd;
        private bool _atStreamStart = true;
        private bool _endOfStream;
        private bool _finished;
        private bool _disposed;

        private LineState _state;
        private Field _field;
        private bool _afterCr;
        private bool _skipSpace;
        private readonly byte[] _name = new byte[5];
        private int _nameLength;

        private byte[]? _data;
        private int _dataLength;
        private byte[]? _value;
        private int _valueLength;
        private string? _eventTypeBuffer;
        private string _lastEventIdBuffer = "";
        private bool _holdingEvent;

        /// <param name="stream">The response body; read, and disposed only to abort a read on cancellation or timeout.</param>
        /// <param name="idleTimeout">The longest wait for the next bytes; <see cref="Timeout.InfiniteTimeSpan"/> waits forever.</param>
        /// <param name="requestId">The response's x-request-id, quoted in errors.</param>
        /// <param name="maxEventBytes">The largest data of one event.</param>
        public ServerSentEventReader(Stream stream, TimeSpan idleTimeout, string? requestId = null, int maxEventBytes = DefaultMaxEventBytes)
        {
            _stream = stream ?? throw new ArgumentNullException(nameof(stream));
            if (idleTimeout <= TimeSpan.Zero && idleTimeout != Timeout.InfiniteTimeSpan)
                throw new ArgumentOutOfRangeException(nameof(idleTimeout), "The idle timeout must be positive or infinite.");
            if (maxEventBytes <= 0) throw new ArgumentOutOfRangeException(nameof(maxEventBytes));
            // CancelAfter takes at most int.MaxValue milliseconds; 24 days of waiting is waiting forever.
            _idleTimeout = idleTimeout.TotalMilliseconds >= int.MaxValue ? Timeout.InfiniteTimeSpan : idleTimeout;
            _requestId = requestId;
            _maxEventBytes = maxEventBytes;
        }

        /// <summary>The event's type: its <c>event</c> field, or <c>message</c> when it had none.</summary>
        public string EventType { get; private set; } = "";

        /// <summary>The event's data lines joined with line feeds; valid until the next read.</summary>
        public ReadOnlyMemory<byte> Data => _holdingEvent ? new ReadOnlyMemory<byte>(_data, 0, _dataLength) : ReadOnlyMemory<byte>.Empty;

        /// <summary>The last event id the stream set (it carries over to later events, as the spec says).</summary>
        public string LastEventId { get; private set; } = "";

        /// <summary>The reconnection time the stream asked for with <c>retry</c>, in milliseconds.</summary>
        public long? RetryMilliseconds { get; private set; }

        public TimeSpan IdleTimeout => _idleTimeout;

        /// <summary>
        /// Reads up to the end of the next event. Returns false at the end of the stream. Throws
        /// <see cref="OperationCanceledException"/> when <paramref name="cancellationToken"/> is cancelled, and
        /// <see cref="OpenAITransportException"/> when the stream stalls (<see cref="OpenAITransportException.TimedOut"/>),
        /// breaks (<see cref="OpenAITransportException.ConnectionFailed"/>) or sends an event over the size limit
        /// (<see cref="OpenAITransportException.ResponseInvalid"/>).
        /// </summary>
        public async ValueTask<bool> ReadNextAsync(CancellationToken cancellationToken = default)
        {
            if (_disposed) throw new ObjectDisposedException(nameof(ServerSentEventReader));
            if (_finished) throw new InvalidOperationException("The event stream has already failed or been cancelled.");
            cancellationToken.ThrowIfCancellationRequested();
            ReleaseHeldEvent();
            if (_endOfStream) return false;

            CancellationTokenSource? linked = null;
            CancellationTokenRegistration abort = default;
            bool armed = false;
            try
            {
                _input ??= ArrayPool<byte>.Shared.Rent(ReadBufferBytes);
                while (!ParseBuffered())
                {
                    if (_endOfStream)
                    {
                        DiscardIncompleteEvent();
                        return false;
                    }
                    if (!armed)
                    {
                        // Only when a read is needed: an event already buffered costs no token or registration.
                        linked = cancellationToken.CanBeCanceled ? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _idle.Token) : null;
                        abort = (linked?.Token ?? _idle.Token).Register(state => ((ServerSentEventReader)state!).AbortStream(), this);
                        armed = true;
                    }
                    await FillAsync(linked?.Token ?? _idle.Token, cancellationToken).ConfigureAwait(false);
                }
                _holdingEvent = true;
                return true;
            }
            catch
            {
                _finished = true;
                throw;
            }
            finally
            {
                abort.Dispose();
                linked?.Dispose();
            }
        }

        private async Task FillAsync(CancellationToken readToken, CancellationToken callerToken)
        {
            if (_inputStart == _inputEnd) _inputStart = _inputEnd = 0;
            bool timed = _idleTimeout != Timeout.InfiniteTimeSpan;
            int read;
            try
            {
                if (timed) _idle.CancelAfter(_idleTimeout);
                read = await _stream.ReadAsync(_input!, _inputEnd, _input!.Length - _inputEnd, readToken).ConfigureAwait(false);
            }
            catch (Exception e) when (readToken.IsCancellationRequested || IsConnectionFailure(e))
            {
                throw Failure(e, callerToken);
            }
            finally
            {
                // The timer runs only while a read is pending: time the consumer spends on an event is not idleness.
                if (timed && !_idle.IsCancellationRequested) _idle.CancelAfter(Timeout.Infinite);
            }
            // A stream disposed under a pending read may report a clean end instead of throwing.
            if (readToken.IsCancellationRequested) throw Failure(null, callerToken);
            if (read == 0) _endOfStream = true;
            else _inputEnd += read;
        }

        private Exception Failure(Exception? e, CancellationToken callerToken)
        {
            if (callerToken.IsCancellationRequested) return new OperationCanceledException("Reading the event stream was cancelled.", e, callerToken);
            if (_idle.IsCancellationRequested)
                return new OpenAITransportException(OpenAITransportException.TimedOut,
                    $"The event stream stalled: the server sent nothing for {_idleTimeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} seconds.", _requestId, e);
            return new OpenAITransportException(OpenAITransportException.ConnectionFailed,
                $"The event stream broke off: {Innermost(e!).Message}", _requestId, e);
        }

        private static bool IsConnectionFailure(Exception e) =>
            e is IOException || e is ObjectDisposedException || e is HttpRequestException || e is OperationCanceledException || e is System.Net.Sockets.SocketException;

        private static Exception Innermost(Exception e)
        {
            while (e.InnerException != null) e = e.InnerException;
            return e;
        }

        private void AbortStream()
        {
            try
            {
                _stream.Dispose();
            }
            catch (Exception)
            {
                // Aborting is best effort; the pending read reports what happened.
            }
        }

        /// <summary>Parses buffered bytes; true when an event was dispatched (the rest of the buffer waits for the next call).</summary>
        private bool ParseBuffered()
        {
            if (_atStreamStart && !SkipByteOrderMark()) return false;
            var input = _input!;
            while (_inputStart < _inputEnd)
            {
                var span = new ReadOnlySpan<byte>(input, _inputStart, _inputEnd - _inputStart);
                if (_afterCr)
                {
                    _afterCr = false;
                    if (span[0] == Lf)
                    {
                        _inputStart++;
                        continue;
                    }
                }
                switch (_state)
                {
                    case LineState.Start:
                        byte first = span[0];
                        if (first == Cr || first == Lf)
                        {
                            ConsumeLineEnd(first);
                            if (DispatchEvent()) return true;
                        }
                        else if (first == Colon)
                        {
                            _inputStart++;
                            _state = LineState.Comment;
                        }
                        else
                        {
                            _nameLength = 0;
                            _state = LineState.Name;
                        }
                        break;

                    case LineState.Name:
                    {
                        int stop = span.IndexOfAny(Colon, Cr, Lf);
                        int take = stop < 0 ? span.Length : stop;
                        AppendName(span.Slice(0, take));
                        _inputStart += take;
                        if (stop < 0) break;
                        BeginField();
                        if (span[stop] == Colon)
                        {
                            _inputStart++;
                            _skipSpace = true;
                            _state = LineState.Value;
                        }
                        else
                        {
                            // A line with no colon is a field with an empty value.
                            EndField();
                            ConsumeLineEnd(span[stop]);
                        }
                        break;
                    }

                    case LineState.Value:
                    {
                        if (_skipSpace)
                        {
                            _skipSpace = false;
                            if (span[0] == (byte)' ')
                            {
                                _inputStart++;
                                break;
                            }
                        }
                        int stop = span.IndexOfAny(Cr, Lf);
                        int take = stop < 0 ? span.Length : stop;
                        AppendValue(span.Slice(0, take));
                        _inputStart += take;
                        if (stop >= 0)
                        {
                            EndField();
                            ConsumeLineEnd(span[stop]);
                        }
                        break;
                    }

                    case LineState.Comment:
                    {
                        int stop = span.IndexOfAny(Cr, Lf);
                        if (stop < 0)
                        {
                            _inputStart = _inputEnd;
                        }
                        else
                        {
                            _inputStart += stop;
                            ConsumeLineEnd(span[stop]);
                        }
                        break;
                    }
                }
            }
            return false;
        }

        /// <summary>The UTF-8 decoder drops one leading BOM; it may arrive split across reads.</summary>
        private bool SkipByteOrderMark()
        {
            ReadOnlySpan<byte> bom = new byte[] { 0xEF, 0xBB, 0xBF };
            int available = _inputEnd - _inputStart;
            int compare = Math.Min(available, bom.Length);
            if (!new ReadOnlySpan<byte>(_input, _inputStart, compare).SequenceEqual(bom.Slice(0, compare)))
            {
                _atStreamStart = false;
                return true;
            }
            if (compare < bom.Length) return false;
            _inputStart += bom.Length;
            _atStreamStart = false;
            return true;
        }

        private void ConsumeLineEnd(byte end)
        {
            _inputStart++;
            _afterCr = end == Cr;
            _state = LineState.Start;
        }

        private void AppendName(ReadOnlySpan<byte> bytes)
        {
            int room = _name.Length - _nameLength;
            if (room > 0) bytes.Slice(0, Math.Min(room, bytes.Length)).CopyTo(_name.AsSpan(_nameLength));
            // Counting past the buffer marks a name too long to be one of the four the spec knows.
            _nameLength = (int)Math.Min((long)_nameLength + bytes.Length, int.MaxValue);
        }

        private void BeginField()
        {
            var name = new ReadOnlySpan<byte>(_name, 0, Math.Min(_nameLength, _name.Length));
            _field = _nameLength > _name.Length ? Field.Ignored
                : name.SequenceEqual(FieldNames.Data) ? Field.Data
                : name.SequenceEqual(FieldNames.Event) ? Field.Event
                : name.SequenceEqual(FieldNames.Id) ? Field.Id
                : name.SequenceEqual(FieldNames.Retry) ? Field.Retry
                : Field.Ignored;
            _valueLength = 0;
        }

        private void AppendValue(ReadOnlySpan<byte> bytes)
        {
            if (bytes.IsEmpty) return;
            switch (_field)
            {
                case Field.Data:
                    EnsureData(bytes.Length);
                    bytes.CopyTo(_data.AsSpan(_dataLength));
                    _dataLength += bytes.Length;
                    break;
                case Field.Event:
                case Field.Id:
                case Field.Retry:
                    if (_valueLength + bytes.Length > MaxFieldBytes)
                        throw new OpenAITransportException(OpenAITransportException.ResponseInvalid,
                            $"The event stream has a field longer than {MaxFieldBytes:N0} bytes.", _requestId);
                    _value ??= ArrayPool<byte>.Shared.Rent(MaxFieldBytes);
                    bytes.CopyTo(_value.AsSpan(_valueLength));
                    _valueLength += bytes.Length;
                    break;
            }
        }

        private void EndField()
        {
            var value = _value == null ? ReadOnlySpan<byte>.Empty : new ReadOnlySpan<byte>(_value, 0, _valueLength);
            switch (_field)
            {
                case Field.Data:
                    EnsureData(1);
                    _data![_dataLength++] = Lf;
                    break;
                case Field.Event:
                    _eventTypeBuffer = Decode(value);
                    break;
                case Field.Id:
                    if (value.IndexOf((byte)0) < 0) _lastEventIdBuffer = Decode(value);
                    break;
                case Field.Retry:
                    if (TryParseDigits(value, out long milliseconds)) RetryMilliseconds = milliseconds;
                    break;
            }
            _field = Field.Ignored;
            _valueLength = 0;
        }

        /// <summary>The spec's "dispatch the event" steps; false when there was no data, so nothing is dispatched.</summary>
        private bool DispatchEvent()
        {
            LastEventId = _lastEventIdBuffer;
            if (_dataLength == 0)
            {
                _eventTypeBuffer = null;
                return false;
            }
            if (_data![_dataLength - 1] == Lf) _dataLength--;
            EventType = string.IsNullOrEmpty(_eventTypeBuffer) ? "message" : _eventTypeBuffer!;
            _eventTypeBuffer = null;
            return true;
        }

        private void ReleaseHeldEvent()
        {
            if (!_holdingEvent) return;
            _holdingEvent = false;
            _dataLength = 0;
            EventType = "";
        }

        private void DiscardIncompleteEvent()
        {
            _dataLength = 0;
            _valueLength = 0;
            _eventTypeBuffer = null;
            _state = LineState.Start;
        }

        private void EnsureData(int more)
        {
            long needed = (long)_dataLength + more;
            if (needed > _maxEventBytes)
                throw new OpenAITransportException(OpenAITransportException.ResponseInvalid,
                    $"An event in the stream is larger than the {_maxEventBytes:N0} bytes this client accepts.", _requestId);
            if (_data != null && needed <= _data.Length) return;
            int size = (int)Math.Min(_maxEventBytes, Math.Max(needed, _data == null ? InitialDataBytes : (long)_data.Length * 2));
            var larger = ArrayPool<byte>.Shared.Rent(size);
            if (_data != null)
            {
                Buffer.BlockCopy(_data, 0, larger, 0, _dataLength);
                ArrayPool<byte>.Shared.Return(_data);
            }
            _data = larger;
        }

        private static string Decode(ReadOnlySpan<byte> utf8) => utf8.IsEmpty ? "" : Encoding.UTF8.GetString(utf8.ToArray());

        private static bool TryParseDigits(ReadOnlySpan<byte> value, out long result)
        {
            result = 0;
            if (value.IsEmpty) return false;
            foreach (byte b in value)
            {
                if (b < (byte)'0' || b > (byte)'9') return false;
                if (result > (long.MaxValue - 9) / 10) return false;
                result = result * 10 + (b - '0');
            }
            return true;
        }

        /// <summary>Returns the pooled buffers; <see cref="Data"/> is invalid afterwards. The stream is left to its owner.</summary>
        public void Dispose()
        {
            if (_disposed) return;
            _disposed = true;
            _holdingEvent = false;
            _idle.Dispose();
            Return(ref _input);
            Return(ref _data);
            Return(ref _value);
            _dataLength = 0;
        }

        private static void Return(ref byte[]? buffer)
        {
            if (buffer != null) ArrayPool<byte>.Shared.Return(buffer);
            buffer = null;
        }

        private static class FieldNames
        {
            public static ReadOnlySpan<byte> Data => new[] { (byte)'d', (byte)'a', (byte)'t', (byte)'a' };
            public static ReadOnlySpan<byte> Event => new[] { (byte)'e', (byte)'v', (byte)'e', (byte)'n', (byte)'t' };
            public static ReadOnlySpan<byte> Id => new[] { (byte)'i', (byte)'d' };
            public static ReadOnlySpan<byte> Retry => new[] { (byte)'r', (byte)'e', (byte)'t', (byte)'r', (byte)'y' };
        }
    }
}
