using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using OpenAIImages.FakeApi.Http;
using OpenAIImages.FakeApi.Imaging;
using OpenAIImages.FakeApi.Recording;
using OpenAIImages.FakeApi.Responses;
using OpenAIImages.FakeApi.Validation;

namespace OpenAIImages.FakeApi.Batches;

/// <summary>
/// /v1/files and /v1/batches for the image endpoints, strict as the spec (CreateFileRequest, CreateBatchRequest,
/// OpenAIFile, Batch). Every line of a batch's input file is validated as its endpoint validates a direct request:
/// custom_id unique, method POST, url the batch's endpoint, body per the spec. A batch then runs validating,
/// in_progress, finalizing and completed at the pace of <see cref="BatchOptions.Step"/>; its results are made while
/// it is in progress, into an output file (and an error file for lines that fail), each line as the Batch API writes
/// it. Modes: a failed validation, an expired window with half the results, cancellation with the results so far.
/// </summary>
internal sealed class BatchApi
{
    private static readonly string[] Purposes = { "assistants", "batch", "fine-tune", "vision", "user_data", "evals" };
    private static readonly string[] Endpoints = { "/v1/responses", "/v1/chat/completions", "/v1/embeddings", "/v1/completions", "/v1/moderations", "/v1/images/generations", "/v1/images/edits", "/v1/videos" };
    private static readonly IReadOnlySet<string> CreateAllowed = new HashSet<string> { "input_file_id", "endpoint", "completion_window", "metadata", "output_expires_after" };

    private readonly ConcurrentDictionary<string, StoredFile> _files = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, FakeBatch> _batches = new(StringComparer.Ordinal);
    private readonly BatchOptions _options;

    public BatchApi(BatchOptions options) => _options = options;

    internal sealed record StoredFile(string Id, string FileName, string Purpose, byte[] Data, long CreatedAt);

    /// <summary>Answers a request under /v1/files or /v1/batches; the path's segments after /v1/.</summary>
    public async Task<(int Status, byte[] Body, string ContentType)> AnswerAsync(string method, string[] segments, byte[] body, string? contentType, JsonElement? json, CancellationToken ct)
    {
        try
        {
            return segments switch
            {
                ["files"] when method == "POST" => Json(FileObject(await UploadAsync(body, contentType, ct))),
                ["files"] when method == "GET" => Json(FileList()),
                ["files", var id] when method == "GET" => Json(FileObject(FindFile(id))),
                ["files", var id] when method == "DELETE" => Json(Deleted(FindFile(id))),
                ["files", var id, "content"] when method == "GET" => (200, FindFile(id).Data, "application/octet-stream"),
                ["batches"] when method == "POST" => Json(BatchObject(Create(json))),
                ["batches"] when method == "GET" => Json(BatchList()),
                ["batches", var id] when method == "GET" => Json(BatchObject(FindBatch(id))),
                ["batches", var id, "cancel"] when method == "POST" => Json(BatchObject(Cancel(FindBatch(id)))),
                _ => throw new ApiErrorException(new ApiError(404, $"Invalid URL ({method} /v1/{string.Join('/', segments)}).", "invalid_request_error", null, null)),
            };
        }
        catch (ApiErrorException e)
        {
            return (e.Error.Status, e.Error.ToJson(), "application/json");
        }
    }

    private static (int, byte[], string) Json(Action<Utf8JsonWriter> write)
    {
        var buffer = new MemoryStream();
        using (var writer = JsonOutput.Writer(buffer)) write(writer);
        return (200, buffer.ToArray(), "application/json");
    }

    // ---- files ----

    private async Task<StoredFile> UploadAsync(byte[] body, string? contentType, CancellationToken ct)
    {
        if (InputImageRules.MediaTypeOf(contentType) != "multipart/form-data")
            throw new ApiErrorException(ApiError.Invalid("Invalid Content-Type header: this endpoint expects multipart/form-data.", null, ErrorCodes.UnsupportedContentType));
        var parts = await MultipartParser.ParseAsync(contentType!, body, ct);
        MultipartPart? file = null;
        string? purpose = null;
        foreach (var part in parts)
        {
            switch (part.Name)
            {
                case "file" when part.IsFile && file is null: file = part; break;
                case "purpose" when !part.IsFile && purpose is null: purpose = part.Text; break;
                case "expires_after[anchor]" or "expires_after[seconds]" when !part.IsFile: break;
                default: throw CommonRules.Invalid($"Unknown parameter: '{part.Name}'.", part.Name, ErrorCodes.UnknownParameter);
            }
        }
        if (file is null) throw CommonRules.Invalid("Missing required parameter: 'file'.", "file", ErrorCodes.MissingRequiredParameter);
        if (purpose is null) throw CommonRules.Invalid("Missing required parameter: 'purpose'.", "purpose", ErrorCodes.MissingRequiredParameter);
        if (!Purposes.Contains(purpose)) throw CommonRules.Invalid($"Invalid value: '{purpose}'. Supported values are: {CommonRules.Join(Purposes)}.", "purpose", ErrorCodes.InvalidValue);
        if (purpose == "batch")
        {
            if (!file.FileName!.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase))
                throw CommonRules.Invalid("Invalid file format for Batch API. Must be .jsonl", "file", ErrorCodes.InvalidValue);
            if (file.Data.Length > _options.MaxBytes)
                throw CommonRules.Invalid($"The batch input file is {file.Data.Length:N0} bytes; the limit is {_options.MaxBytes:N0}.", "file", ErrorCodes.InvalidValue);
        }
        return Store(file.FileName!, purpose, file.Data);
    }

    private StoredFile Store(string name, string purpose, byte[] data)
    {
        var stored = new StoredFile("file-" + Hex(24), name, purpose, data, Now());
        _files[stored.Id] = stored;
        return stored;
    }

    private StoredFile FindFile(string id) =>
        _files.TryGetValue(id, out var file) ? file : throw new ApiErrorException(new ApiError(404, $"No such File object: {id}", "invalid_request_error", "id", null));

    private static Action<Utf8JsonWriter> FileObject(StoredFile file) => w => WriteFile(w, file);

    private static void WriteFile(Utf8JsonWriter w, StoredFile file)
    {
        w.WriteStartObject();
        w.WriteString("id", file.Id);
        w.WriteString("object", "file");
        w.WriteNumber("bytes", file.Data.Length);
        w.WriteNumber("created_at", file.CreatedAt);
        w.WriteString("filename", file.FileName);
        w.WriteString("purpose", file.Purpose);
        w.WriteString("status", "processed");
        w.WriteEndObject();
    }

    private Action<Utf8JsonWriter> FileList() => w =>
    {
        w.WriteStartObject();
        w.WriteString("object", "list");
        w.WriteStartArray("data");
        foreach (var file in _files.Values.OrderByDescending(f => f.CreatedAt)) WriteFile(w, file);
        w.WriteEndArray();
        w.WriteBoolean("has_more", false);
        w.WriteEndObject();
    };

    private Action<Utf8JsonWriter> Deleted(StoredFile file)
    {
        _files.TryRemove(file.Id, out _);
        return w =>
        {
            w.WriteStartObject();
            w.WriteString("id", file.Id);
            w.WriteString("object", "file");
            w.WriteBoolean("deleted", true);
            w.WriteEndObject();
        };
    }

    // ---- batches ----

    private FakeBatch Create(JsonElement? json)
    {
        if (json is not { } root) throw new ApiErrorException(ApiError.Invalid("Invalid Content-Type header: this endpoint expects application/json.", null, ErrorCodes.UnsupportedContentType));
        var fields = RequestFields.FromJson(root);
        fields.RejectUnknown(CreateAllowed);
        string fileId = fields.String("input_file_id") ?? throw CommonRules.Invalid("Missing required parameter: 'input_file_id'.", "input_file_id", ErrorCodes.MissingRequiredParameter);
        string endpoint = CommonRules.Enum(fields, "endpoint", Endpoints) ?? throw CommonRules.Invalid("Missing required parameter: 'endpoint'.", "endpoint", ErrorCodes.MissingRequiredParameter);
        if (endpoint is not ("/v1/images/generations" or "/v1/images/edits"))
            throw CommonRules.Invalid($"Invalid value: '{endpoint}'. This server runs batches of /v1/images/generations and /v1/images/edits only.", "endpoint", ErrorCodes.InvalidValue);
        if ((CommonRules.Enum(fields, "completion_window", new[] { "24h" }) ?? throw CommonRules.Invalid("Missing required parameter: 'completion_window'.", "completion_window", ErrorCodes.MissingRequiredParameter)) != "24h")
            throw CommonRules.Invalid("Invalid 'completion_window'.", "completion_window", ErrorCodes.InvalidValue);
        if (fields.Raw("metadata") is { } metadata && metadata.ValueKind is not (JsonValueKind.Object or JsonValueKind.Null))
            throw CommonRules.Invalid("Invalid type for 'metadata': expected an object.", "metadata", ErrorCodes.InvalidType);
        var input = FindFile(fileId);
        if (input.Purpose != "batch")
            throw CommonRules.Invalid($"The file {fileId} was uploaded with purpose '{input.Purpose}'; a batch's input file needs purpose 'batch'.", "input_file_id", ErrorCodes.InvalidValue);

        var batch = new FakeBatch("batch_" + Hex(24), fileId, endpoint, Now(), _options.Mode, _options.FailEveryNth, _options.Step);
        var (lines, errors) = Validate(input.Data, endpoint);
        if (lines.Count > _options.MaxRequests)
            errors.Add(("too_many_requests", $"The input file has {lines.Count:N0} requests; a batch takes at most {_options.MaxRequests:N0}.", null));
        batch.Lines = lines;
        batch.ValidationErrors = batch.Mode == BatchMode.Fail && errors.Count == 0 ? new List<(string, string, int?)> { ("invalid_request", "The input file was refused (a test mode of the fake).", 1) } : errors;
        _batches[batch.Id] = batch;
        _ = Task.Run(() => RunAsync(batch));
        return batch;
    }

    /// <summary>Every line, checked as its endpoint checks a direct request; problems as the Batch API lists them.</summary>
    private static (List<BatchLine>, List<(string Code, string Message, int? Line)>) Validate(byte[] data, string endpoint)
    {
        var lines = new List<BatchLine>();
        var errors = new List<(string, string, int?)>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        int number = 0;
        foreach (var raw in Encoding.UTF8.GetString(data).Split('\n'))
        {
            number++;
            if (raw.Trim().Length == 0) continue;
            try
            {
                using var document = JsonDocument.Parse(raw);
                var root = document.RootElement;
                var fields = RequestFields.FromJson(root);
                fields.RejectUnknown(new HashSet<string> { "custom_id", "method", "url", "body" });
                string customId = fields.String("custom_id") ?? throw CommonRules.Invalid("Missing 'custom_id'.", "custom_id", ErrorCodes.MissingRequiredParameter);
                if (!ids.Add(customId)) throw CommonRules.Invalid($"The custom_id '{customId}' is used more than once.", "custom_id", "duplicate_custom_id");
                if (fields.String("method") != "POST") throw CommonRules.Invalid("The method must be POST.", "method", ErrorCodes.InvalidValue);
                if (fields.String("url") != endpoint) throw CommonRules.Invalid($"The url must be the batch's endpoint, {endpoint}.", "url", "mismatched_endpoint");
                if (fields.Raw("body") is not { ValueKind: JsonValueKind.Object } body) throw CommonRules.Invalid("The body must be an object.", "body", ErrorCodes.InvalidType);
                var job = endpoint == "/v1/images/generations"
                    ? GenerationValidator.Validate(RequestFields.FromJson(body), null)
                    : JsonEditValidator.Validate(RequestFields.FromJson(body), null);
                if (job.Stream) throw CommonRules.Invalid("A batch request cannot stream.", "body.stream", ErrorCodes.InvalidValue);
                lines.Add(new BatchLine(customId, job));
            }
            catch (JsonException e)
            {
                errors.Add(("invalid_json_line", $"Line {number} is not valid JSON: {e.Message}", number));
            }
            catch (ApiErrorException e)
            {
                errors.Add((e.Error.Code ?? "invalid_request", e.Error.Message, number));
            }
        }
        if (lines.Count == 0 && errors.Count == 0) errors.Add(("empty_file", "The input file holds no requests.", null));
        return (lines, errors);
    }

    /// <summary>The lifecycle: the results are made while in_progress, one line at a time.</summary>
    private async Task RunAsync(FakeBatch batch)
    {
        try
        {
            await Task.Delay(batch.Step);
            if (batch.ValidationErrors.Count > 0)
            {
                batch.Set("failed", b => b.FailedAt = Now());
                return;
            }
            batch.Set("in_progress", b => b.InProgressAt = Now());
            var output = new MemoryStream();
            var errors = new MemoryStream();
            int stopAt = batch.Mode == BatchMode.Expire ? batch.Lines.Count / 2 : batch.Lines.Count;
            for (int i = 0; i < stopAt && !batch.CancelRequested; i++)
            {
                var line = batch.Lines[i];
                bool fails = batch.FailEveryNth > 0 && (i + 1) % batch.FailEveryNth == 0;
                var target = fails ? errors : output;
                target.Write(fails ? ErrorLine(line) : ResultLine(line));
                target.WriteByte((byte)'\n');
                batch.Count(fails);
                // Spread the lines over one step, so a test polling meanwhile sees counts rise.
                if (batch.Lines.Count <= 200) await Task.Delay(batch.Step / Math.Max(1, batch.Lines.Count));
            }
            if (!batch.CancelRequested) await Task.Delay(batch.Step);
            batch.Set(batch.CancelRequested ? "cancelling" : "finalizing", b => b.FinalizingAt = Now());
            await Task.Delay(batch.Step);
            if (output.Length > 0) batch.OutputFileId = Store($"{batch.Id}_output.jsonl", "batch_output", output.ToArray()).Id;
            if (errors.Length > 0) batch.ErrorFileId = Store($"{batch.Id}_error.jsonl", "batch_output", errors.ToArray()).Id;
            if (batch.CancelRequested) batch.Set("cancelled", b => b.CancelledAt = Now());
            else if (batch.Mode == BatchMode.Expire) batch.Set("expired", b => b.ExpiredAt = Now());
            else batch.Set("completed", b => b.CompletedAt = Now());
        }
        catch (Exception e)
        {
            batch.ValidationErrors.Add(("server_error", e.Message, null));
            batch.Set("failed", b => b.FailedAt = Now());
        }
    }

    private static byte[] ResultLine(BatchLine line)
    {
        var images = Enumerable.Range(0, line.Job.N)
            .Select(i => OutputEncoder.Encode(line.Job.OutputFormat, line.Job.Width, line.Job.Height, JobRenderer.Render(line.Job, i)))
            .ToList();
        byte[] body = ResponseJson.ImagesResponse(line.Job, images, _ => throw new InvalidOperationException("Batches answer with base64 images."), Now());
        return Line(line.CustomId, 200, body);
    }

    private static byte[] ErrorLine(BatchLine line) =>
        Line(line.CustomId, 400, new ApiError(400, "Your request was rejected by the safety system (a test mode of the fake).", "image_generation_user_error", null, "moderation_blocked").ToJson());

    private static byte[] Line(string customId, int status, byte[] body)
    {
        var buffer = new MemoryStream();
        using (var w = JsonOutput.Writer(buffer))
        {
            w.WriteStartObject();
            w.WriteString("id", "batch_req_" + Hex(24));
            w.WriteString("custom_id", customId);
            w.WriteStartObject("response");
            w.WriteNumber("status_code", status);
            w.WriteString("request_id", "req_" + Hex(32));
            w.WritePropertyName("body");
            using (var document = JsonDocument.Parse(body)) document.RootElement.WriteTo(w);
            w.WriteEndObject();
            w.WriteNull("error");
            w.WriteEndObject();
        }
        return buffer.ToArray();
    }

    private FakeBatch FindBatch(string id) =>
        _batches.TryGetValue(id, out var batch) ? batch : throw new ApiErrorException(new ApiError(404, $"No batch found with id '{id}'.", "invalid_request_error", "batch_id", null));

    private static FakeBatch Cancel(FakeBatch batch)
    {
        if (batch.Status is "completed" or "failed" or "expired" or "cancelled")
            throw new ApiErrorException(new ApiError(409, $"Cannot cancel a batch with status '{batch.Status}'.", "invalid_request_error", null, null));
        batch.CancelRequested = true;
        batch.Set("cancelling", b => b.CancellingAt = Now());
        return batch;
    }

    private static Action<Utf8JsonWriter> BatchObject(FakeBatch batch) => w => batch.Write(w);

    private Action<Utf8JsonWriter> BatchList() => w =>
    {
        var all = _batches.Values.OrderByDescending(b => b.CreatedAt).ThenByDescending(b => b.Id).Take(20).ToList();
        w.WriteStartObject();
        w.WriteString("object", "list");
        w.WriteStartArray("data");
        foreach (var batch in all) batch.Write(w);
        w.WriteEndArray();
        if (all.Count > 0)
        {
            w.WriteString("first_id", all[0].Id);
            w.WriteString("last_id", all[^1].Id);
        }
        w.WriteBoolean("has_more", _batches.Count > all.Count);
        w.WriteEndObject();
    };

    private static long Now() => DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    private static string Hex(int length) => Convert.ToHexString(RandomNumberGenerator.GetBytes(length / 2)).ToLowerInvariant();

    internal sealed record BatchLine(string CustomId, ImageJob Job);

    internal sealed class FakeBatch
    {
        private readonly object _gate = new();
        private int _completed, _failed;

        public FakeBatch(string id, string inputFileId, string endpoint, long createdAt, BatchMode mode, int failEveryNth, TimeSpan step)
        {
            Id = id;
            InputFileId = inputFileId;
            Endpoint = endpoint;
            CreatedAt = createdAt;
            Mode = mode;
            FailEveryNth = failEveryNth;
            Step = step;
        }

        public string Id { get; }
        public string InputFileId { get; }
        public string Endpoint { get; }
        public long CreatedAt { get; }
        public BatchMode Mode { get; }
        public int FailEveryNth { get; }
        public TimeSpan Step { get; }
        public List<BatchLine> Lines { get; set; } = new();
        public List<(string Code, string Message, int? Line)> ValidationErrors { get; set; } = new();
        public volatile bool CancelRequested;
        public string Status { get; private set; } = "validating";
        public string? OutputFileId { get; set; }
        public string? ErrorFileId { get; set; }
        public long? InProgressAt, FinalizingAt, CompletedAt, FailedAt, ExpiredAt, CancellingAt, CancelledAt;

        public void Set(string status, Action<FakeBatch> stamp)
        {
            lock (_gate)
            {
                stamp(this);
                Status = status;
            }
        }

        public void Count(bool failed)
        {
            lock (_gate)
            {
                if (failed) _failed++; else _completed++;
            }
        }

        public void Write(Utf8JsonWriter w)
        {
            lock (_gate)
            {
                w.WriteStartObject();
                w.WriteString("id", Id);
                w.WriteString("object", "batch");
                w.WriteString("endpoint", Endpoint);
                if (ValidationErrors.Count > 0 && Status == "failed")
                {
                    w.WriteStartObject("errors");
                    w.WriteString("object", "list");
                    w.WriteStartArray("data");
                    foreach (var (code, message, line) in ValidationErrors)
                    {
                        w.WriteStartObject();
                        w.WriteString("code", code);
                        w.WriteString("message", message);
                        if (line is int l) w.WriteNumber("line", l); else w.WriteNull("line");
                        w.WriteNull("param");
                        w.WriteEndObject();
                    }
                    w.WriteEndArray();
                    w.WriteEndObject();
                }
                else w.WriteNull("errors");
                w.WriteString("input_file_id", InputFileId);
                w.WriteString("completion_window", "24h");
                w.WriteString("status", Status);
                Nullable(w, "output_file_id", OutputFileId);
                Nullable(w, "error_file_id", ErrorFileId);
                w.WriteNumber("created_at", CreatedAt);
                Stamp(w, "in_progress_at", InProgressAt);
                w.WriteNumber("expires_at", CreatedAt + 24 * 3600);
                Stamp(w, "finalizing_at", FinalizingAt);
                Stamp(w, "completed_at", CompletedAt);
                Stamp(w, "failed_at", FailedAt);
                Stamp(w, "expired_at", ExpiredAt);
                Stamp(w, "cancelling_at", CancellingAt);
                Stamp(w, "cancelled_at", CancelledAt);
                w.WriteStartObject("request_counts");
                w.WriteNumber("total", Lines.Count);
                w.WriteNumber("completed", _completed);
                w.WriteNumber("failed", _failed);
                w.WriteEndObject();
                w.WriteNull("metadata");
                w.WriteEndObject();
            }
        }

        private static void Nullable(Utf8JsonWriter w, string name, string? value)
        {
            if (value is null) w.WriteNull(name); else w.WriteString(name, value);
        }

        private static void Stamp(Utf8JsonWriter w, string name, long? value)
        {
            if (value is long v) w.WriteNumber(name, v); else w.WriteNull(name);
        }
    }
}
