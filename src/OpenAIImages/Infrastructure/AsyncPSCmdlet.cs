using System;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using OpenAIImages.Engine.Threading;

namespace OpenAIImages.Infrastructure
{
    /// <summary>
    /// Runs each pipeline block's async work off the pipeline thread, and carries every Write* and ShouldProcess
    /// call back to it, because PowerShell allows those only on the thread that called the block. StopProcessing
    /// (Ctrl+C) cancels <see cref="CancelToken"/>, which reaches every request.
    /// </summary>
    /// <remarks>
    /// The queue lives as long as the cmdlet, not one block: with -ThrottleLimit, requests run on between
    /// ProcessRecord calls, and what they write then (a retry warning, a partial image) waits in the queue for the
    /// next block instead of being written from a worker thread, which PowerShell refuses.
    /// </remarks>
    public abstract class AsyncPSCmdlet : PSCmdlet, IDisposable
    {
        private static readonly TimeSpan WaitingInterval = TimeSpan.FromSeconds(1);
        private readonly CancellationTokenSource _cancel = new CancellationTokenSource();
        private readonly CallerThreadDispatcher _dispatcher = new CallerThreadDispatcher();

        /// <summary>Cancelled when the user presses Ctrl+C or the pipeline stops.</summary>
        protected CancellationToken CancelToken => _cancel.Token;

        protected virtual Task BeginProcessingAsync() => Task.CompletedTask;
        protected virtual Task ProcessRecordAsync() => Task.CompletedTask;
        protected virtual Task EndProcessingAsync() => Task.CompletedTask;

        /// <summary>Called on the pipeline thread about once a second while async work runs and nothing else is written.</summary>
        protected virtual void OnWaiting(TimeSpan elapsed) { }

        protected sealed override void BeginProcessing() => RunOnPipelineThread(BeginProcessingAsync);
        protected sealed override void ProcessRecord() => RunOnPipelineThread(ProcessRecordAsync);
        protected sealed override void EndProcessing() => RunOnPipelineThread(EndProcessingAsync);

        protected override void StopProcessing()
        {
            try
            {
                _cancel.Cancel();
            }
            catch (ObjectDisposedException)
            {
            }
        }

        private void RunOnPipelineThread(Func<Task> block)
        {
            try
            {
                _dispatcher.Run(block, OnWaiting, WaitingInterval);
            }
            catch (TerminatingErrorException e)
            {
                // Requests still in flight for other items must not outlive the call.
                StopProcessing();
                ThrowTerminatingError(e.Record);
            }
            catch (OperationCanceledException) when (_cancel.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }
            catch
            {
                // Leaving early (the pipeline stopped under us): the async work must not go on alone.
                StopProcessing();
                throw;
            }
        }

        /// <summary>Runs a function on the pipeline thread (directly when already there) and waits for it.</summary>
        protected internal T OnPipelineThread<T>(Func<T> action) => _dispatcher.Invoke(action, _cancel.Token);

        public new void WriteObject(object? sendToPipeline) => _dispatcher.Post(() => base.WriteObject(sendToPipeline));
        public new void WriteObject(object? sendToPipeline, bool enumerateCollection) => _dispatcher.Post(() => base.WriteObject(sendToPipeline, enumerateCollection));
        public new void WriteError(ErrorRecord errorRecord) => _dispatcher.Post(() => base.WriteError(errorRecord));
        public new void WriteWarning(string text) => _dispatcher.Post(() => base.WriteWarning(text));
        public new void WriteVerbose(string text) => _dispatcher.Post(() => base.WriteVerbose(text));
        public new void WriteDebug(string text) => _dispatcher.Post(() => base.WriteDebug(text));
        public new void WriteProgress(ProgressRecord progressRecord) => _dispatcher.Post(() => base.WriteProgress(progressRecord));

        /// <summary>Asks on the pipeline thread, where PowerShell can prompt, and waits for the answer.</summary>
        public new bool ShouldProcess(string target, string action) => OnPipelineThread(() => base.ShouldProcess(target, action));

        /// <summary>Ends the whole call with this record (no API key, say); raised from async code, thrown on the pipeline thread.</summary>
        protected static Exception Terminate(ErrorRecord record) => new TerminatingErrorException(record);

        public void Dispose()
        {
            _cancel.Dispose();
            _dispatcher.Dispose();
            GC.SuppressFinalize(this);
        }

        private sealed class TerminatingErrorException : Exception
        {
            public ErrorRecord Record { get; }

            public TerminatingErrorException(ErrorRecord record)
                : base(record.Exception?.Message)
            {
                Record = record;
            }
        }
    }
}
