using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace OpenAIImages.Engine.Batches
{
    /// <summary>
    /// Sends what a <see cref="BatchBuilder"/> wrote: each input file is uploaded (streamed from disk) with purpose
    /// batch and its batch created; the journal is saved after each batch, so a batch that was created is never
    /// lost from the record, even if the session ends during the next upload. A submission that ends before its first
    /// batch was created (a refused upload, Ctrl+C) removes the journal it began: it would name nothing to receive.
    /// </summary>
    public static class BatchSubmitter
    {
        public static async Task<ImageBatch> SubmitAsync(OpenAIBatchClient client, BatchBuilder builder, string journalPath, IOperationObserver observer, CancellationToken cancellationToken)
        {
            builder.Complete();
            var statuses = new List<BatchStatus>();
            var journal = builder.Journal;
            // Saved before the first upload, so a journal that cannot be written fails the call before anything is paid for.
            journal.Save(journalPath);
            try
            {
                for (int i = 0; i < builder.Parts.Count; i++)
                {
                    var part = builder.Parts[i];
                    string name = $"images-{journal.Created:yyyyMMdd-HHmmss}-{(i + 1).ToString(CultureInfo.InvariantCulture)}.jsonl";
                    observer.Verbose($"Uploading batch input {i + 1} of {builder.Parts.Count}: {part.Count:N0} requests, {part.Bytes:N0} bytes.");
                    string fileId = await client.UploadFileAsync(part.Path, name, "batch", observer, cancellationToken).ConfigureAwait(false);
                    var status = await client.CreateAsync(fileId, journal.Endpoint, observer, cancellationToken).ConfigureAwait(false);
                    journal.Batches.Add(new JournalBatch { Id = status.Id, InputFileId = fileId, First = part.First, Count = part.Count });
                    journal.Save(journalPath);
                    statuses.Add(status);
                    observer.Verbose($"Created batch {status.Id} ({status.Status}).");
                }
            }
            catch when (journal.Batches.Count == 0)
            {
                RemoveEmptyJournal(journalPath);
                throw;
            }
            return new ImageBatch(statuses, journalPath, journal.Endpoint);
        }

        private static void RemoveEmptyJournal(string journalPath)
        {
            try
            {
                File.Delete(journalPath);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                // Left behind, it names no batch; the error that ended the submission is the one to report.
            }
        }
    }
}
