using System;
using System.Collections.Generic;
using System.Linq;

namespace OpenAIImages.Engine.Batches
{
    /// <summary>One batch as the Batch API reports it.</summary>
    public sealed class BatchStatus
    {
        public string Id { get; internal set; } = "";
        public string Status { get; internal set; } = "";
        public string? Endpoint { get; internal set; }
        public string? InputFileId { get; internal set; }
        public string? OutputFileId { get; internal set; }
        public string? ErrorFileId { get; internal set; }
        public int Total { get; internal set; }
        public int Completed { get; internal set; }
        public int Failed { get; internal set; }
        public DateTimeOffset? Created { get; internal set; }

        /// <summary>Why a batch failed validation, as the server listed it.</summary>
        public IReadOnlyList<string> Errors { get; internal set; } = Array.Empty<string>();

        /// <summary>True once the batch can change no more: completed, failed, expired or cancelled.</summary>
        public bool HasEnded => Status == "completed" || Status == "failed" || Status == "expired" || Status == "cancelled";

        public override string ToString() => $"{Id} {Status} {Completed + Failed}/{Total}";
    }

    /// <summary>
    /// The images of one submission: the batches it took (more than one above the limits of one batch), their state
    /// and counts added up, and the journal a later session collects from.
    /// </summary>
    public sealed class ImageBatch
    {
        public ImageBatch(IReadOnlyList<BatchStatus> batches, string? journalPath, string? endpoint)
        {
            Batches = batches;
            JournalPath = journalPath;
            Endpoint = endpoint ?? batches.FirstOrDefault()?.Endpoint;
        }

        public IReadOnlyList<BatchStatus> Batches { get; }
        public string[] Id => Batches.Select(b => b.Id).ToArray();
        public string? Endpoint { get; }
        public string? JournalPath { get; }

        /// <summary>One word for all: the least advanced state while any runs, else completed, or how the last ones ended.</summary>
        public string Status
        {
            get
            {
                foreach (var stage in new[] { "validating", "in_progress", "finalizing", "cancelling" })
                    if (Batches.Any(b => b.Status == stage)) return stage;
                var ended = Batches.Select(b => b.Status).Distinct().ToList();
                return ended.Count == 1 ? ended[0] : string.Join(", ", ended);
            }
        }

        public bool HasEnded => Batches.All(b => b.HasEnded);
        public int Total => Batches.Sum(b => b.Total);
        public int Completed => Batches.Sum(b => b.Completed);
        public int Failed => Batches.Sum(b => b.Failed);
        public DateTimeOffset? Created => Batches.Select(b => b.Created).Where(c => c != null).Min();

        public override string ToString() => $"{string.Join(", ", Id)} {Status} {Completed + Failed}/{Total}";
    }
}
