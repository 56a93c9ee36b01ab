namespace OpenAIImages.Tests.Streaming;

/// <summary>What every test stream shares: it only reads, forward, and has no length or position.</summary>
internal abstract class ReadOnlyTestStream : Stream
{
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

/// <summary>
/// Serves fixed bytes in chunks the test chooses: one byte a read, fixed sizes, or random sizes. At the end it
/// either reports a clean end of stream or throws, like a connection reset.
/// </summary>
internal sealed class ChunkedStream : ReadOnlyTestStream
{
    private readonly byte[] _data;
    private readonly Func<int> _nextChunk;
    private readonly Exception? _failAtEnd;
    private int _position;

    public ChunkedStream(byte[] data, Func<int> nextChunk, Exception? failAtEnd = null)
    {
        _data = data;
        _nextChunk = nextChunk;
        _failAtEnd = failAtEnd;
    }

    public static ChunkedStream Whole(byte[] data) => new(data, () => int.MaxValue);
    public static ChunkedStream OneByteAtATime(byte[] data) => new(data, () => 1);

    public static ChunkedStream Random(byte[] data, int seed, int maxChunk)
    {
        var random = new Random(seed);
        return new ChunkedStream(data, () => random.Next(1, maxChunk + 1));
    }

    public int Reads { get; private set; }
    public bool Disposed { get; private set; }

    public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        // Completing on another thread now and then keeps the reader honest about continuations. Like a socket,
        // this stream never waits for the test's own synchronization context, which may be busy with other tests.
        if (Reads++ % 7 == 3) return await Task.Run(() => ReadCore(buffer, offset, count), cancellationToken).ConfigureAwait(false);
        return ReadCore(buffer, offset, count);
    }

    public override int Read(byte[] buffer, int offset, int count) => ReadCore(buffer, offset, count);

    private int ReadCore(byte[] buffer, int offset, int count)
    {
        ObjectDisposedException.ThrowIf(Disposed, this);
        if (_position == _data.Length)
        {
            if (_failAtEnd != null) throw _failAtEnd;
            return 0;
        }
        int n = Math.Min(Math.Min(count, _nextChunk()), _data.Length - _position);
        Array.Copy(_data, _position, buffer, offset, n);
        _position += n;
        return n;
    }

    protected override void Dispose(bool disposing)
    {
        Disposed = true;
        base.Dispose(disposing);
    }
}

/// <summary>
/// Sends its prefix, then never sends another byte: a read waits until the token is cancelled or, when it
/// ignores tokens like a .NET Framework network stream, until the stream is disposed.
/// </summary>
internal sealed class StallingStream : ReadOnlyTestStream
{
    private readonly byte[] _prefix;
    private readonly bool _ignoresToken;
    private readonly TaskCompletionSource _disposed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _position;

    public StallingStream(byte[] prefix, bool ignoresToken = false)
    {
        _prefix = prefix;
        _ignoresToken = ignoresToken;
    }

    public bool Disposed => _disposed.Task.IsCompleted;
    private int _pendingReads;

    public int PendingReads => Volatile.Read(ref _pendingReads);

    public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        if (Disposed) throw new ObjectDisposedException(nameof(StallingStream));
        if (_position < _prefix.Length)
        {
            int n = Math.Min(count, _prefix.Length - _position);
            Array.Copy(_prefix, _position, buffer, offset, n);
            _position += n;
            return n;
        }
        Interlocked.Increment(ref _pendingReads);
        try
        {
            if (_ignoresToken) await _disposed.Task.ConfigureAwait(false);
            else await _disposed.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref _pendingReads);
        }
        throw new ObjectDisposedException(nameof(StallingStream));
    }

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

    protected override void Dispose(bool disposing)
    {
        _disposed.TrySetResult();
        base.Dispose(disposing);
    }
}

/// <summary>How a test stream hands out its bytes.</summary>
public enum Chunking
{
    Whole,
    OneByte,
    Random,
}

internal static class Chunks
{
    public static ChunkedStream Of(byte[] data, Chunking chunking, int seed = 1) => chunking switch
    {
        Chunking.Whole => ChunkedStream.Whole(data),
        Chunking.OneByte => ChunkedStream.OneByteAtATime(data),
        _ => ChunkedStream.Random(data, seed, 7),
    };
}
