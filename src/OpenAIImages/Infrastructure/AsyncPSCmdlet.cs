using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;

namespace OpenAIImages.Infrastructure
{
    /// <summary>
    /// Runs each pipeline block's async work off the pipeline thread. The work gets an <see cref="AsyncPipeline"/>,
    /// whose every write and prompt is carried back to the pipeline thread, and writes only through it: the
    /// cmdlet's own Write* and ShouldProcess are for the pipeline thread alone, and are neither hidden nor wrapped
    /// here (a caller holding a PSCmdlet reference would bypass a hiding method). StopProcessing (Ctrl+C) cancels
    /// <see cref="CancelToken"/>, which reaches every request.
    /// </summary>
    /// <remarks>
    /// The pipeline object lives as long as the cmdlet, not one block: with -ThrottleLimit, requests run on between
    /// ProcessRecord calls, and what they write then (a retry warning, a partial image) waits in its queue for the
    /// next block instead of being written from a worker thread, which PowerShell refuses.
    /// </remarks>
    public abstract class AsyncPSCmdlet : PSCmdlet, IDisposable
    {
        private static readonly TimeSpan WaitingInterval = TimeSpan.FromSeconds(1);
        private readonly CancellationTokenSource _cancel = new CancellationTokenSource();
        private AsyncPipeline? _pipeline;

        /// <summary>Cancelled when the user presses Ctrl+C or the pipeline stops.</summary>
        protected CancellationToken CancelToken => _cancel.Token;

        private protected virtual Task BeginProcessingAsync(AsyncPipeline pipeline) => Task.CompletedTask;
        private protected virtual Task ProcessRecordAsync(AsyncPipeline pipeline) => Task.CompletedTask;
        private protected virtual Task EndProcessingAsync(AsyncPipeline pipeline) => Task.CompletedTask;

        /// <summary>Called on the pipeline thread about once a second while async work runs and nothing else is written.</summary>
        private protected virtual void OnWaiting(AsyncPipeline pipeline, TimeSpan elapsed) { }

        protected sealed override void BeginProcessing()
        {
            // What is bound now came from the command line or $PSDefaultParameterValues; anything bound later came
            // from a pipeline item.
            _givenForCall = new HashSet<string>(MyInvocation.BoundParameters.Keys, StringComparer.OrdinalIgnoreCase);
            foreach (var property in GetType().GetProperties())
            {
                if (!_givenForCall.Contains(property.Name) && property.GetCustomAttributes(typeof(ParameterAttribute), true).Cast<ParameterAttribute>().Any(p => p.ValueFromPipelineByPropertyName))
                    _unboundValues[property.Name] = property.GetValue(this);
            }
            RunBlock(BeginProcessingAsync);
        }

        protected sealed override void ProcessRecord() => RunBlock(ProcessRecordAsync);
        protected sealed override void EndProcessing() => RunBlock(EndProcessingAsync);

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

        private void RunBlock(Func<AsyncPipeline, Task> block)
        {
            // Made on the pipeline thread, in the first block, when the command runtime is set.
            var pipeline = _pipeline ??= new AsyncPipeline(CommandRuntime, _cancel.Token);
            try
            {
                pipeline.Run(() => block(pipeline), elapsed => OnWaiting(pipeline, elapsed), WaitingInterval);
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

        private protected bool IsBound(string name) => MyInvocation.BoundParameters.ContainsKey(name);

        /// <summary>True when the parameter was bound from the current pipeline item (a CSV column, an object's property).</summary>
        private protected bool IsFromItem(string name) => IsBound(name) && _givenForCall != null && !_givenForCall.Contains(name);

        private HashSet<string>? _givenForCall;
        private readonly Dictionary<string, object?> _unboundValues = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);

        /// <summary>
        /// Undoes what the current item bound by property name, except <paramref name="keep"/>: the parameters go back
        /// to what the command line gave (that is, to their defaults, as a parameter given there is never bound from
        /// an item).
        /// </summary>
        private protected void UnbindItemProperties(params string[] keep)
        {
            foreach (string name in MyInvocation.BoundParameters.Keys.ToList())
            {
                if (!_unboundValues.TryGetValue(name, out object? value) || Array.IndexOf(keep, name) >= 0) continue;
                GetType().GetProperty(name)!.SetValue(this, value);
                MyInvocation.BoundParameters.Remove(name);
            }
        }

        /// <summary>Ends the whole call over parameters that cannot go together; raised before anything is sent.</summary>
        private protected static Exception Refuse(string errorId, string message, object? target = null) =>
            Terminate(new ErrorRecord(new ArgumentException(message), errorId, ErrorCategory.InvalidArgument, target));

        /// <summary>Ends the whole call with this record (no API key, say); raised from async code, thrown on the pipeline thread.</summary>
        private protected static Exception Terminate(ErrorRecord record) => new TerminatingErrorException(record);

        public void Dispose()
        {
            _cancel.Dispose();
            _pipeline?.Dispose();
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
