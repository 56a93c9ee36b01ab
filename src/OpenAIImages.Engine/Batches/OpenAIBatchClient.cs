using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using OpenAIImages.Engine.Http;
using OpenAIImages.Engine.Requests;

namespace OpenAIImages.Engine.Batches
{
    /// <summary>
    /// The Files and Batch APIs, through the same pipeline as every image request (credentials, retries, deadline,
    /// Ctrl+C): upload a file (streamed from disk), create, read, list and cancel batches, and read a file's content
    /// as a stream, so an output file of any size passes through a small buffer.
    /// </summary>
    public sealed class OpenAIBatchClient
    {
        private readonly ApiRequestSender _sender;

        public OpenAIBatchClient(OpenAIConnection connection) => _sender = new ApiRequestSender(connection ?? throw new ArgumentNullException(nameof(connection)));

        public OpenAIConnection Connection => _sender.Connection;

        /// <summary>Uploads a file from disk (opened anew for each attempt) and returns its id.</summary>
        public Task<string> UploadFileAsync(string path, string fileName, string purpose, IOperationObserver observer, CancellationToken cancellationToken) =>
            UploadAsync(() => new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.SequentialScan), fileName, "application/jsonl", purpose, observer, cancellationToken);

        /// <summary>Uploads an input image (for edits by file id) and returns its id.</summary>
        public Task<string> UploadImageAsync(ImageInput image, IOperationObserver observer, CancellationToken cancellationToken) =>
            UploadAsync(() => new MemoryStream(image.Data, writable: false), image.UploadFileName, Imaging.ImageFormatExtensions.MediaType(image.Format), "user_data", observer, cancellationToken);

        private async Task<string> UploadAsync(Func<Stream> open, string fileName, string mediaType, string purpose, IOperationObserver observer, CancellationToken cancellationToken)
        {
            HttpContent Build()
            {
                var form = new MultipartFormDataContent();
                var file = new StreamContent(open(), 81920);
                file.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
                form.Add(file, "file", fileName);
                form.Add(new StringContent(purpose), "purpose");
                return form;
            }
            var json = await SendJsonAsync(HttpMethod.Post, "files", Build, observer, cancellationToken).ConfigureAwait(false);
            return Text(json, "id") ?? throw Invalid("The file upload answered without an id.");
        }

        public async Task<BatchStatus> CreateAsync(string inputFileId, string endpoint, IOperationObserver observer, CancellationToken cancellationToken)
        {
            byte[] body;
            using (var buffer = new MemoryStream())
            {
                using (var writer = new Utf8JsonWriter(buffer))
                {
                    writer.WriteStartObject();
                    writer.WriteString("input_file_id", inputFileId);
                    writer.WriteString("endpoint", endpoint);
                    writer.WriteString("completion_window", "24h");
                    writer.WriteEndObject();
                }
                body = buffer.ToArray();
            }
            return ReadBatch(await SendJsonAsync(HttpMethod.Post, "batches", () => OpenAIImageClient.JsonContent(body), observer, cancellationToken).ConfigureAwait(false));
        }

        public async Task<BatchStatus> GetAsync(string batchId, IOperationObserver observer, CancellationToken cancellationToken) =>
            ReadBatch(await SendJsonAsync(HttpMethod.Get, "batches/" + Uri.EscapeDataString(batchId), null, observer, cancellationToken).ConfigureAwait(false));

        /// <remarks>A 409 here means the batch has ended (completed, failed, expired, cancelled): it is said at once, not retried.</remarks>
        public async Task<BatchStatus> CancelAsync(string batchId, IOperationObserver observer, CancellationToken cancellationToken) =>
            ReadBatch(await SendJsonAsync(HttpMethod.Post, "batches/" + Uri.EscapeDataString(batchId) + "/cancel", () => new ByteArrayContent(Array.Empty<byte>()), observer, cancellationToken, conflictIsFinal: true).ConfigureAwait(false));

        /// <summary>The most recent batches (all endpoints), newest first.</summary>
        public async Task<IReadOnlyList<BatchStatus>> ListAsync(int limit, IOperationObserver observer, CancellationToken cancellationToken)
        {
            var json = await SendJsonAsync(HttpMethod.Get, "batches?limit=" + limit.ToString(CultureInfo.InvariantCulture), null, observer, cancellationToken).ConfigureAwait(false);
            var list = new List<BatchStatus>();
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Array)
                foreach (var item in data.EnumerateArray()) list.Add(ReadBatch(item));
            return list;
        }

        /// <summary>Reads a file's content as it arrives; <paramref name="read"/> gets the body stream.</summary>
        public Task<T> ReadFileContentAsync<T>(string fileId, Func<Stream, CancellationToken, Task<T>> read, IOperationObserver observer, CancellationToken cancellationToken) =>
            _sender.SendAsync(HttpMethod.Get, Connection.EndpointFor("files/" + Uri.EscapeDataString(fileId) + "/content"), null, observer, async (response, token) =>
            {
                using var stream = await response.OpenAsync().ConfigureAwait(false);
                return await read(stream, token).ConfigureAwait(false);
            }, acceptsEventStream: true, cancellationToken);

        private Task<byte[]> SendJsonAsync(HttpMethod method, string path, Func<HttpContent>? content, IOperationObserver observer, CancellationToken cancellationToken, bool conflictIsFinal = false) =>
            _sender.SendAsync(method, Connection.EndpointFor(path), content, observer, async (response, token) =>
            {
                using var body = await response.ReadBodyAsync(token).ConfigureAwait(false);
                return body.Span.ToArray();
            }, acceptsEventStream: false, cancellationToken, conflictIsFinal);

        private static BatchStatus ReadBatch(byte[] json)
        {
            try
            {
                using var document = JsonDocument.Parse(json);
                return ReadBatch(document.RootElement);
            }
            catch (JsonException e)
            {
                throw Invalid("The batch answer is not JSON: " + e.Message);
            }
        }

        private static BatchStatus ReadBatch(JsonElement root)
        {
            var status = new BatchStatus
            {
                Id = Text(root, "id") ?? throw Invalid("The batch answer has no id."),
                Status = Text(root, "status") ?? "",
                Endpoint = Text(root, "endpoint"),
                InputFileId = Text(root, "input_file_id"),
                OutputFileId = Text(root, "output_file_id"),
                ErrorFileId = Text(root, "error_file_id"),
                Created = root.TryGetProperty("created_at", out var created) && created.ValueKind == JsonValueKind.Number ? DateTimeOffset.FromUnixTimeSeconds(created.GetInt64()) : (DateTimeOffset?)null,
            };
            if (root.TryGetProperty("request_counts", out var counts) && counts.ValueKind == JsonValueKind.Object)
            {
                status.Total = Int(counts, "total");
                status.Completed = Int(counts, "completed");
                status.Failed = Int(counts, "failed");
            }
            if (root.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Object && errors.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Array)
            {
                var list = new List<string>();
                foreach (var error in data.EnumerateArray())
                    list.Add((error.TryGetProperty("line", out var line) && line.ValueKind == JsonValueKind.Number ? $"line {line.GetInt32()}: " : "") + (Text(error, "message") ?? Text(error, "code") ?? "error"));
                status.Errors = list;
            }
            return status;
        }

        private static string? Text(byte[] json, string name)
        {
            using var document = JsonDocument.Parse(json);
            return Text(document.RootElement, name);
        }

        private static string? Text(JsonElement element, string name) =>
            element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

        private static int Int(JsonElement element, string name) =>
            element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out int n) ? n : 0;

        private static OpenAITransportException Invalid(string message) => new OpenAITransportException(OpenAITransportException.ResponseInvalid, message);
    }
}
