using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Threading.Tasks;
using OpenAIImages.Engine;
using OpenAIImages.Engine.Batches;
using OpenAIImages.Engine.Http;
using OpenAIImages.Engine.Results;
using OpenAIImages.Infrastructure;

namespace OpenAIImages.Commands
{
    /// <summary>
    /// What the batch cmdlets share: a batch named by id, by the object -AsBatch returned, or by its journal on disk
    /// (which alone is enough, in any later session or on another machine that shares the folder).
    /// </summary>
    public abstract class BatchCommandBase : ConnectionCommandBase
    {
        private protected const string IdSet = "Id";
        private protected const string JournalSet = "Journal";
        private protected const string InputObjectSet = "InputObject";

        private OpenAIBatchClient? _client;

        private protected override Task BeginProcessingAsync(AsyncPipeline pipeline)
        {
            CheckConnectionParameters();
            return Task.CompletedTask;
        }

        private protected OpenAIBatchClient ClientFor(AsyncPipeline pipeline) => _client ??= new OpenAIBatchClient(Connect(pipeline));

        /// <summary>The journal at a path (resolved against the PowerShell location); an unreadable one ends the item.</summary>
        private protected BatchJournal LoadJournal(AsyncPipeline pipeline, string path, out string fullPath)
        {
            fullPath = pipeline.OnPipelineThread(() => SessionState.Path.GetUnresolvedProviderPathFromPSPath(path));
            try
            {
                return BatchJournal.Load(fullPath);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is InvalidDataException)
            {
                throw new OpenAIImagesException(ErrorIds.BatchJournalInvalid, $"The batch journal '{path}' cannot be read: {e.Message}", e);
            }
        }

        /// <summary>Each batch's state now, as the server reports it.</summary>
        private protected async Task<IReadOnlyList<BatchStatus>> StatusesAsync(AsyncPipeline pipeline, IEnumerable<string> ids)
        {
            var statuses = new List<BatchStatus>();
            foreach (string id in ids) statuses.Add(await ClientFor(pipeline).GetAsync(id, pipeline, CancelToken).ConfigureAwait(false));
            return statuses;
        }

        private protected static ImageBatch? Unwrap(object? value) => (value is PSObject wrapped ? wrapped.BaseObject : value) as ImageBatch;

        /// <summary>Reports one item's failure as a non-terminating error, or ends the call when nothing else can succeed.</summary>
        private protected void Report(AsyncPipeline pipeline, Exception error, object? target)
        {
            if (error is OperationCanceledException) throw error;
            var record = ErrorRecords.From(error, target);
            if (ErrorRecords.EndsTheCall(error)) throw Terminate(record);
            pipeline.WriteError(record);
        }
    }

    /// <summary>Get-OpenAIImageBatch: the state and counts of batches, by id, object or journal, or the most recent ones.</summary>
    [Cmdlet(VerbsCommon.Get, "OpenAIImageBatch", DefaultParameterSetName = ListSet)]
    [OutputType(typeof(ImageBatch))]
    public sealed class GetOpenAIImageBatchCommand : BatchCommandBase
    {
        private const string ListSet = "List";

        [Parameter(Mandatory = true, Position = 0, ParameterSetName = IdSet, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string[] Id { get; set; } = Array.Empty<string>();

        /// <summary>The journal -AsBatch wrote beside the images (its path is the batch object's JournalPath).</summary>
        [Parameter(Mandatory = true, ParameterSetName = JournalSet, ValueFromPipelineByPropertyName = true)]
        [Alias("JournalPath", "FullName")]
        [ValidateNotNullOrEmpty]
        public string? Journal { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = InputObjectSet, ValueFromPipeline = true)]
        [ValidateNotNull]
        public ImageBatch? InputObject { get; set; }

        /// <summary>How many recent batches to list, newest first.</summary>
        [Parameter(ParameterSetName = ListSet)]
        [ValidateRange(1, 100)]
        public int First { get; set; } = 20;

        private protected override async Task ProcessRecordAsync(AsyncPipeline pipeline)
        {
            try
            {
                switch (ParameterSetName)
                {
                    case ListSet:
                        foreach (var status in await ClientFor(pipeline).ListAsync(First, pipeline, CancelToken).ConfigureAwait(false))
                            pipeline.WriteObject(new ImageBatch(new[] { status }, null, status.Endpoint));
                        break;
                    case IdSet:
                        pipeline.WriteObject(new ImageBatch(await StatusesAsync(pipeline, Id).ConfigureAwait(false), null, null));
                        break;
                    case JournalSet:
                        var journal = LoadJournal(pipeline, Journal!, out string path);
                        pipeline.WriteObject(new ImageBatch(await StatusesAsync(pipeline, journal.Batches.Select(b => b.Id)).ConfigureAwait(false), path, journal.Endpoint));
                        break;
                    default:
                        pipeline.WriteObject(new ImageBatch(await StatusesAsync(pipeline, InputObject!.Id).ConfigureAwait(false), InputObject.JournalPath, InputObject.Endpoint));
                        break;
                }
            }
            catch (OpenAIImagesException e)
            {
                Report(pipeline, e, (object?)Journal ?? InputObject ?? (object)string.Join(", ", Id));
            }
        }
    }

    /// <summary>Stop-OpenAIImageBatch: cancels batches; what they finished before can still be received.</summary>
    [Cmdlet(VerbsLifecycle.Stop, "OpenAIImageBatch", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = InputObjectSet)]
    [OutputType(typeof(ImageBatch))]
    public sealed class StopOpenAIImageBatchCommand : BatchCommandBase
    {
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = IdSet, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string[] Id { get; set; } = Array.Empty<string>();

        [Parameter(Mandatory = true, ParameterSetName = JournalSet, ValueFromPipelineByPropertyName = true)]
        [Alias("JournalPath", "FullName")]
        [ValidateNotNullOrEmpty]
        public string? Journal { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = InputObjectSet, ValueFromPipeline = true)]
        [ValidateNotNull]
        public ImageBatch? InputObject { get; set; }

        private protected override async Task ProcessRecordAsync(AsyncPipeline pipeline)
        {
            try
            {
                string? journalPath = InputObject?.JournalPath;
                IEnumerable<string> ids = ParameterSetName == IdSet ? Id : InputObject?.Id ?? Array.Empty<string>();
                if (ParameterSetName == JournalSet)
                {
                    var journal = LoadJournal(pipeline, Journal!, out string path);
                    journalPath = path;
                    ids = journal.Batches.Select(b => b.Id);
                }
                var statuses = new List<BatchStatus>();
                foreach (string id in ids)
                {
                    if (!pipeline.ShouldProcess(id, "Cancel image batch")) continue;
                    statuses.Add(await ClientFor(pipeline).CancelAsync(id, pipeline, CancelToken).ConfigureAwait(false));
                }
                if (statuses.Count > 0) pipeline.WriteObject(new ImageBatch(statuses, journalPath, InputObject?.Endpoint));
            }
            catch (OpenAIImagesException e)
            {
                Report(pipeline, e, (object?)Journal ?? InputObject ?? (object)string.Join(", ", Id));
            }
        }
    }

    /// <summary>
    /// Receive-OpenAIImageBatch: collects the images of ended batches into the journal's folder and writes them as a
    /// direct request would, in input order, with an error for each request that failed. Run again after an
    /// interruption, it saves exactly what is missing.
    /// </summary>
    [Cmdlet(VerbsCommunications.Receive, "OpenAIImageBatch", DefaultParameterSetName = InputObjectSet)]
    [OutputType(typeof(GeneratedImage))]
    public sealed class ReceiveOpenAIImageBatchCommand : BatchCommandBase
    {
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = JournalSet, ValueFromPipelineByPropertyName = true)]
        [Alias("JournalPath", "FullName")]
        [ValidateNotNullOrEmpty]
        public string? Journal { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = InputObjectSet, ValueFromPipeline = true)]
        [ValidateNotNull]
        public ImageBatch? InputObject { get; set; }

        /// <summary>Wait until every batch has ended, showing progress; Ctrl+C stops the waiting at once.</summary>
        [Parameter]
        public SwitchParameter Wait { get; set; }

        /// <summary>How often -Wait asks the server, in seconds.</summary>
        [Parameter]
        [ValidateRange(1, 3600)]
        public int PollIntervalSec { get; set; } = 10;

        /// <summary>Also write index.html beside the images: thumbnails with their prompts, for a person to look through.</summary>
        [Parameter]
        public SwitchParameter ContactSheet { get; set; }

        private protected override async Task ProcessRecordAsync(AsyncPipeline pipeline)
        {
            string? path = Journal ?? InputObject?.JournalPath;
            if (path == null)
            {
                Report(pipeline, new OpenAIImagesException(ErrorIds.BatchJournalInvalid, "This batch object has no journal (it came from Get-OpenAIImageBatch -Id): give -Journal, the .batch.json file -AsBatch wrote beside the images."), InputObject);
                return;
            }
            try
            {
                var journal = LoadJournal(pipeline, path, out string fullPath);
                var started = DateTimeOffset.UtcNow;
                var statuses = await StatusesAsync(pipeline, journal.Batches.Select(b => b.Id)).ConfigureAwait(false);
                int activity = new CallProgress(MyInvocation.MyCommand.Name).ActivityId;
                while (Wait && !statuses.All(s => s.HasEnded))
                {
                    var all = new ImageBatch(statuses, fullPath, journal.Endpoint);
                    int done = all.Completed + all.Failed;
                    pipeline.WriteProgress(new ProgressRecord(activity, "Receive-OpenAIImageBatch", $"Waiting for {string.Join(", ", all.Id)}: {all.Status}, {done:N0} of {all.Total:N0} done, {all.Failed:N0} failed, {(DateTimeOffset.UtcNow - started).TotalSeconds:0} s")
                    {
                        PercentComplete = all.Total > 0 ? Math.Min(99, done * 100 / all.Total) : -1,
                    });
                    await Task.Delay(TimeSpan.FromSeconds(PollIntervalSec), CancelToken).ConfigureAwait(false);
                    statuses = await StatusesAsync(pipeline, journal.Batches.Select(b => b.Id)).ConfigureAwait(false);
                }
                var running = statuses.Where(s => !s.HasEnded).ToList();
                if (running.Count > 0)
                    pipeline.WriteWarning($"{running.Count} of {statuses.Count} batches have not ended yet ({string.Join(", ", running.Select(s => s.Id + " " + s.Status))}); their images are not collected. Run Receive-OpenAIImageBatch again later, or add -Wait.");

                var outcomes = await BatchReceiver.CollectAsync(ClientFor(pipeline), journal, statuses, pipeline,
                    lines => pipeline.WriteProgress(new ProgressRecord(activity, "Receive-OpenAIImageBatch", $"Saving results: {lines:N0} of {journal.Items.Count:N0}")
                    {
                        PercentComplete = Math.Min(99, lines * 100 / Math.Max(1, journal.Items.Count)),
                    }), CancelToken).ConfigureAwait(false);
                journal.Save(fullPath);
                var connection = ClientFor(pipeline).Connection;
                foreach (var item in journal.Items)
                {
                    if (!outcomes.TryGetValue(item.CustomId, out var outcome)) continue;
                    if (outcome.Succeeded)
                    {
                        for (int i = 0; i < item.Files.Count; i++) pipeline.WriteObject(BatchReceiver.ImageOf(journal, item, i, outcome));
                        continue;
                    }
                    Exception error = outcome.StatusCode > 0
                        ? new OpenAIApiException(outcome.StatusCode, null, outcome.Code, null, outcome.Message ?? "The request failed.", outcome.RequestId, party: connection.Party)
                        : new OpenAIImagesException(outcome.Code == "response_invalid" ? ErrorIds.OpenAIResponseInvalid : ErrorIds.BatchItemNotProcessed, outcome.Message ?? "The request was not processed.");
                    pipeline.WriteError(ErrorRecords.From(error, $"{item.CustomId}: {CallProgress.Shorten(item.Prompt)}"));
                }
                if (ContactSheet) pipeline.WriteVerbose("Contact sheet: " + ContactSheetWriter.Write(journal, outcomes, fullPath));
                pipeline.WriteProgress(new ProgressRecord(activity, "Receive-OpenAIImageBatch", "Done") { RecordType = ProgressRecordType.Completed });
            }
            catch (OpenAIImagesException e)
            {
                Report(pipeline, e, path);
            }
        }
    }
}
