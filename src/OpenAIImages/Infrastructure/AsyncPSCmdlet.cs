using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;

namespace OpenAIImages.Infrastructure
{
    /// <summary>
    /// Runs each pipeline block's async work off the pipeline thread, and carries every Write* and ShouldProcess
    /// call back to it, because PowerShell allows those only on the thread that called the block. StopProcessing
    /// (Ctrl+C) cancels <see cref="CancelToken"/>, which reaches every request.
    /// </summary>
    public abstract class AsyncPSCmdlet : PSCmdlet, IDisposable
    {
        private readonly CancellationTokenSource _cancel = new CancellationTokenSource();
        private BlockingCollection<Action>? _pipelineQueue;
        private int _pipelineThreadId;

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
            using var queue = new BlockingCollection<Action>();
            _pipelineQueue = queue;
            _pipelineThreadId = Environment.CurrentManagedThreadId;
            var work = Task.Run(async () =>
            {
                try
                {
                    await block().ConfigureAwait(false);
                }
                finally
                {
                    queue.CompleteAdding();
                }
            });

            var clock = Stopwatch.StartNew();
            try
            {
                while (!queue.IsCompleted)
                {
                    if (queue.TryTake(out var action, 1000))
                    {
                        action();
                    }
                    else if (!queue.IsCompleted)
                    {
                        OnWaiting(clock.Elapsed);
                    }
                }
            }
            catch
            {
                // Leaving early (the pipeline stopped under us): the async work must not go on alone.
                StopProcessing();
                throw;
            }
            finally
            {
                _pipelineQueue = null;
            }

            try
            {
                work.GetAwaiter().GetResult();
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
        }

        /// <summary>Runs an action on the pipeline thread (directly when already there) and waits for it.</summary>
        protected internal T OnPipelineThread<T>(Func<T> action)
        {
            if (Environment.CurrentManagedThreadId == _pipelineThreadId || _pipelineQueue == null) return action();
            var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
            try
            {
                _pipelineQueue.Add(() =>
                {
                    try
                    {
                        done.SetResult(action());
                    }
                    catch (Exception e)
                    {
                        done.SetException(e);
                    }
                });
            }
            catch (InvalidOperationException)
            {
                throw new OperationCanceledException("The pipeline block has ended.");
            }
            using (_cancel.Token.Register(() => done.TrySetCanceled()))
            {
                return done.Task.GetAwaiter().GetResult();
            }
        }

        /// <summary>Queues an action for the pipeline thread without waiting for it.</summary>
        private void Post(Action action)
        {
            if (Environment.CurrentManagedThreadId == _pipelineThreadId || _pipelineQueue == null)
            {
                action();
                return;
            }
            try
            {
                _pipelineQueue.Add(action);
            }
            catch (InvalidOperationException)
            {
                // The block has finished; nothing is listening any more.
            }
        }

        public new void WriteObject(object? sendToPipeline) => Post(() => base.WriteObject(sendToPipeline));
        public new void WriteObject(object? sendToPipeline, bool enumerateCollection) => Post(() => base.WriteObject(sendToPipeline, enumerateCollection));
        public new void WriteError(ErrorRecord errorRecord) => Post(() => base.WriteError(errorRecord));
        public new void WriteWarning(string text) => Post(() => base.WriteWarning(text));
        public new void WriteVerbose(string text) => Post(() => base.WriteVerbose(text));
        public new void WriteDebug(string text) => Post(() => base.WriteDebug(text));
        public new void WriteProgress(ProgressRecord progressRecord) => Post(() => base.WriteProgress(progressRecord));

        /// <summary>Asks on the pipeline thread, where PowerShell can prompt, and waits for the answer.</summary>
        public new bool ShouldProcess(string target, string action) => OnPipelineThread(() => base.ShouldProcess(target, action));

        /// <summary>Ends the whole call with this record (no API key, say); raised from async code, thrown on the pipeline thread.</summary>
        protected static Exception Terminate(ErrorRecord record) => new TerminatingErrorException(record);

        public void Dispose()
        {
            _cancel.Dispose();
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
