using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
using OpenAIImages.Engine;
using OpenAIImages.Engine.Batching;
using OpenAIImages.Engine.Files;
using OpenAIImages.Engine.Http;
using OpenAIImages.Engine.Requests;
using OpenAIImages.Engine.Results;
using OpenAIImages.Engine.Validation;
using OpenAIImages.Infrastructure;

namespace OpenAIImages.Commands
{
    /// <summary>
    /// What the three API cmdlets share: the connection parameters, the saving parameters, and turning results into
    /// pipeline output and failures into error records.
    /// </summary>
    public abstract class ApiCommandBase : AsyncPSCmdlet
    {
        /// <summary>The API key, as a string or a SecureString. Defaults to $env:OPENAI_API_KEY.</summary>
        [Parameter]
        [SecureStringTransformation]
        [ValidateNotNull]
        public SecureString? ApiKey { get; set; }

        /// <summary>The API root of OpenAI or a compatible server. Defaults to $env:OPENAI_BASE_URL, then https://api.openai.com/v1.</summary>
        [Parameter]
        [ValidateNotNull]
        public Uri? BaseUri { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Organization { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Project { get; set; }

        /// <summary>The longest one request may take, in seconds.</summary>
        [Parameter]
        [ValidateRange(1, 86400)]
        public int TimeoutSec { get; set; } = 600;

        /// <summary>Retries of a failed request (rate limits, server errors, broken connections); 0 turns them off.</summary>
        [Parameter]
        [ValidateRange(0, 10)]
        public int MaxRetries { get; set; } = RetryPolicy.DefaultMaxRetries;

        /// <summary>A proxy for every request; the system proxy (and HTTPS_PROXY) is used when none is given.</summary>
        [Parameter]
        [ValidateNotNull]
        public Uri? Proxy { get; set; }

        [Parameter]
        [Credential]
        [ValidateNotNull]
        public PSCredential? ProxyCredential { get; set; }

        /// <summary>An Azure OpenAI resource, e.g. https://contoso.openai.azure.com.</summary>
        [Parameter]
        [ValidateNotNull]
        public Uri? Endpoint { get; set; }

        /// <summary>The Azure OpenAI deployment; without it the resource's /openai/v1 API is used.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Deployment { get; set; }

        /// <summary>The Azure OpenAI api-version for deployment URLs.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? ApiVersion { get; set; }

        /// <summary>A Microsoft Entra ID access token for Azure OpenAI, instead of a key.</summary>
        [Parameter]
        [SecureStringTransformation]
        [ValidateNotNull]
        public SecureString? AccessToken { get; set; }

        /// <summary>Allow an http:// base URI to another machine (the key would travel unencrypted).</summary>
        [Parameter]
        public SwitchParameter AllowInsecureHttp { get; set; }

        /// <summary>Save each image in this directory under a name made from its prompt.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? OutputDirectory { get; set; }

        /// <summary>Save to this file; several images are numbered.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? OutFile { get; set; }

        /// <summary>Replace an existing file at -OutFile.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        private OpenAIImageClient? _client;
        private ImageSaveTarget? _saveTarget;

        /// <summary>Where results go, resolved once at the start of the call.</summary>
        private protected ImageSaveTarget? SaveTarget => _saveTarget;

        /// <summary>The client, built on first use from the parameters and environment; null after a terminating error.</summary>
        protected OpenAIImageClient Client => _client ??= CreateClient();

        protected IOperationObserver Observer => new CmdletObserver(this);

        protected override Task BeginProcessingAsync()
        {
            if (OutputDirectory != null && OutFile != null)
                throw Terminate(new ErrorRecord(new ArgumentException("Give -OutputDirectory or -OutFile, not both."), "OutFileAndOutputDirectory", ErrorCategory.InvalidArgument, null));
            if (Proxy != null && (!Proxy.IsAbsoluteUri || (Proxy.Scheme != Uri.UriSchemeHttp && Proxy.Scheme != Uri.UriSchemeHttps)))
                throw Terminate(new ErrorRecord(new ArgumentException($"-Proxy '{Proxy.OriginalString}' is not an http:// or https:// address. Write it with its scheme, for example http://proxy.example:8080."), "ProxyInvalid", ErrorCategory.InvalidArgument, Proxy));
            if (ProxyCredential != null && Proxy == null)
                throw Terminate(new ErrorRecord(new ArgumentException("-ProxyCredential is for the proxy named by -Proxy; add -Proxy, or remove -ProxyCredential."), "ProxyCredentialWithoutProxy", ErrorCategory.InvalidArgument, null));
            _saveTarget = OnPipelineThread(ResolveSaveTarget);
            return Task.CompletedTask;
        }

        /// <summary>The proxy the parameters name, or null for the system's.</summary>
        protected ProxySettings? ProxyOrDefault => Proxy == null ? null : new ProxySettings(Proxy, ProxyCredential?.GetNetworkCredential());

        private OpenAIImageClient CreateClient()
        {
            try
            {
                var options = new ConnectionOptions
                {
                    Credential = ApiKey != null ? ApiCredential.FromSecureString(ApiKey) : null,
                    BaseUri = BaseUri,
                    Organization = Organization,
                    Project = Project,
                    Timeout = TimeSpan.FromSeconds(TimeoutSec),
                    UserAgent = OnPipelineThread(() => ModuleContext.UserAgent(this)),
                    AllowInsecureHttp = AllowInsecureHttp,
                    MaxRetries = MaxRetries,
                    Proxy = ProxyOrDefault,
                    AzureEndpoint = Endpoint,
                    AzureDeployment = Deployment,
                    AzureApiVersion = ApiVersion,
                    AccessToken = AccessToken != null ? ApiCredential.FromSecureString(AccessToken, CredentialKind.BearerAccessToken) : null,
                };
                return new OpenAIImageClient(ConnectionResolver.Resolve(options, Environment.GetEnvironmentVariable));
            }
            catch (OpenAIImagesException e)
            {
                throw Terminate(ErrorRecords.From(e, null));
            }
            catch (ArgumentException)
            {
                // ApiCredential refuses empty secrets; say which parameter was empty, never what it held.
                var empty = new ImageRequestException(ErrorIds.ApiKeyMissing, "The API key or access token given is empty. Pass a non-empty -ApiKey or -AccessToken, or set OPENAI_API_KEY.");
                throw Terminate(ErrorRecords.From(empty, null));
            }
        }

        private ImageSaveTarget ResolveSaveTarget()
        {
            if (OutputDirectory != null) return new ImageSaveTarget { Directory = ResolveFileSystemPath(OutputDirectory, nameof(OutputDirectory)) };
            if (OutFile != null) return new ImageSaveTarget { FilePath = ResolveFileSystemPath(OutFile, nameof(OutFile)), Force = Force };
            return new ImageSaveTarget();
        }

        private string ResolveFileSystemPath(string path, string parameterName)
        {
            try
            {
                return InputImageResolver.ResolveOutputPath(this, path, parameterName, "images");
            }
            catch (OutputPathException e)
            {
                throw Terminate(e.ToErrorRecord());
            }
        }

        /// <summary>How many requests may be in flight at once; results are still written in input order.</summary>
        [Parameter]
        [ValidateRange(1, 64)]
        public int ThrottleLimit { get; set; } = 1;

        private OrderedBatch<ItemResult>? _batch;

        private OrderedBatch<ItemResult> Batch => _batch ??= new OrderedBatch<ItemResult>(ThrottleLimit, CancelToken);

        /// <summary>
        /// Queues one request (which runs when a slot is free), then writes whatever outcomes are ready in input
        /// order; blocks while too many finished results wait behind a slow one.
        /// </summary>
        protected async Task EnqueueAsync(object? target, Func<CancellationToken, Task<IReadOnlyList<GeneratedImage>>> send, Action? finished = null)
        {
            var saveTarget = _saveTarget;
            var proxy = Client.Connection.Proxy;
            Batch.Add(target, async token =>
            {
                try
                {
                    var images = await send(token).ConfigureAwait(false);
                    return await ImageSaver.SaveAllAsync(images, saveTarget, proxy, token).ConfigureAwait(false);
                }
                finally
                {
                    finished?.Invoke();
                }
            });
            await DrainAsync(untilEmpty: false).ConfigureAwait(false);
        }

        /// <summary>Keeps an item that failed before sending in its place in the output order.</summary>
        protected async Task EnqueueFailureAsync(object? target, Exception error)
        {
            Batch.AddFailed(target, error);
            await DrainAsync(untilEmpty: false).ConfigureAwait(false);
        }

        private async Task DrainAsync(bool untilEmpty)
        {
            if (_batch == null) return;
            foreach (var outcome in _batch.TakeReady()) Write(outcome);
            while (_batch.IsFull || (untilEmpty && _batch.Count > 0))
            {
                var outcome = await _batch.TakeNextAsync().ConfigureAwait(false);
                if (outcome != null) Write(outcome);
            }
        }

        private void Write(BatchOutcome<ItemResult> outcome)
        {
            _itemsDone++;
            if (outcome.Error != null)
            {
                if (outcome.Error is OperationCanceledException && CancelToken.IsCancellationRequested) throw outcome.Error;
                ReportFailure(outcome.Error, outcome.Tag);
                return;
            }
            var result = outcome.Result!;
            foreach (var (image, error) in result.SaveErrors) WriteError(ErrorRecords.From(error, image));
            foreach (var image in result.Images)
            {
                if (image.Path != null) WriteVerbose($"Saved {image.Path}");
                WriteObject(image);
            }
        }

        private int _pipelineIndex;

        /// <summary>
        /// The input images of one pipeline item: the object itself (InputObject), or the files that -Path (wildcards)
        /// or -LiteralPath name. Each one that cannot be read is reported and skipped; the rest go on.
        /// </summary>
        protected Task<List<ImageInput>> ReadInputImagesAsync(bool fromInputObject, object? inputObject, string[] paths, bool literal)
        {
            if (fromInputObject) _pipelineIndex++;
            // Errors take their place in the output order, behind the results of earlier items still in flight.
            return InputImageResolver.ReadAsync(this, fromInputObject, inputObject, $"image {_pipelineIndex} from the pipeline", paths, literal,
                ProxyOrDefault, EnqueueFailureAsync, CancelToken);
        }

        /// <summary>Reports a failed item: a non-terminating error, unless nothing else can succeed.</summary>
        protected void ReportFailure(Exception exception, object? target)
        {
            if (exception is OperationCanceledException && CancelToken.IsCancellationRequested) throw exception;
            var record = ErrorRecords.From(exception, target);
            if (ErrorRecords.EndsTheCall(exception)) throw Terminate(record);
            WriteError(record);
        }

        /// <summary>What the cmdlet is working on, shown while it waits for the server.</summary>
        protected string? CurrentItem { get; set; }

        /// <summary>The id of the cmdlet's overall progress record; per-request records are its children.</summary>
        protected int ProgressActivityId
        {
            get
            {
                // Stable across processes (string.GetHashCode is not), and distinct per cmdlet.
                int id = 17;
                foreach (char c in MyInvocation.MyCommand.Name) id = unchecked(id * 31 + c);
                return (id & 0x3FFF) * 1000 + 1;
            }
        }

        private int _itemsDone;
        private int _streamActivities;

        /// <summary>A child progress id for one streamed request.</summary>
        protected int NextChildActivityId() => ProgressActivityId + 1 + (System.Threading.Interlocked.Increment(ref _streamActivities) % 997);

        protected override void OnWaiting(TimeSpan elapsed)
        {
            // Image requests take up to two minutes; after a moment's silence, show that the call is alive.
            if (elapsed < TimeSpan.FromSeconds(2)) return;
            int waiting = _batch?.Count ?? 0;
            string status = _itemsDone == 0 && waiting <= 1
                ? $"Waiting for the server: {elapsed.TotalSeconds:0} s"
                : $"{_itemsDone} done, {waiting} in progress: {elapsed.TotalSeconds:0} s";
            WriteProgress(new ProgressRecord(ProgressActivityId, MyInvocation.MyCommand.Name, status)
            {
                CurrentOperation = CurrentItem == null ? null : Shorten(CurrentItem),
            });
        }

        protected override async Task EndProcessingAsync()
        {
            try
            {
                await DrainAsync(untilEmpty: true).ConfigureAwait(false);
            }
            finally
            {
                WriteProgress(new ProgressRecord(ProgressActivityId, MyInvocation.MyCommand.Name, "Done") { RecordType = ProgressRecordType.Completed });
                _batch?.Dispose();
            }
        }

        protected bool IsBound(string name) => MyInvocation.BoundParameters.ContainsKey(name);

        protected static string Shorten(string text) => text.Length <= 60 ? text : text.Substring(0, 57) + "...";

        private sealed class CmdletObserver : IOperationObserver
        {
            private readonly ApiCommandBase _cmdlet;

            public CmdletObserver(ApiCommandBase cmdlet) => _cmdlet = cmdlet;

            public void Verbose(string message) => _cmdlet.WriteVerbose(message);
            public void Debug(string message) => _cmdlet.WriteDebug(message);
            public void Warning(string message) => _cmdlet.WriteWarning(message);
        }
    }
}
