using System.Text.Json;
using Microsoft.AspNetCore.Http;
using OpenAIImages.FakeApi.Http;
using OpenAIImages.FakeApi.Recording;

namespace OpenAIImages.FakeApi.Faults;

/// <summary>
/// Fault rules set from outside the process, for tests that run the server on its own (the Pester suite, the demo):
/// <c>POST /_fake/faults</c> with one rule as JSON adds it, <c>GET</c> lists the rules with how often each fired, and
/// <c>DELETE</c> removes them all. Kept apart from the API routes, like /_fake/traffic. A rule is strict JSON:
/// <c>{"kind":"Status","statusCode":429,"retryAfterSeconds":1,"maxTimes":1}</c>; an unknown member, kind or
/// operation, or a value of the wrong type, is a 400 that names it, so a test cannot set a fault that never fires.
/// </summary>
internal sealed class FaultControl
{
    public const string Path = "/_fake/faults";

    private readonly FaultRuleList _rules;

    public FaultControl(FaultRuleList rules) => _rules = rules;

    public async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        if (HttpMethods.IsDelete(request.Method))
        {
            _rules.Clear();
        }
        else if (HttpMethods.IsPost(request.Method))
        {
            FaultRule rule;
            try
            {
                using var json = await JsonDocument.ParseAsync(request.Body, default, context.RequestAborted);
                rule = Read(json.RootElement);
            }
            catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException)
            {
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                await context.Response.WriteAsync(e.Message, context.RequestAborted);
                return;
            }
            _rules.Add(rule);
            context.Response.StatusCode = StatusCodes.Status201Created;
        }
        else if (!HttpMethods.IsGet(request.Method))
        {
            context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            return;
        }
        await WriteRulesAsync(context);
    }

    private static FaultRule Read(JsonElement json)
    {
        if (json.ValueKind != JsonValueKind.Object) throw new FormatException("A fault rule is a JSON object.");
        FaultKind? kind = null;
        int statusCode = 500, bytesBeforeAbort = 32, afterEvents = 1;
        int? retryAfterSeconds = null, retryAfterMilliseconds = null, everyNth = null, maxTimes = null;
        bool? shouldRetry = null;
        string? message = null, pathContains = null;
        ApiOperation? operation = null;
        int[]? onRequests = null;
        TimeSpan delay = TimeSpan.FromSeconds(1);
        foreach (var member in json.EnumerateObject())
        {
            var value = member.Value;
            switch (member.Name)
            {
                case "kind": kind = Enum.Parse<FaultKind>(value.GetString() ?? "", ignoreCase: false); break;
                case "statusCode": statusCode = value.GetInt32(); break;
                case "retryAfterSeconds": retryAfterSeconds = value.GetInt32(); break;
                case "retryAfterMilliseconds": retryAfterMilliseconds = value.GetInt32(); break;
                case "shouldRetry": shouldRetry = value.GetBoolean(); break;
                case "message": message = value.GetString(); break;
                case "onRequests": onRequests = value.EnumerateArray().Select(n => n.GetInt32()).ToArray(); break;
                case "everyNth": everyNth = value.GetInt32(); break;
                case "maxTimes": maxTimes = value.GetInt32(); break;
                case "operation": operation = Enum.Parse<ApiOperation>(value.GetString() ?? "", ignoreCase: false); break;
                case "pathContains": pathContains = value.GetString(); break;
                case "bytesBeforeAbort": bytesBeforeAbort = value.GetInt32(); break;
                case "afterEvents": afterEvents = value.GetInt32(); break;
                case "delayMilliseconds": delay = TimeSpan.FromMilliseconds(value.GetInt32()); break;
                default: throw new FormatException($"A fault rule has no member '{member.Name}'.");
            }
        }
        if (kind is null) throw new FormatException("A fault rule needs a kind, such as Status or ConnectionReset.");
        return new FaultRule(kind.Value)
        {
            StatusCode = statusCode,
            RetryAfterSeconds = retryAfterSeconds,
            RetryAfterMilliseconds = retryAfterMilliseconds,
            ShouldRetry = shouldRetry,
            Message = message,
            OnRequests = onRequests,
            EveryNth = everyNth,
            MaxTimes = maxTimes,
            Operation = operation,
            PathContains = pathContains,
            BytesBeforeAbort = bytesBeforeAbort,
            AfterEvents = afterEvents,
            Delay = delay,
        };
    }

    private async Task WriteRulesAsync(HttpContext context)
    {
        context.Response.ContentType = "application/json";
        using var body = new MemoryStream();
        using (var writer = JsonOutput.Writer(body))
        {
            writer.WriteStartArray();
            foreach (var rule in _rules.Snapshot())
            {
                writer.WriteStartObject();
                writer.WriteString("name", rule.DisplayName);
                writer.WriteNumber("seen", rule.Seen);
                writer.WriteNumber("fired", rule.Fired);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
        }
        await context.Response.Body.WriteAsync(body.ToArray(), context.RequestAborted);
    }
}
