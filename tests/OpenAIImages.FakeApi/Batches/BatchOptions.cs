using System.Text.Json;
using OpenAIImages.FakeApi.Http;

namespace OpenAIImages.FakeApi.Batches;

/// <summary>
/// How the fake's batches behave: the pace of the lifecycle, the limits of one batch, and the modes a test can ask
/// for. Set in process, or from outside with <c>POST /_fake/batch-options</c> (strict JSON, like the fault rules):
/// <c>{"stepMilliseconds":200,"maxRequests":50000,"maxBytes":209715200,"mode":"complete","failEveryNth":0,
/// "contentChunkDelayMilliseconds":0}</c>.
/// <c>GET</c> reads them, <c>DELETE</c> restores the defaults.
/// </summary>
public sealed class BatchOptions
{
    public const string Path = "/_fake/batch-options";

    private readonly object _gate = new();
    private TimeSpan _step = TimeSpan.FromMilliseconds(200);
    private int _maxRequests = 50_000;
    private long _maxBytes = 200L * 1024 * 1024;
    private BatchMode _mode = BatchMode.Complete;
    private int _failEveryNth;
    private TimeSpan _contentChunkDelay;

    /// <summary>How long each of validating, in_progress and finalizing lasts.</summary>
    public TimeSpan Step { get { lock (_gate) return _step; } set { lock (_gate) _step = value < TimeSpan.Zero ? TimeSpan.Zero : value; } }

    /// <summary>The most requests one batch's input file may hold (the API's is 50,000).</summary>
    public int MaxRequests { get { lock (_gate) return _maxRequests; } set { lock (_gate) _maxRequests = Math.Max(1, value); } }

    /// <summary>The largest input file a batch takes (the API's is 200 MB).</summary>
    public long MaxBytes { get { lock (_gate) return _maxBytes; } set { lock (_gate) _maxBytes = Math.Max(1, value); } }

    /// <summary>How batches created from now on end.</summary>
    public BatchMode Mode { get { lock (_gate) return _mode; } set { lock (_gate) _mode = value; } }

    /// <summary>When above 0, every Nth request of a batch fails into the error file (a moderation refusal).</summary>
    public int FailEveryNth { get { lock (_gate) return _failEveryNth; } set { lock (_gate) _failEveryNth = Math.Max(0, value); } }

    /// <summary>A pause after every 64 KiB of a file's content, so a test can stop a client in the middle of a download.</summary>
    public TimeSpan ContentChunkDelay { get { lock (_gate) return _contentChunkDelay; } set { lock (_gate) _contentChunkDelay = value < TimeSpan.Zero ? TimeSpan.Zero : value; } }

    internal async Task HandleAsync(HttpContext context)
    {
        if (HttpMethods.IsDelete(context.Request.Method))
        {
            Step = TimeSpan.FromMilliseconds(200);
            MaxRequests = 50_000;
            MaxBytes = 200L * 1024 * 1024;
            Mode = BatchMode.Complete;
            FailEveryNth = 0;
            ContentChunkDelay = TimeSpan.Zero;
        }
        else if (HttpMethods.IsPost(context.Request.Method))
        {
            try
            {
                using var document = await JsonDocument.ParseAsync(context.Request.Body);
                foreach (var property in document.RootElement.EnumerateObject())
                {
                    switch (property.Name)
                    {
                        case "stepMilliseconds": Step = TimeSpan.FromMilliseconds(property.Value.GetInt32()); break;
                        case "maxRequests": MaxRequests = property.Value.GetInt32(); break;
                        case "maxBytes": MaxBytes = property.Value.GetInt64(); break;
                        case "mode": Mode = Enum.Parse<BatchMode>(property.Value.GetString() ?? "", ignoreCase: true); break;
                        case "failEveryNth": FailEveryNth = property.Value.GetInt32(); break;
                        case "contentChunkDelayMilliseconds": ContentChunkDelay = TimeSpan.FromMilliseconds(property.Value.GetInt32()); break;
                        default: throw new FormatException($"Batch options have no member '{property.Name}'.");
                    }
                }
            }
            catch (Exception e) when (e is JsonException or FormatException or ArgumentException or InvalidOperationException)
            {
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                await context.Response.WriteAsync(e.Message);
                return;
            }
        }
        else if (!HttpMethods.IsGet(context.Request.Method))
        {
            context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            return;
        }
        context.Response.ContentType = "application/json";
        using var body = new MemoryStream();
        using (var writer = JsonOutput.Writer(body))
        {
            writer.WriteStartObject();
            writer.WriteNumber("stepMilliseconds", (long)Step.TotalMilliseconds);
            writer.WriteNumber("maxRequests", MaxRequests);
            writer.WriteNumber("maxBytes", MaxBytes);
            writer.WriteString("mode", Mode.ToString());
            writer.WriteNumber("failEveryNth", FailEveryNth);
            writer.WriteNumber("contentChunkDelayMilliseconds", (long)ContentChunkDelay.TotalMilliseconds);
            writer.WriteEndObject();
        }
        await context.Response.Body.WriteAsync(body.ToArray());
    }
}

/// <summary>How a batch ends.</summary>
public enum BatchMode
{
    /// <summary>validating, in_progress, finalizing, completed.</summary>
    Complete,

    /// <summary>Validation finds the input file bad: the batch fails with errors, and nothing is made.</summary>
    Fail,

    /// <summary>The 24-hour window runs out half way: expired, with the first half of the results.</summary>
    Expire,
}
