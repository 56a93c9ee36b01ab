using Microsoft.AspNetCore.Http;

namespace OpenAIImages.FakeApi.Http;

/// <summary>
/// Counts the API requests the server has taken and how many it was handling at once, for tests that run the server
/// in its own process and cannot read its recording: <c>GET /_fake/traffic</c> reads the counts as JSON
/// (<c>{"requests":N,"inFlight":N,"maxInFlight":N,"downloadsInFlight":N}</c>) and <c>DELETE /_fake/traffic</c> sets
/// them back to zero. A request counts from its arrival until its answer is written, whatever the answer. Downloads of
/// URL images (<c>GET /files/...</c>) are not API requests and count apart, only while they are served: a test that
/// stops a download waits for one to be under way, then for none.
/// </summary>
internal sealed class TrafficCounter
{
    public const string Path = "/_fake/traffic";

    private readonly object _gate = new();
    private long _requests;
    private int _inFlight;
    private int _maxInFlight;
    private int _downloadsInFlight;

    public (long Requests, int InFlight, int MaxInFlight, int DownloadsInFlight) Read()
    {
        lock (_gate) return (_requests, _inFlight, _maxInFlight, _downloadsInFlight);
    }

    public Ticket Enter()
    {
        lock (_gate)
        {
            _requests++;
            _inFlight++;
            _maxInFlight = Math.Max(_maxInFlight, _inFlight);
        }
        return new Ticket(this, download: false);
    }

    public Ticket EnterDownload()
    {
        lock (_gate) _downloadsInFlight++;
        return new Ticket(this, download: true);
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

    private void Leave(bool download)
    {
        lock (_gate)
        {
            if (download) _downloadsInFlight--;
            else _inFlight--;
        }
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
        var (requests, inFlight, maxInFlight, downloadsInFlight) = Read();
        context.Response.ContentType = "application/json";
        using var body = new MemoryStream();
        using (var writer = JsonOutput.Writer(body))
        {
            writer.WriteStartObject();
            writer.WriteNumber("requests", requests);
            writer.WriteNumber("inFlight", inFlight);
            writer.WriteNumber("maxInFlight", maxInFlight);
            writer.WriteNumber("downloadsInFlight", downloadsInFlight);
            writer.WriteEndObject();
        }
        await context.Response.Body.WriteAsync(body.ToArray(), context.RequestAborted);
    }

    public readonly struct Ticket : IDisposable
    {
        private readonly TrafficCounter? _owner;
        private readonly bool _download;

        public Ticket(TrafficCounter owner, bool download)
        {
            _owner = owner;
            _download = download;
        }

        public void Dispose() => _owner?.Leave(_download);
    }
}
