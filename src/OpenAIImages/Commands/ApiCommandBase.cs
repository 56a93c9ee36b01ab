using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
using OpenAIImages.Engine;
using OpenAIImages.Engine.Files;
using OpenAIImages.Engine.Http;
using OpenAIImages.Engine.Requests;
using OpenAIImages.Engine.Results;
using OpenAIImages.Engine.Validation;
using OpenAIImages.Infrastructure;

namespace OpenAIImages.Commands
{
    /// <summary>
    /// What the three image cmdlets share beyond the connection: the options every endpoint takes, the client, and
    /// their requests' ordered output.
    /// </summary>
    public abstract class ApiCommandBase : SavingCommandBase
    {
        // The options of one request bind from CSV rows and objects too, where an empty cell means "not given".

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(ModelArgumentCompleter))]
        [BlankAsDefault(null)]
        public string? ResponseFormat { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [BlankAsDefault(null)]
        public string? User { get; set; }

        /// <summary>How many requests may be in flight at once; results are still written in input order.</summary>
        [Parameter]
        [ValidateRange(1, 64)]
        public int ThrottleLimit { get; set; } = 1;

        private OpenAIImageClient? _client;
        private OrderedOutput? _output;

        /// <summary>The call's progress records.</summary>
        private protected CallProgress Progress => _progress ??= new CallProgress(MyInvocation.MyCommand.Name);
        private CallProgress? _progress;

        /// <summary>The client, built on first use from the parameters and environment.</summary>
        private protected OpenAIImageClient ClientFor(AsyncPipeline pipeline) => _client ??= CreateClient(pipeline);

        private protected override Task BeginProcessingAsync(AsyncPipeline pipeline)
        {
            CheckConnectionParameters();
            ResolveSaveTarget(pipeline, "images");
            Inputs = NewInputResolver(pipeline, "image");
            _output = new OrderedOutput(ThrottleLimit, pipeline, (error, target) => ReportFailure(pipeline, error, target), CancelToken);
            return Task.CompletedTask;
        }

        private OpenAIImageClient CreateClient(AsyncPipeline pipeline) => new OpenAIImageClient(Connect(pipeline));

        /// <summary>Queues one request; its images are saved and written in input order.</summary>
        private protected Task EnqueueAsync(AsyncPipeline pipeline, object? target, Func<CancellationToken, Task<IReadOnlyList<GeneratedImage>>> send, Action? finished = null) =>
            _output!.EnqueueAsync(target, send, SaveTarget, ClientFor(pipeline).Connection.Proxy, finished);

        /// <summary>
        /// Starts one pipeline item: drops what an image or a file bound by property name, and resolves the item's own
        /// save target. False when the item cannot go on (its error is reported in its place).
        /// </summary>
        /// <remarks>
        /// Only rows (CSV, objects made for the purpose) carry options. An image or a file piped in has properties of
        /// the same names that describe it, not the request to make, and PowerShell binds them all the same: an image
        /// of this module its Model, Size and OutputFormat (a gpt-image-2 result piped to New-OpenAIImageVariation must
        /// still get the variation model), a byte array its Count, and on Linux and macOS a FileInfo its Size. An item
        /// is an image when it bound InputObject and is not a row (rows bind InputObject too, and their path is read
        /// there), and a file from Get-ChildItem or Get-Item when the path it bound is provider-qualified, as only a
        /// provider's own PSPath is.
        /// </remarks>
        private protected async Task<bool> BeginItemAsync(AsyncPipeline pipeline, object? target)
        {
            bool file = IsFromItem("LiteralPath") && MyInvocation.BoundParameters["LiteralPath"] is string[] paths && paths.Length == 1 && paths[0].Contains("::");
            object? input = MyInvocation.BoundParameters.TryGetValue("InputObject", out object? bound) ? (bound is PSObject wrapped ? wrapped.BaseObject : bound) : null;
            bool image = IsFromItem("InputObject") && !(input is PSCustomObject || input is System.Collections.IDictionary);
            if (image || file) UnbindItemProperties("Prompt", "LiteralPath");
            try
            {
                ResolveItemSaveTarget(pipeline);
                return true;
            }
            catch (OpenAIImagesException e)
            {
                await EnqueueFailureAsync(target, e).ConfigureAwait(false);
                return false;
            }
        }

        /// <summary>
        /// Prepares one request: the engine's checks, then the save target's (no existing -OutFile replaced without
        /// -Force). A failure is reported in the item's place, before anything is sent, and null returned.
        /// </summary>
        /// <remarks>
        /// TPrepared is constrained to a class, not to the engine's PreparedRequest: a public type whose method names an
        /// engine type in a constraint fails to load before the engine's load context is set up (see ModuleInitializer).
        /// </remarks>
        private protected async Task<TPrepared?> PrepareAsync<TPrepared>(object? target, Func<TPrepared> prepare) where TPrepared : class
        {
            try
            {
                var prepared = prepare();
                SaveTarget.CheckFree((PreparedRequest)(object)prepared);
                return prepared;
            }
            catch (OpenAIImagesException e)
            {
                await EnqueueFailureAsync(target, e).ConfigureAwait(false);
                return null;
            }
        }

        /// <summary>Keeps an item that failed before sending in its place in the output order.</summary>
        private protected Task EnqueueFailureAsync(object? target, Exception error) => _output!.EnqueueFailureAsync(target, error);

        /// <summary>Reads input images: paths against the PowerShell location, pipeline objects, this module's results.</summary>
        private protected InputImageResolver? Inputs { get; private set; }

        /// <summary>
        /// The input images of one pipeline item: the object itself (InputObject), or the files that -Path (wildcards)
        /// or -LiteralPath name. Each one that cannot be read is reported in its place in the output order, behind the
        /// results of earlier items still in flight, and skipped; the rest go on.
        /// </summary>
        private protected Task<List<ImageInput>> ReadInputImagesAsync(bool fromInputObject, object? inputObject, string[] paths, bool literal) =>
            Inputs!.ReadAsync(fromInputObject, inputObject, paths, literal, ProxyOrDefault, EnqueueFailureAsync, CancelToken);

        /// <summary>Reports a failed item: a non-terminating error, unless nothing else can succeed.</summary>
        private void ReportFailure(AsyncPipeline pipeline, Exception exception, object? target)
        {
            if (exception is OperationCanceledException && CancelToken.IsCancellationRequested) throw exception;
            var record = ErrorRecords.From(exception, target);
            if (ErrorRecords.EndsTheCall(exception)) throw Terminate(record);
            pipeline.WriteError(record);
        }

        private protected override void OnWaiting(AsyncPipeline pipeline, TimeSpan elapsed) =>
            Progress.ShowWaiting(pipeline, elapsed, _output?.Done ?? 0, _output?.InProgress ?? 0, _client?.RetryingUntil);

        private protected override async Task EndProcessingAsync(AsyncPipeline pipeline)
        {
            try
            {
                if (_output != null) await _output.FinishAsync().ConfigureAwait(false);
            }
            finally
            {
                Progress.Complete(pipeline);
                _output?.Dispose();
            }
        }

        /// <summary>Copies what every Images API request takes: -Count (null when not given), -ResponseFormat and -User.</summary>
        private protected void ApplyCommonOptions(ImageRequestBase request, int? count)
        {
            request.Count = count;
            request.ResponseFormat = ResponseFormat;
            request.User = User;
            request.FileFormat = OutputFileNamer.FormatOfFileName(SaveTarget.FilePath);
        }
    }
}
