using System;
using System.Buffers;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using OpenAIImages.Engine.Files;
using OpenAIImages.Engine.Imaging;
using OpenAIImages.Engine.Results;

namespace OpenAIImages.Engine.Batches
{
    /// <summary>What became of one request of a batch.</summary>
    public sealed class ItemOutcome
    {
        public bool Succeeded { get; internal set; }
        public int StatusCode { get; internal set; }
        public string? Code { get; internal set; }
        public string? Message { get; internal set; }
        public string? RequestId { get; internal set; }
        public string? BatchId { get; internal set; }
    }

    /// <summary>
    /// Collects the results of ended batches: the output and error files are read as they arrive, one line at a
    /// time (a line holds one request's images, so only those are in memory), and each image is saved under the name
    /// the journal planned, atomically and never over a file. A receive that was cut short and runs again saves
    /// exactly what is missing: an image already saved is left as it is.
    /// </summary>
    public static class BatchReceiver
    {
        public static async Task<IReadOnlyDictionary<string, ItemOutcome>> CollectAsync(OpenAIBatchClient client, BatchJournal journal, IReadOnlyList<BatchStatus> statuses,
            IOperationObserver observer, Action<int>? onLine, CancellationToken cancellationToken)
        {
            var items = journal.Items.ToDictionary(i => i.CustomId, StringComparer.Ordinal);
            var outcomes = new Dictionary<string, ItemOutcome>(StringComparer.Ordinal);
            int lines = 0;
            foreach (var status in statuses.Where(s => s.HasEnded))
            {
                foreach (var fileId in new[] { status.OutputFileId, status.ErrorFileId })
                {
                    if (fileId == null) continue;
                    await client.ReadFileContentAsync(fileId, async (stream, token) =>
                    {
                        await ReadLinesAsync(stream, line =>
                        {
                            ItemOutcome outcome;
                            string? customId;
                            try
                            {
                                outcome = Collect(line.Span, items, journal, out customId);
                            }
                            catch (JsonException e)
                            {
                                observer.Warning($"Line {lines + 1} of the batch file {fileId} is not valid JSON, and was passed over: {e.Message}");
                                onLine?.Invoke(++lines);
                                return;
                            }
                            if (customId != null)
                            {
                                outcome.BatchId = status.Id;
                                outcomes[customId] = outcome;
                            }
                            onLine?.Invoke(++lines);
                        }, token).ConfigureAwait(false);
                        return true;
                    }, observer, cancellationToken).ConfigureAwait(false);
                }
                // What an ended batch did not process (expired, cancelled, failed) is an error of its own.
                var journalBatch = journal.Batches.FirstOrDefault(b => b.Id == status.Id);
                if (journalBatch == null) continue;
                foreach (var item in journal.Items.Skip(journalBatch.First).Take(journalBatch.Count))
                {
                    if (outcomes.ContainsKey(item.CustomId)) continue;
                    outcomes[item.CustomId] = new ItemOutcome
                    {
                        Code = "batch_" + status.Status,
                        Message = status.Status == "failed"
                            ? $"The batch {status.Id} failed validation" + (status.Errors.Count > 0 ? ": " + string.Join("; ", status.Errors.Take(5)) : ".")
                            : $"The batch {status.Id} ended {status.Status} before this request was processed.",
                        BatchId = status.Id,
                    };
                }
            }
            // Requests no batch carries: the submission that wrote the journal ended (Ctrl+C, a refused upload) before
            // the part that holds them was sent. Said once each, so that none is lost without a word.
            var carried = new bool[journal.Items.Count];
            foreach (var batch in journal.Batches)
                for (int i = Math.Max(0, batch.First); i < Math.Min(carried.Length, batch.First + batch.Count); i++) carried[i] = true;
            for (int i = 0; i < carried.Length; i++)
            {
                if (carried[i] || outcomes.ContainsKey(journal.Items[i].CustomId)) continue;
                outcomes[journal.Items[i].CustomId] = new ItemOutcome
                {
                    Code = "not_submitted",
                    Message = "This request was never submitted: the -AsBatch call that wrote the journal ended before it uploaded the part that holds it. Send its prompt again.",
                };
            }
            foreach (var item in journal.Items)
                if (outcomes.TryGetValue(item.CustomId, out var outcome) && outcome.Succeeded) item.Saved = true;
            return outcomes;
        }

        /// <summary>
        /// The image object of one saved result, made as every result is (by PreparedRequest.NewImage), from
        /// what the journal recorded of its request; the bytes are read back from the saved file.
        /// </summary>
        public static GeneratedImage ImageOf(BatchJournal journal, JournalItem item, int index, ItemOutcome outcome)
        {
            var request = new Requests.ImageGenerationRequest { Prompt = item.Prompt, Model = item.Model, Size = item.Size, Quality = item.Quality, OutputFormat = item.OutputFormat };
            var size = Models.ImageSize.TryParse(item.Size, out var parsed) ? parsed : Models.ImageSize.Auto;
            var operation = journal.Endpoint == "/v1/images/edits" ? ImageOperation.Edit : ImageOperation.Generation;
            var prepared = new Requests.PreparedRequest<Requests.ImageGenerationRequest>(request, Models.ModelCatalog.Find(item.Model), size, operation);
            string path = journal.PathOf(item.Files[index]);
            var image = prepared.NewImage(index, outcome.RequestId, File.ReadAllBytes(path), null, null, null, null, null, item.Size, null, null, null);
            image.Path = path;
            return image;
        }

        /// <summary>One output or error line: its images saved (or found saved), or the server's error.</summary>
        private static ItemOutcome Collect(ReadOnlySpan<byte> line, Dictionary<string, JournalItem> items, BatchJournal journal, out string? customId)
        {
            customId = null;
            var outcome = new ItemOutcome();
            var reader = new Utf8JsonReader(line);
            int bodyStart = -1, bodyLength = 0;
            string? errorCode = null, errorMessage = null;
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return outcome;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                string name = reader.GetString()!;
                reader.Read();
                switch (name)
                {
                    case "custom_id" when reader.TokenType == JsonTokenType.String:
                        customId = reader.GetString();
                        break;
                    case "response" when reader.TokenType == JsonTokenType.StartObject:
                        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                        {
                            string member = reader.GetString()!;
                            reader.Read();
                            if (member == "status_code" && reader.TokenType == JsonTokenType.Number) outcome.StatusCode = reader.GetInt32();
                            else if (member == "request_id" && reader.TokenType == JsonTokenType.String) outcome.RequestId = reader.GetString();
                            else if (member == "body" && reader.TokenType == JsonTokenType.StartObject)
                            {
                                bodyStart = (int)reader.TokenStartIndex;
                                reader.Skip();
                                bodyLength = (int)reader.BytesConsumed - bodyStart;
                            }
                            else reader.Skip();
                        }
                        break;
                    case "error" when reader.TokenType == JsonTokenType.StartObject:
                        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                        {
                            string member = reader.GetString()!;
                            reader.Read();
                            if (member == "code" && reader.TokenType == JsonTokenType.String) errorCode = reader.GetString();
                            else if (member == "message" && reader.TokenType == JsonTokenType.String) errorMessage = reader.GetString();
                            else reader.Skip();
                        }
                        break;
                    default:
                        reader.Skip();
                        break;
                }
            }
            if (customId == null || !items.TryGetValue(customId, out var item))
            {
                customId = null;
                return outcome;
            }
            var body = bodyStart >= 0 ? line.Slice(bodyStart, bodyLength) : ReadOnlySpan<byte>.Empty;
            if (outcome.StatusCode == 200 && body.Length > 0)
            {
                ImagesResponse parsed;
                try
                {
                    parsed = ImagesResponseReader.Read(body);
                }
                catch (InvalidDataException e)
                {
                    return Failed(outcome, "response_invalid", "The result is not an Images API response: " + e.Message);
                }
                if (parsed.Data.Count < item.Files.Count || parsed.Data.Any(d => d.Bytes == null))
                    return Failed(outcome, "response_invalid", $"The result holds {parsed.Data.Count(d => d.Bytes != null)} image(s) where {item.Files.Count} were asked for.");
                for (int i = 0; i < item.Files.Count; i++)
                {
                    byte[] bytes = parsed.Data[i].Bytes!;
                    try
                    {
                        if (ImageInfo.SniffFormat(bytes) == ImageFormat.Unknown) throw new ImageDecodeException(ImageDecodeFailure.Corrupt, "It is not an image.");
                        ImageIntegrity.CheckEnd(bytes);
                    }
                    catch (ImageDecodeException e)
                    {
                        return Failed(outcome, "response_invalid", "The result's image is broken: " + e.Message);
                    }
                    try
                    {
                        SafeFileWriter.Write(journal.PathOf(item.Files[i]), bytes, overwrite: false);
                    }
                    catch (OutputFileExistsException)
                    {
                        // Saved by an earlier receive of this journal: whole, since saving is atomic.
                    }
                }
                outcome.Succeeded = true;
                return outcome;
            }
            ReadError(body, ref errorCode, ref errorMessage);
            return Failed(outcome, errorCode, errorMessage ?? $"The request failed with HTTP {outcome.StatusCode}.");
        }

        private static ItemOutcome Failed(ItemOutcome outcome, string? code, string message)
        {
            outcome.Succeeded = false;
            outcome.Code = code;
            outcome.Message = message;
            return outcome;
        }

        private static void ReadError(ReadOnlySpan<byte> body, ref string? code, ref string? message)
        {
            if (body.Length == 0) return;
            try
            {
                var reader = new Utf8JsonReader(body);
                using var document = JsonDocument.ParseValue(ref reader);
                if (document.RootElement.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
                {
                    if (error.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.String) code = c.GetString();
                    if (error.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String) message = m.GetString();
                }
            }
            catch (JsonException)
            {
            }
        }

        /// <summary>Calls <paramref name="onLine"/> for each line of a stream, through one pooled buffer that grows to the longest line.</summary>
        internal static async Task ReadLinesAsync(Stream stream, Action<ReadOnlyMemory<byte>> onLine, CancellationToken cancellationToken)
        {
            byte[] buffer = ArrayPool<byte>.Shared.Rent(1 << 20);
            int filled = 0;
            try
            {
                while (true)
                {
                    if (filled == buffer.Length)
                    {
                        byte[] larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                        Buffer.BlockCopy(buffer, 0, larger, 0, filled);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = larger;
                    }
                    int read = await stream.ReadAsync(buffer, filled, buffer.Length - filled, cancellationToken).ConfigureAwait(false);
                    int start = 0;
                    int scanFrom = filled;
                    filled += read;
                    for (int i = scanFrom; i < filled; i++)
                    {
                        if (buffer[i] != (byte)'\n') continue;
                        if (i > start) onLine(new ReadOnlyMemory<byte>(buffer, start, i - start));
                        start = i + 1;
                    }
                    if (read == 0)
                    {
                        if (filled > start) onLine(new ReadOnlyMemory<byte>(buffer, start, filled - start));
                        return;
                    }
                    if (start > 0)
                    {
                        Buffer.BlockCopy(buffer, start, buffer, 0, filled - start);
                        filled -= start;
                    }
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }
}
