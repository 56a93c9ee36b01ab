using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using OpenAIImages.Engine.Files;
using OpenAIImages.Engine.Requests;

namespace OpenAIImages.Engine.Batches
{
    /// <summary>The limits of one batch: the API takes up to 50,000 requests and 200 MB in one input file.</summary>
    public sealed class BatchLimits
    {
        public int MaxRequests { get; init; } = 50_000;
        public long MaxBytes { get; init; } = 200L * 1024 * 1024;
    }

    /// <summary>One input file of a submission: its lines are requests <see cref="First"/> to First + Count - 1.</summary>
    public sealed class BatchPart
    {
        public string Path { get; internal set; } = "";
        public int First { get; internal set; }
        public int Count { get; internal set; }
        public long Bytes { get; internal set; }
    }

    /// <summary>
    /// Writes the JSONL input of a submission as requests come, one line each, straight to temporary files beside
    /// the output folder, so memory does not grow with the count; a new file begins where the next line would pass
    /// the limits of one batch. Each request gets a custom_id and the names its images will have, in the journal.
    /// </summary>
    public sealed class BatchBuilder : IDisposable
    {
        private readonly BatchLimits _limits;
        private readonly string _scratch;
        private readonly string _stamp;
        private readonly List<BatchPart> _parts = new List<BatchPart>();
        private FileStream? _current;

        public BatchBuilder(string endpoint, string outputDirectory, BatchLimits? limits = null)
        {
            _limits = limits ?? new BatchLimits();
            Directory.CreateDirectory(outputDirectory);
            _scratch = outputDirectory;
            Journal = new BatchJournal { Endpoint = endpoint, OutputDirectory = outputDirectory, Created = DateTimeOffset.UtcNow };
            _stamp = DateTimeOffset.Now.ToString("yyyyMMdd-HHmmss", System.Globalization.CultureInfo.InvariantCulture);
        }

        public BatchJournal Journal { get; }
        public IReadOnlyList<BatchPart> Parts => _parts;
        public int Count => Journal.Items.Count;

        /// <summary>Adds a checked generation, with the body POST images/generations would send.</summary>
        public void AddGeneration(PreparedRequest<ImageGenerationRequest> prepared) => Add(prepared, OpenAIImageClient.GenerationBody(prepared), null);

        /// <summary>Adds a checked edit of images by file id (uploaded first), with the JSON body of images/edits.</summary>
        public void AddEdit(PreparedRequest<ImageEditRequest> prepared, string? source) => Add(prepared, OpenAIImageClient.JsonEditBody(prepared), source);

        /// <summary>The output tokens the requests added so far will likely cost.</summary>
        public long OutputTokenEstimate { get; private set; }

        private void Add(PreparedRequest prepared, byte[] body, string? source)
        {
            int index = Journal.Items.Count;
            string customId = "img-" + (index + 1).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
            byte[] head = Encoding.UTF8.GetBytes($"{{\"custom_id\":\"{customId}\",\"method\":\"POST\",\"url\":\"{Journal.Endpoint}\",\"body\":");
            long lineBytes = head.Length + body.Length + 2;
            var part = _parts.Count > 0 ? _parts[_parts.Count - 1] : null;
            if (part == null || part.Count >= _limits.MaxRequests || part.Bytes + lineBytes > _limits.MaxBytes)
            {
                if (lineBytes > _limits.MaxBytes)
                    throw new InvalidOperationException($"One request is {lineBytes:N0} bytes, more than a whole batch file may hold ({_limits.MaxBytes:N0}).");
                _current?.Dispose();
                string path = System.IO.Path.Combine(_scratch, "." + Guid.NewGuid().ToString("N").Substring(0, 8) + ".batch-input.jsonl");
                _current = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920);
                part = new BatchPart { Path = path, First = index };
                _parts.Add(part);
            }
            _current!.Write(head, 0, head.Length);
            _current.Write(body, 0, body.Length);
            _current.WriteByte((byte)'}');
            _current.WriteByte((byte)'\n');
            part.Count++;
            part.Bytes += lineBytes;

            var item = new JournalItem
            {
                CustomId = customId,
                Prompt = prepared.Prompt ?? "",
                Source = source,
                Model = prepared.WireModel,
                Size = prepared.SizeText,
                Quality = prepared.Quality,
                OutputFormat = prepared.OutputFormat,
            };
            string extension = prepared.OutputFormat == "jpeg" ? ".jpg" : prepared.OutputFormat == "webp" ? ".webp" : ".png";
            string stem = OutputFileNamer.StemFromPrompt(prepared.Prompt) + "-" + _stamp + "-" + (index + 1).ToString("D5", System.Globalization.CultureInfo.InvariantCulture);
            for (int i = 0; i < prepared.ImageCount; i++)
            {
                string name = stem + (prepared.ImageCount > 1 ? "-" + (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture) : "");
                // A file of that name from another submission must never be taken for this one's image.
                string candidate = name + extension;
                for (int n = 2; File.Exists(Journal.PathOf(candidate)); n++) candidate = name + "-" + n.ToString(System.Globalization.CultureInfo.InvariantCulture) + extension;
                item.Files.Add(candidate);
            }
            Journal.Items.Add(item);
            OutputTokenEstimate += prepared.OutputTokenEstimate ?? 0;
        }

        /// <summary>Closes the last file; call before uploading.</summary>
        public void Complete()
        {
            _current?.Dispose();
            _current = null;
        }

        public void Dispose()
        {
            Complete();
            foreach (var part in _parts)
            {
                try
                {
                    File.Delete(part.Path);
                }
                catch (IOException)
                {
                }
                catch (UnauthorizedAccessException)
                {
                }
            }
        }
    }
}
