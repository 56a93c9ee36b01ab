using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace OpenAIImages.Engine.Batching
{
    /// <summary>
    /// Runs pipeline items with up to <see cref="ThrottleLimit"/> at once and hands their outcomes back in input
    /// order, so output stays in the order the input came, whatever order the server answers in. A throttle limit
    /// of 1 runs items one after another.
    /// </summary>
    public sealed class OrderedBatch<T> : IDisposable
    {
        private readonly SemaphoreSlim _slots;
        private readonly Queue<Task<BatchOutcome<T>>> _pending = new Queue<Task<BatchOutcome<T>>>();
        private readonly CancellationToken _cancellationToken;
        private int _sequence;

        public OrderedBatch(int throttleLimit, CancellationToken cancellationToken)
        {
            if (throttleLimit < 1) throw new ArgumentOutOfRangeException(nameof(throttleLimit), "The throttle limit must be at least 1.");
            ThrottleLimit = throttleLimit;
            _slots = new SemaphoreSlim(throttleLimit, throttleLimit);
            _cancellationToken = cancellationToken;
        }

        public int ThrottleLimit { get; }

        /// <summary>Items added and not yet taken.</summary>
        public int Count => _pending.Count;

        /// <summary>
        /// True when the caller should take an outcome before adding more: finished items wait in order behind a slow
        /// one, and this bounds how many results are held in memory.
        /// </summary>
        public bool IsFull => _pending.Count >= ThrottleLimit * 2;

        /// <summary>Starts an item as soon as a slot is free; an exception becomes that item's outcome, in its place.</summary>
        public void Add(object? tag, Func<CancellationToken, Task<T>> work)
        {
            int sequence = _sequence++;
            _pending.Enqueue(RunAsync(sequence, tag, work));
        }

        /// <summary>An item that failed before it could start (bad input), kept in its place in the order.</summary>
        public void AddFailed(object? tag, Exception error)
        {
            _pending.Enqueue(Task.FromResult(new BatchOutcome<T>(_sequence++, tag, default, error)));
        }

        /// <summary>Outcomes that are ready at the head of the order, without waiting.</summary>
        public IEnumerable<BatchOutcome<T>> TakeReady()
        {
            while (_pending.Count > 0 && _pending.Peek().IsCompleted) yield return _pending.Dequeue().GetAwaiter().GetResult();
        }

        /// <summary>Waits for the next outcome in order; null when nothing is pending.</summary>
        public async Task<BatchOutcome<T>?> TakeNextAsync()
        {
            if (_pending.Count == 0) return null;
            var outcome = await _pending.Peek().ConfigureAwait(false);
            _ = _pending.Dequeue();
            return outcome;
        }

        private async Task<BatchOutcome<T>> RunAsync(int sequence, object? tag, Func<CancellationToken, Task<T>> work)
        {
            try
            {
                await _slots.WaitAsync(_cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException e)
            {
                return new BatchOutcome<T>(sequence, tag, default, e);
            }
            try
            {
                // A slot freed by a cancelled item can reach a waiter before its own cancellation does: start nothing new.
                _cancellationToken.ThrowIfCancellationRequested();
                return new BatchOutcome<T>(sequence, tag, await work(_cancellationToken).ConfigureAwait(false), null);
            }
            catch (Exception e)
            {
                return new BatchOutcome<T>(sequence, tag, default, e);
            }
            finally
            {
                _slots.Release();
            }
        }

        public void Dispose() => _slots.Dispose();
    }

    /// <summary>What became of one item: its result, or the exception that stopped it.</summary>
    public sealed class BatchOutcome<T>
    {
        public int Sequence { get; }
        public object? Tag { get; }
        public T? Result { get; }
        public Exception? Error { get; }

        public BatchOutcome(int sequence, object? tag, T? result, Exception? error)
        {
            Sequence = sequence;
            Tag = tag;
            Result = result;
            Error = error;
        }
    }
}
