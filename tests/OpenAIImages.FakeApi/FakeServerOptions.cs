using OpenAIImages.FakeApi.Faults;

namespace OpenAIImages.FakeApi;

/// <summary>
/// The fake server's knobs. Every property may be changed while the server runs (tests change latency or faults
/// between requests); each request reads the values once when it starts using them.
/// </summary>
public sealed class FakeServerOptions
{
    private readonly object _gate = new();
    private string _apiKey = "test-key";
    private TimeSpan _latency;
    private TimeSpan _streamEventInterval;
    private int _writeChunkSize;

    /// <summary>The port to listen on; 0 picks a free one. Read only at start.</summary>
    public int Port { get; init; }

    /// <summary>The key every API request must present (Bearer, or <c>api-key</c> on the Azure shapes).</summary>
    public string ApiKey
    {
        get { lock (_gate) return _apiKey; }
        set { ArgumentException.ThrowIfNullOrEmpty(value); lock (_gate) _apiKey = value; }
    }

    /// <summary>Waited before every API answer; a client that hangs up during the wait ends it.</summary>
    public TimeSpan Latency
    {
        get { lock (_gate) return _latency; }
        set { lock (_gate) _latency = value < TimeSpan.Zero ? TimeSpan.Zero : value; }
    }

    /// <summary>The pause before each server-sent event after the first.</summary>
    public TimeSpan StreamEventInterval
    {
        get { lock (_gate) return _streamEventInterval; }
        set { lock (_gate) _streamEventInterval = value < TimeSpan.Zero ? TimeSpan.Zero : value; }
    }

    /// <summary>
    /// When above 0, every response body (JSON or stream) is written this many bytes at a time with a flush after
    /// each, so readers meet bodies that arrive in fragments. 0 writes each body or event in one go.
    /// </summary>
    public int WriteChunkSize
    {
        get { lock (_gate) return _writeChunkSize; }
        set { lock (_gate) _writeChunkSize = Math.Max(0, value); }
    }

    /// <summary>How batches behave: pace, limits, and the modes a test asks for.</summary>
    public Batches.BatchOptions Batches { get; } = new();

    /// <summary>Fault rules, tried in order; the first that fires wins.</summary>
    public FaultRuleList Faults { get; } = new();
}
