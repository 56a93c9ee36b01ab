using System;
using System.Globalization;
using System.Management.Automation;
using System.Threading.Tasks;
using OpenAIImages.Engine;
using OpenAIImages.Engine.Batches;
using OpenAIImages.Engine.Models;
using OpenAIImages.Engine.Requests;
using OpenAIImages.Engine.Validation;
using OpenAIImages.Infrastructure;

namespace OpenAIImages.Commands
{
    /// <summary>What New-OpenAIImage and Edit-OpenAIImage share beyond the API basics: output options and streaming.</summary>
    public abstract class PromptedCommandBase : ApiCommandBase
    {
        // These bind from CSV rows and objects too, where an empty cell means "not given"; the engine checks their values.

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(ModelArgumentCompleter))]
        [BlankAsDefault(null)]
        public string? Background { get; set; }

        /// <summary>0 to 100, for jpeg and webp output.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [BlankAsDefault(null)]
        public int? OutputCompression { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(ModelArgumentCompleter))]
        [BlankAsDefault(null)]
        public string? Moderation { get; set; }

        /// <summary>
        /// The mainline model (for example gpt-5.5) that makes the image through the Responses API's image tool, for
        /// revised prompts and multi-turn editing; defaults to $env:OPENAI_RESPONSES_MODEL. Without either, the
        /// Images API is used. -Model stays the image model.
        /// </summary>
        [Parameter]
        public string? ResponsesModel { get; set; }

        /// <summary>Ask the Responses API not to store the response; it then cannot be continued.</summary>
        [Parameter]
        public SwitchParameter NoStore { get; set; }

        /// <summary>
        /// Submit every request of the call as Batch API jobs (about half the price, done within 24 hours) instead of
        /// sending them now: returns the batch, and Receive-OpenAIImageBatch collects the images into -OutputDirectory.
        /// </summary>
        [Parameter]
        public SwitchParameter AsBatch { get; set; }

        /// <summary>The most requests in one batch (the API takes 50,000); more are split into several batches.</summary>
        [Parameter]
        [ValidateRange(1, 50000)]
        public int MaxRequestsPerBatch { get; set; } = 50000;

        /// <summary>The largest input file of one batch, in bytes (the API takes 200MB); more are split into several batches.</summary>
        [Parameter]
        [ValidateRange(1024L, 200L * 1024 * 1024)]
        public long MaxBatchFileSize { get; set; } = 200L * 1024 * 1024;

        /// <summary>Stream the answer as server-sent events, showing progress as partial images arrive (GPT image models).</summary>
        [Parameter]
        public SwitchParameter Stream { get; set; }

        /// <summary>How many partial images to stream before the final one (0 to 3); needs -Stream.</summary>
        /// <remarks>The range is the engine's check (PartialImagesOutOfRange), as for every option a row can carry.</remarks>
        [Parameter]
        public int PartialImages { get; set; }

        /// <summary>Also write each partial image as an output object (IsPartial = $true), and save it when saving.</summary>
        [Parameter]
        public SwitchParameter IncludePartialImages { get; set; }

        /// <summary>Copies the shared output options and streaming switches into a request; -IncludePartialImages implies -Stream.</summary>
        protected void ApplySharedOptions(PromptedImageRequest request, int? count, string? outputFormat)
        {
            ApplyCommonOptions(request, count);
            request.Background = Background;
            // jpg is what people and file names call jpeg; the API knows only jpeg.
            request.OutputFormat = string.IsNullOrWhiteSpace(outputFormat) ? null
                : string.Equals(outputFormat!.Trim(), "jpg", StringComparison.OrdinalIgnoreCase) ? "jpeg" : outputFormat;
            request.OutputCompression = OutputCompression;
            request.Moderation = Moderation;
            request.Stream = Stream || IncludePartialImages || IsBound(nameof(PartialImages));
            if (IsBound(nameof(PartialImages))) request.PartialImages = PartialImages;
            else if (IncludePartialImages) request.PartialImages = 2;
            // Given, even empty (refused by the engine as no model), the parameter wins over the environment; a batch
            // goes to the Images API whatever the environment says (-ResponsesModel with -AsBatch is refused).
            request.ResponsesModel = IsBound(nameof(ResponsesModel)) ? ResponsesModel ?? "" : AsBatch ? null : Blank(Environment.GetEnvironmentVariable(ResponsesModelVariable));
            // A batch's images come back in its output file: a DALL-E URL would have expired by then.
            if (AsBatch && request.ResponseFormat == null && ModelCatalog.Find(request.Model)?.ResponseFormats.Count > 0) request.ResponseFormat = "b64_json";
            request.Store = !NoStore;
        }

        private BatchBuilder? _batch;

        /// <summary>The input of the call's batches while -AsBatch collects requests, else null.</summary>
        private protected BatchBuilder? Batch => _batch;

        /// <summary>With -AsBatch: refuses what a batch cannot carry, before anything is read or sent, and starts the input file.</summary>
        private protected void BeginBatch(string endpoint)
        {
            if (!AsBatch) return;
            foreach (string name in new[] { nameof(Stream), nameof(PartialImages), nameof(IncludePartialImages), nameof(ResponsesModel), nameof(NoStore), "OutFile" })
                if (IsBound(name))
                    throw Refuse(ErrorIds.ParameterNotSupportedByBatch, name == "OutFile"
                        ? "-OutFile cannot go with -AsBatch: each image of a batch gets a name of its own in -OutputDirectory. Use -OutputDirectory."
                        : $"-{name} cannot go with -AsBatch: a batch runs on the Images API, without streaming, and its results come back together. Leave out -{name}, or send the requests now without -AsBatch.");
            if (SaveTarget.Directory == null)
                throw Refuse(ErrorIds.BatchNeedsOutputDirectory, "-AsBatch needs -OutputDirectory: the folder the images will be saved in when Receive-OpenAIImageBatch collects them, beside the batch's journal.");
            _batch = new BatchBuilder(endpoint, SaveTarget.Directory, new BatchLimits { MaxRequests = MaxRequestsPerBatch, MaxBytes = MaxBatchFileSize });
        }

        /// <summary>
        /// With -AsBatch, after the last item: one confirmation for the whole submission (requests, batches, tokens),
        /// then the upload and the batches, and the batch object out. -WhatIf sends nothing.
        /// </summary>
        private protected async Task EndBatchAsync(AsyncPipeline pipeline)
        {
            if (_batch == null) return;
            try
            {
                _batch.Complete();
                if (_batch.Count == 0) return;
                string tokens = _batch.OutputTokenEstimate > 0 ? string.Format(CultureInfo.InvariantCulture, " (about {0:N0} output tokens, at the Batch API's half price)", _batch.OutputTokenEstimate) : "";
                string target = string.Format(CultureInfo.InvariantCulture, "{0:N0} requests in {1} batch{2} to {3}{4}", _batch.Count, _batch.Parts.Count, _batch.Parts.Count == 1 ? "" : "es", _batch.Journal.Endpoint, tokens);
                if (!pipeline.ShouldProcess(target, "Submit image batch")) return;
                string journalPath = System.IO.Path.Combine(_batch.Journal.OutputDirectory, "images-" + _batch.Journal.Created.ToLocalTime().ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture) + BatchJournal.FileSuffix);
                var client = new OpenAIBatchClient(Connect(pipeline));
                try
                {
                    pipeline.WriteObject(await BatchSubmitter.SubmitAsync(client, _batch, journalPath, pipeline, CancelToken).ConfigureAwait(false));
                }
                catch (OpenAIImagesException e)
                {
                    throw Terminate(ErrorRecords.From(e, journalPath));
                }
            }
            finally
            {
                _batch.Dispose();
                _batch = null;
            }
        }

        /// <summary>The environment variable that sends New-OpenAIImage and Edit-OpenAIImage through the Responses API.</summary>
        internal const string ResponsesModelVariable = "OPENAI_RESPONSES_MODEL";

        private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value!.Trim();

        /// <summary>A progress reporter for one streamed request, or null when the request does not stream.</summary>
        private protected StreamProgressReporter? ReporterFor(AsyncPipeline pipeline, PreparedRequest prepared, string activity) =>
            prepared.Stream ? new StreamProgressReporter(pipeline, Progress.NextChildActivityId(), Progress.ActivityId, CallProgress.Shorten(activity), IncludePartialImages, SaveTarget) : null;
    }
}
