namespace OpenAIImages.FakeApi.Recording;

/// <summary>The thread-safe list of recorded requests. Readers get snapshots, never the live list.</summary>
internal sealed class RequestLog
{
    private readonly object _gate = new();
    private readonly List<RecordedRequest> _entries = new();
    private int _sequence;

    public int NextSequence() => Interlocked.Increment(ref _sequence);

    public void Add(RecordedRequest request)
    {
        lock (_gate) _entries.Add(request);
    }

    public IReadOnlyList<RecordedRequest> Snapshot()
    {
        lock (_gate) return _entries.ToArray();
    }

    public void Clear()
    {
        lock (_gate) _entries.Clear();
    }
}
