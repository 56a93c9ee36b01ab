using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using System.Text.Json.Serialization;
using OpenAIImages.Engine.Files;
using OpenAIImages.Engine.Json;

namespace OpenAIImages.Engine.Batches
{
    /// <summary>
    /// What a submission recorded on disk, so any later session, or another machine that shares the folder, can
    /// collect the images from it alone: the batches and their files, and for every request (in input order) its
    /// custom_id, what made it, and the names its images will have in the output folder. Written atomically, like
    /// every file of the module. Whether an image is saved is read from the folder itself (saving is atomic, so a
    /// file that exists is whole); <see cref="JournalItem.Saved"/> records it as of the last receive.
    /// </summary>
    public sealed class BatchJournal
    {
        public const string FileSuffix = ".batch.json";

        [JsonPropertyName("version")] public int Version { get; set; } = 1;
        [JsonPropertyName("endpoint")] public string Endpoint { get; set; } = "";
        [JsonPropertyName("created")] public DateTimeOffset Created { get; set; }
        [JsonPropertyName("outputDirectory")] public string OutputDirectory { get; set; } = "";
        [JsonPropertyName("batches")] public List<JournalBatch> Batches { get; set; } = new List<JournalBatch>();
        [JsonPropertyName("uploads")] public List<JournalUpload> Uploads { get; set; } = new List<JournalUpload>();
        [JsonPropertyName("items")] public List<JournalItem> Items { get; set; } = new List<JournalItem>();

        public static BatchJournal Load(string path)
        {
            try
            {
                return JsonSerializer.Deserialize(File.ReadAllBytes(path), EngineJsonContext.Default.BatchJournal)
                    ?? throw new InvalidDataException("The journal is empty.");
            }
            catch (JsonException e)
            {
                throw new InvalidDataException($"'{path}' is not a batch journal of this module: {e.Message}", e);
            }
        }

        public void Save(string path) => SafeFileWriter.Write(path, JsonSerializer.SerializeToUtf8Bytes(this, EngineJsonContext.Default.BatchJournal), overwrite: true);

        /// <summary>The full path of an item's image file.</summary>
        public string PathOf(string fileName) => System.IO.Path.Combine(OutputDirectory, fileName);
    }

    public sealed class JournalBatch
    {
        [JsonPropertyName("id")] public string Id { get; set; } = "";
        [JsonPropertyName("inputFileId")] public string InputFileId { get; set; } = "";
        [JsonPropertyName("first")] public int First { get; set; }
        [JsonPropertyName("count")] public int Count { get; set; }
    }

    public sealed class JournalUpload
    {
        [JsonPropertyName("source")] public string Source { get; set; } = "";
        [JsonPropertyName("fileId")] public string FileId { get; set; } = "";
    }

    public sealed class JournalItem
    {
        [JsonPropertyName("customId")] public string CustomId { get; set; } = "";
        [JsonPropertyName("prompt")] public string Prompt { get; set; } = "";
        [JsonPropertyName("source")] public string? Source { get; set; }
        [JsonPropertyName("model")] public string Model { get; set; } = "";
        [JsonPropertyName("size")] public string? Size { get; set; }
        [JsonPropertyName("quality")] public string? Quality { get; set; }
        [JsonPropertyName("outputFormat")] public string? OutputFormat { get; set; }
        [JsonPropertyName("files")] public List<string> Files { get; set; } = new List<string>();
        [JsonPropertyName("saved")] public bool Saved { get; set; }
    }
}
