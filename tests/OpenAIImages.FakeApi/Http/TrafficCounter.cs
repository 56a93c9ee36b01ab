using Microsoft.AspNetCore.Http;

namespace OpenAIImages.FakeApi.Http;

/// <summary>
/// Counts the API requests the server has taken and how many it was handling at once, for tests that run the server
/// in its own process and cannot read its recording: <c>GET /_fake/traffic</c> reads the counts as JSON
/// (<c>{"requests":N,"inFlight":N,"maxInFlight":N}</c>) and <c>DELETE /_fake/traffic</c> sets them back to zero.
/// A request counts from its arrival until its answer is written, whatever the answer.
/// </summary>
internal sealed class TrafficCounter
{
    public const string Path = "/_fake/traffic";

    private readonly object _gate = new();
    private long _requests;
    private int _inFlight;
    private int _maxInFlight;

    public (long Requests, int InFlight, int MaxInFlight) Read()
    {
        lock (_gate) return (_requests, _inFlight, _maxInFlight);
    }

    public Ticket Enter()
    {
        lock (_gate)
        {
            _requests++;
            _inFlight++;
            _maxInFlight = Math.Max(_maxInFlight, _inFlight);
        }
        return new Ticket(this);
    }

    /// <summary>Zero requests and a maximum of what is in flight now: a later maximum counts only later arrivals.</summary>
    public void Reset()
    {
        lock (_gate)
        {
            _requests = 0;
            _maxInFlight = _inFlight;
        }
    }

    private void Leave()
    {
        lock (_gate) _inFlight--;
    }

    /// <summary>Answers the control route: GET reads, DELETE resets; any other method is 405.</summary>
    public async Task HandleAsync(HttpContext context)
    {
        if (HttpMethods.IsDelete(context.Request.Method)) Reset();
        else if (!HttpMethods.IsGet(context.Request.Method))
        {
            context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            return;
        }
        var (requests, inFlight, maxInFlight) = Read();
        context.Response.ContentType = "application/json";
        using var body = new MemoryStream();
        using (var writer = JsonOutput.Writer(body))
        {
            writer.WriteStartObject();
            writer.WriteNumber("requests", requests);
            writer.WriteNumber("inFlight", inFlight);
            writer.WriteNumber("maxInFlight", maxInFlight);
            writer.WriteEndObject();
        }
        await context.Response.Body.WriteAsync(body.ToArray(), context.RequestAborted);
    }

    public readonly struct Ticket : IDisposable
    {
        private readonly TrafficCounter? _owner;

        public Ticket(TrafficCounter owner) => _owner = owner;

        public void Dispose() => _owner?.Leave();
    }
}
