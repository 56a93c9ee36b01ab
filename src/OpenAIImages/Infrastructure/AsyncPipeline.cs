using System;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using OpenAIImages.Engine;
using OpenAIImages.Engine.Threading;

namespace OpenAIImages.Infrastructure
{
    /// <summary>
    /// The one way async code reaches PowerShell: every write, prompt and session-state call is carried to the
    /// pipeline thread, the only thread on which PowerShell allows them. <see cref="AsyncPSCmdlet"/> hands it to its
    /// async blocks; they hold no other way to write (after OpenAuthenticode's AsyncPSCmdlet and its AsyncPipeline).
    /// </summary>
    /// <remarks>
    /// Writes are queued and return at once; they run, in order, on the pipeline thread while a block runs, or at the
    /// start of the next block when the work that wrote them is still in flight between pipeline items (with
    /// -ThrottleLimit). Prompts (ShouldProcess, ShouldContinue) and <see cref="OnPipelineThread{T}"/> wait for their
    /// answer; Ctrl+C ends the wait. Called on the pipeline thread itself, everything runs directly.
    /// </remarks>
    internal sealed class AsyncPipeline : IOperationObserver, IDisposable
    {
        private readonly ICommandRuntime _runtime;
        private readonly CallerThreadDispatcher _dispatcher = new CallerThreadDispatcher();
        private readonly CancellationToken _cancellation;

        public AsyncPipeline(ICommandRuntime runtime, CancellationToken cancellation)
        {
            _runtime = runtime ?? throw new ArgumentNullException(nameof(runtime));
            _cancellation = cancellation;
        }

        /// <summary>
        /// Runs <paramref name="block"/> on the thread pool and, on this (the pipeline) thread, whatever it writes, until
        /// it ends; calls <paramref name="onWaiting"/> after each quiet <paramref name="interval"/>.
        /// </summary>
        public void Run(Func<Task> block, Action<TimeSpan>? onWaiting, TimeSpan interval) => _dispatcher.Run(block, onWaiting, interval);

        public void WriteObject(object? sendToPipeline) => Post(() => _runtime.WriteObject(sendToPipeline));

        public void WriteObject(object? sendToPipeline, bool enumerateCollection) => Post(() => _runtime.WriteObject(sendToPipeline, enumerateCollection));

        public void WriteError(ErrorRecord errorRecord) => Post(() => _runtime.WriteError(errorRecord));

        public void WriteWarning(string text) => Post(() => _runtime.WriteWarning(text));

        public void WriteVerbose(string text) => Post(() => _runtime.WriteVerbose(text));

        public void WriteDebug(string text) => Post(() => _runtime.WriteDebug(text));

        public void WriteProgress(ProgressRecord progressRecord) => Post(() => _runtime.WriteProgress(progressRecord));

        /// <summary>Windows PowerShell 5.1 and PowerShell 7 both give cmdlets an ICommandRuntime2, which has this.</summary>
        public void WriteInformation(InformationRecord informationRecord) => Post(() => Runtime2.WriteInformation(informationRecord));

        public bool ShouldProcess(string target) => OnPipelineThread(() => _runtime.ShouldProcess(target));

        public bool ShouldProcess(string target, string action) => OnPipelineThread(() => _runtime.ShouldProcess(target, action));

        public bool ShouldContinue(string query, string caption) => OnPipelineThread(() => _runtime.ShouldContinue(query, caption));

        /// <summary>Runs a function on the pipeline thread (session state, path resolution) and waits for its result.</summary>
        public T OnPipelineThread<T>(Func<T> function) => _dispatcher.Invoke(function, _cancellation);

        // What the engine reports while it works (retries, requests, bodies) goes to the matching streams.
        void IOperationObserver.Verbose(string message) => WriteVerbose(message);
        void IOperationObserver.Debug(string message) => WriteDebug(message);
        void IOperationObserver.Warning(string message) => WriteWarning(message);

        private ICommandRuntime2 Runtime2 => _runtime as ICommandRuntime2
            ?? throw new NotSupportedException("This command runtime has no information stream.");

        private void Post(Action action) => _dispatcher.Post(action);

        public void Dispose() => _dispatcher.Dispose();
    }
}
