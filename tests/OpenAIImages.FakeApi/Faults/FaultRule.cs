using OpenAIImages.FakeApi.Recording;

namespace OpenAIImages.FakeApi.Faults;

/// <summary>
/// One fault-injection rule: which requests it picks and what it does to them. A rule counts the requests it
/// sees (those passing its <see cref="Operation"/> and <see cref="PathContains"/> filters; for stream kinds, only
/// streamed requests) and fires when every picking condition that is set holds: the request's number is in
/// <see cref="OnRequests"/>, it is a multiple of <see cref="EveryNth"/>, and a seeded draw falls under
/// <see cref="Probability"/>. A rule with no picking condition fires on every request it sees.
/// </summary>
public sealed class FaultRule
{
    private readonly object _gate = new();
    private Random? _random;
    private int _seen;
    private int _fired;

    public FaultRule(FaultKind kind) => Kind = kind;

    public FaultKind Kind { get; }

    /// <summary>A name shown in recordings; the kind (and status) when unset.</summary>
    public string? Name { get; init; }

    // Picking.

    /// <summary>1-based numbers, among the requests this rule sees, that it fires on (e.g. {1, 2}).</summary>
    public IReadOnlyCollection<int>? OnRequests { get; init; }

    /// <summary>Fires on every Nth request this rule sees (N, 2N, ...).</summary>
    public int? EveryNth { get; init; }

    /// <summary>The share of requests to fire on (0..1), drawn from a Random seeded with <see cref="Seed"/>.</summary>
    public double? Probability { get; init; }
    public int Seed { get; init; } = 12345;

    /// <summary>Only requests for this operation; null means any image operation (not file downloads).</summary>
    public ApiOperation? Operation { get; init; }

    /// <summary>Only requests whose path contains this text (ordinal).</summary>
    public string? PathContains { get; init; }

    /// <summary>Stop firing after this many times.</summary>
    public int? MaxTimes { get; init; }

    // Action.

    /// <summary>The status for <see cref="FaultKind.Status"/> (429, 500, 503, 408, 409, 400, 401, 403, ...).</summary>
    public int StatusCode { get; init; } = 500;

    /// <summary>Adds <c>Retry-After: N</c> (seconds) to an error answer.</summary>
    public int? RetryAfterSeconds { get; init; }

    /// <summary>Adds <c>retry-after-ms: N</c> to an error answer.</summary>
    public int? RetryAfterMilliseconds { get; init; }

    /// <summary>Adds <c>x-should-retry: true|false</c> to an error answer.</summary>
    public bool? ShouldRetry { get; init; }

    /// <summary>Overrides the error message.</summary>
    public string? Message { get; init; }

    /// <summary>The extra wait for <see cref="FaultKind.SlowResponse"/>.</summary>
    public TimeSpan Delay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How much of the body is sent before a reset or truncation.</summary>
    public int BytesBeforeAbort { get; init; } = 32;

    /// <summary>How many events a stream sends before a stream fault takes over (0 = before the first).</summary>
    public int AfterEvents { get; init; } = 1;

    /// <summary>How many requests this rule has seen.</summary>
    public int Seen { get { lock (_gate) return _seen; } }

    /// <summary>How many times this rule has fired.</summary>
    public int Fired { get { lock (_gate) return _fired; } }

    public string DisplayName => Name ?? (Kind == FaultKind.Status ? $"Status{StatusCode}" : Kind.ToString());

    public bool IsStreamKind => Kind is FaultKind.StreamCut or FaultKind.StreamStall or FaultKind.StreamError;

    public bool IsErrorKind => Kind is FaultKind.Status or FaultKind.InsufficientQuota or FaultKind.ModerationBlocked;

    /// <summary>Counts the request if the filters let it through and says whether the rule fires on it.</summary>
    internal bool Offer(ApiOperation operation, string path)
    {
        if (Operation is { } wanted ? wanted != operation : operation == ApiOperation.FileDownload) return false;
        if (PathContains is not null && !path.Contains(PathContains, StringComparison.Ordinal)) return false;
        lock (_gate)
        {
            int number = ++_seen;
            if (MaxTimes is { } max && _fired >= max) return false;
            if (OnRequests is not null && !OnRequests.Contains(number)) return false;
            if (EveryNth is { } n && (n <= 0 || number % n != 0)) return false;
            if (Probability is { } p)
            {
                _random ??= new Random(Seed);
                if (_random.NextDouble() >= p) return false;
            }
            _fired++;
            return true;
        }
    }

    // Shorthands for the common cases.

    public static FaultRule RateLimited(int? retryAfterSeconds = null, int? retryAfterMilliseconds = null) =>
        new(FaultKind.Status) { StatusCode = 429, RetryAfterSeconds = retryAfterSeconds, RetryAfterMilliseconds = retryAfterMilliseconds };

    public static FaultRule ServerError(int statusCode = 500) => new(FaultKind.Status) { StatusCode = statusCode };

    public override string ToString() => DisplayName;
}
