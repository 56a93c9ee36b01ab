using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using OpenAIImages.FakeApi.Batches;
using OpenAIImages.FakeApi.Faults;
using OpenAIImages.FakeApi.Imaging;
using OpenAIImages.FakeApi.Recording;
using OpenAIImages.FakeApi.Responses;
using OpenAIImages.FakeApi.Streaming;
using OpenAIImages.FakeApi.Validation;

namespace OpenAIImages.FakeApi.Http;

/// <summary>
/// One request from start to finish: route, buffer and parse the body (for the recording), check the key, pick a
/// fault, validate, wait, answer. The recording is published just before the first byte of the answer goes out,
/// so a client that has read a response always finds its request in the log.
/// </summary>
internal sealed class RequestHandler
{
    private readonly FakeServerOptions _options;
    private readonly RequestLog _log;
    private readonly FileStore _files;
    private readonly CancellationToken _stopping;
    private readonly Func<Uri> _root;
    private readonly TrafficCounter _traffic = new();
    private readonly FaultControl _faults;
    private readonly RecordingControl _recording;
    private readonly ResponsesEndpoint _responses = new();
    private readonly BatchApi _batches;

    public RequestHandler(FakeServerOptions options, RequestLog log, FileStore files, Func<Uri> root, CancellationToken stopping)
    {
        _options = options;
        _log = log;
        _files = files;
        _root = root;
        _stopping = stopping;
        _faults = new FaultControl(options.Faults);
        _recording = new RecordingControl(log);
        _batches = new BatchApi(options.Batches);
    }

    public async Task HandleAsync(HttpContext context)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping);
        var ct = linked.Token;
        var request = context.Request;
        if (request.Path.Value == TrafficCounter.Path)
        {
            await _traffic.HandleAsync(context);
            return;
        }
        if (request.Path.Value == FaultControl.Path)
        {
            await _faults.HandleAsync(context);
            return;
        }
        if (request.Path.Value == RecordingControl.Path)
        {
            await _recording.HandleAsync(context);
            return;
        }
        if (request.Path.Value == BatchOptions.Path)
        {
            await _options.Batches.HandleAsync(context);
            return;
        }
        var route = RequestRouter.Match(request.Method, request.Path.Value ?? "");
        using var inFlight = route.IsApi ? _traffic.Enter() : route.Shape == ApiShape.FileDownload ? _traffic.EnterDownload() : default;
        string requestId = "req_" + Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
        context.Response.Headers["x-request-id"] = requestId;

        byte[] body;
        try
        {
            var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer, ct);
            body = buffer.ToArray();
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or BadHttpRequestException)
        {
            context.Abort();
            return;
        }

        var record = new RecordedRequest
        {
            Sequence = _log.NextSequence(),
            ReceivedAt = DateTimeOffset.UtcNow,
            Method = request.Method,
            Path = request.Path.Value ?? "",
            Query = request.QueryString.Value ?? "",
            Headers = request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            ContentType = request.ContentType,
            Body = body,
            Shape = route.Shape,
            Operation = route.Operation,
            Deployment = route.Deployment,
            ApiVersion = request.Query.TryGetValue("api-version", out var version) ? version.ToString() : null,
            RequestId = requestId,
        };
        var parsed = await ParseBodyAsync(record, ct);

        try
        {
            await AnswerAsync(context, route, record, parsed, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The client hung up (or the server is stopping) before or while the answer was written.
            Publish(record, 499);
            context.Abort();
        }
        catch (IOException)
        {
            context.Abort();
        }
    }

    private async Task AnswerAsync(HttpContext context, Route route, RecordedRequest record, ParsedBody parsed, CancellationToken ct)
    {
        if (route.Shape == ApiShape.FileDownload)
        {
            await ServeFileAsync(context, route, record, ct);
            return;
        }
        if (!route.IsApi)
        {
            await SendErrorAsync(context, record, new ApiError(404, $"Invalid URL ({record.Method} {record.Path}).", "invalid_request_error", null, null), null, ct);
            return;
        }
        if (route.Shape == ApiShape.AzureDeployment && string.IsNullOrEmpty(record.ApiVersion))
        {
            await SendErrorAsync(context, record, ApiError.Invalid("Missing required query parameter: 'api-version'.", "api-version", ErrorCodes.MissingApiVersion), null, ct);
            return;
        }
        if (ApiKeyCheck.Check(context.Request, route.Shape, _options.ApiKey) is { } authError)
        {
            await SendErrorAsync(context, record, authError, null, ct);
            return;
        }

        var fault = FaultInjector.Pick(_options.Faults, route.Operation, record.Path, streamKinds: false);
        if (fault is { IsErrorKind: true })
        {
            await SendErrorAsync(context, record, FaultInjector.ErrorFor(fault), fault, ct);
            return;
        }

        if (route.Operation is ApiOperation.Files or ApiOperation.Batches)
        {
            if (fault is { Kind: FaultKind.SlowResponse }) await Task.Delay(fault.Delay, ct);
            await WaitLatencyAsync(ct);
            var (status, answer, contentType) = await _batches.AnswerAsync(record.Method, route.FileName!.Split('/'), record.Body, record.ContentType, parsed.Json, ct);
            context.Response.StatusCode = status;
            context.Response.ContentType = contentType;
            record.Fault = fault;
            Publish(record, status);
            var pause = _options.Batches.ContentChunkDelay;
            if (contentType == "application/octet-stream" && pause > TimeSpan.Zero && fault is null)
            {
                context.Response.ContentLength = answer.Length;
                for (int offset = 0; offset < answer.Length; offset += 64 * 1024)
                {
                    await context.Response.Body.WriteAsync(answer.AsMemory(offset, Math.Min(64 * 1024, answer.Length - offset)), ct);
                    await context.Response.Body.FlushAsync(ct);
                    await Task.Delay(pause, ct);
                }
                return;
            }
            await BodyWriter.WriteAsync(context, answer, BodyWriter.IsBodyFault(fault) ? fault : null, _options.WriteChunkSize, ct);
            return;
        }
        if (route.Operation == ApiOperation.Responses)
        {
            await AnswerResponsesAsync(context, record, parsed, fault, ct);
            return;
        }

        ImageJob job;
        try
        {
            job = Validate(route, parsed);
        }
        catch (ApiErrorException e)
        {
            await SendErrorAsync(context, record, e.Error, fault, ct);
            return;
        }

        if (fault is { Kind: FaultKind.SlowResponse }) await Task.Delay(fault.Delay, ct);
        await WaitLatencyAsync(ct);

        long created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        if (job.Stream)
        {
            var streamFault = fault is null ? FaultInjector.Pick(_options.Faults, route.Operation, record.Path, streamKinds: true) : null;
            await SendStreamAsync(context, record, job, created, fault ?? streamFault, ct);
            return;
        }

        var images = Enumerable.Range(0, job.N)
            .Select(i => OutputEncoder.Encode(job.OutputFormat, job.Width, job.Height, JobRenderer.Render(job, i)))
            .Select(image => fault is { Kind: FaultKind.CorruptImage } ? Corrupt(image, fault.BytesBeforeAbort) : image)
            .ToList();
        var json = ResponseJson.ImagesResponse(job, images, StoreForUrl, created);
        context.Response.ContentType = "application/json";
        record.Fault = fault;
        Publish(record, 200);
        await BodyWriter.WriteAsync(context, json, fault, _options.WriteChunkSize, ct);
    }

    /// <summary>POST /v1/responses: validated and answered by <see cref="ResponsesEndpoint"/>, streamed or whole.</summary>
    private async Task AnswerResponsesAsync(HttpContext context, RecordedRequest record, ParsedBody parsed, FaultRule? fault, CancellationToken ct)
    {
        ResponsesEndpoint.ResponsesJob job;
        try
        {
            if (parsed.Error is not null) throw new ApiErrorException(parsed.Error);
            job = _responses.Validate(parsed.Json);
        }
        catch (ApiErrorException e)
        {
            await SendErrorAsync(context, record, e.Error, fault, ct);
            return;
        }
        if (fault is { Kind: FaultKind.SlowResponse }) await Task.Delay(fault.Delay, ct);
        await WaitLatencyAsync(ct);
        long created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        bool textOnly = fault is { Kind: FaultKind.TextAnswer };
        byte[] body = _responses.Answer(job, textOnly, created, out _);
        if (job.Stream)
        {
            context.Response.ContentType = "text/event-stream";
            record.Fault = fault;
            record.Streamed = true;
            Publish(record, 200);
            foreach (var e in ResponsesEventStream.Events(job, body)) await BodyWriter.WritePiecesAsync(context.Response, e, _options.WriteChunkSize, ct);
            return;
        }
        context.Response.ContentType = "application/json";
        record.Fault = fault;
        Publish(record, 200);
        await BodyWriter.WriteAsync(context, body, BodyWriter.IsBodyFault(fault) ? fault : null, _options.WriteChunkSize, ct);
    }

    private static byte[] Corrupt(byte[] image, int keep) =>
        keep <= 0 ? System.Text.Encoding.ASCII.GetBytes("this is not an image") : image.AsSpan(0, Math.Min(keep, image.Length - 1)).ToArray();

    private ImageJob Validate(Route route, ParsedBody parsed)
    {
        if (parsed.Error is not null) throw new ApiErrorException(parsed.Error);
        string? deployment = route.Deployment;
        switch (route.Operation)
        {
            case ApiOperation.Generations:
                if (parsed.Json is not { } generation) throw WrongContentType("application/json");
                return GenerationValidator.Validate(RequestFields.FromJson(generation), deployment);
            case ApiOperation.Edits:
                if (parsed.Parts is not null) return EditValidator.Validate(parsed.Parts, deployment);
                if (parsed.Json is { } edit) return JsonEditValidator.Validate(RequestFields.FromJson(edit), deployment);
                throw WrongContentType("multipart/form-data or application/json");
            default:
                if (parsed.Parts is null) throw WrongContentType("multipart/form-data");
                return VariationValidator.Validate(parsed.Parts);
        }
    }

    private static ApiErrorException WrongContentType(string expected) =>
        new(ApiError.Invalid($"Invalid Content-Type header: this endpoint expects {expected}.", null, ErrorCodes.UnsupportedContentType));

    private sealed record ParsedBody(JsonElement? Json, IReadOnlyList<MultipartPart>? Parts, ApiError? Error);

    /// <summary>Parses JSON or multipart bodies into the recording; a parse failure is kept for the answer.</summary>
    private static async Task<ParsedBody> ParseBodyAsync(RecordedRequest record, CancellationToken ct)
    {
        string mediaType = InputImageRules.MediaTypeOf(record.ContentType);
        if (mediaType == "application/json")
        {
            try
            {
                using var document = JsonDocument.Parse(record.Body);
                record.Json = document.RootElement.Clone();
                return new ParsedBody(record.Json, null, null);
            }
            catch (JsonException)
            {
                return new ParsedBody(null, null, ApiError.Invalid(
                    "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON.)",
                    null, null));
            }
        }
        if (mediaType == "multipart/form-data")
        {
            try
            {
                var parts = await MultipartParser.ParseAsync(record.ContentType!, record.Body, ct);
                record.Parts = parts;
                return new ParsedBody(null, parts, null);
            }
            catch (ApiErrorException e)
            {
                return new ParsedBody(null, null, e.Error);
            }
        }
        return new ParsedBody(null, null, null);
    }

    private async Task SendStreamAsync(HttpContext context, RecordedRequest record, ImageJob job, long created, FaultRule? fault, CancellationToken ct)
    {
        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        record.Streamed = true;
        record.Fault = fault;
        int chunkSize = _options.WriteChunkSize;

        if (BodyWriter.IsBodyFault(fault))
        {
            // Body faults act on the stream's bytes as a whole.
            var all = ImageEventStream.Events(job, created).SelectMany(e => e).ToArray();
            Publish(record, 200);
            await BodyWriter.WriteAsync(context, all, fault, chunkSize, ct);
            return;
        }

        Publish(record, 200);
        await response.StartAsync(ct);
        // A stream fault always lands before the completed event of the last image.
        int faultAt = fault is { IsStreamKind: true } ? Math.Min(fault.AfterEvents, ImageEventStream.EventCount(job) - 1) : -1;
        int sent = 0;
        foreach (var evt in ImageEventStream.Events(job, created))
        {
            if (sent == faultAt)
            {
                await ApplyStreamFaultAsync(response, fault!, chunkSize, ct);
                return;
            }
            if (sent > 0 && _options.StreamEventInterval is { } interval && interval > TimeSpan.Zero)
                await Task.Delay(interval, ct);
            await BodyWriter.WritePiecesAsync(response, evt, chunkSize, ct);
            sent++;
        }
    }

    private static async Task ApplyStreamFaultAsync(HttpResponse response, FaultRule fault, int chunkSize, CancellationToken ct)
    {
        switch (fault.Kind)
        {
            case FaultKind.StreamStall:
                // Keep the connection open and silent until the client gives up or the server stops.
                await Task.Delay(Timeout.Infinite, ct);
                break;
            case FaultKind.StreamError:
                await BodyWriter.WritePiecesAsync(response, ImageEventStream.ErrorEvent(FaultInjector.ErrorFor(fault)), chunkSize, ct);
                break;
            // StreamCut: end the body cleanly with no completed event.
        }
    }

    private async Task ServeFileAsync(HttpContext context, Route route, RecordedRequest record, CancellationToken ct)
    {
        var fault = FaultInjector.Pick(_options.Faults, ApiOperation.FileDownload, record.Path, streamKinds: false);
        if (fault is { IsErrorKind: true })
        {
            await SendErrorAsync(context, record, FaultInjector.ErrorFor(fault), fault, ct);
            return;
        }
        var file = _files.Get(route.FileName!);
        if (file is null)
        {
            await SendErrorAsync(context, record, new ApiError(404, "The file was not found or has expired.", "invalid_request_error", null, "not_found"), fault, ct);
            return;
        }
        if (fault is { Kind: FaultKind.SlowResponse }) await Task.Delay(fault.Delay, ct);
        await WaitLatencyAsync(ct);
        context.Response.ContentType = "image/png";
        record.Fault = fault;
        Publish(record, 200);
        await BodyWriter.WriteAsync(context, file, fault, _options.WriteChunkSize, ct);
    }

    private async Task SendErrorAsync(HttpContext context, RecordedRequest record, ApiError error, FaultRule? fault, CancellationToken ct)
    {
        await WaitLatencyAsync(ct);
        var response = context.Response;
        response.StatusCode = error.Status;
        response.ContentType = "application/json";
        foreach (var header in error.Headers) response.Headers[header.Key] = header.Value;
        record.Fault = fault;
        record.ErrorCode = error.Code;
        record.ErrorParam = error.Param;
        Publish(record, error.Status);
        await BodyWriter.WriteAsync(context, error.ToJson(), BodyWriter.IsBodyFault(fault) ? fault : null, _options.WriteChunkSize, ct);
    }

    private async Task WaitLatencyAsync(CancellationToken ct)
    {
        var latency = _options.Latency;
        if (latency > TimeSpan.Zero) await Task.Delay(latency, ct);
    }

    private string StoreForUrl(byte[] png) => new Uri(_root(), "files/" + _files.Add(png)).AbsoluteUri;

    private void Publish(RecordedRequest record, int status)
    {
        if (record.ResponseStatus != 0) return;
        record.ResponseStatus = status;
        _log.Add(record);
    }
}
