using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;

namespace OpenAIImages.Engine.Threading
{
    /// <summary>
    /// Runs async work on the thread pool while the calling thread executes, in order, the actions the work sends
    /// back to it. PowerShell allows Write* and ShouldProcess only on the pipeline thread; this is how async
    /// requests still report there. The queue outlives each <see cref="Run"/>: actions posted while no run is
    /// active (requests still in flight between pipeline items) wait for the next run and go first.
    /// </summary>
    public sealed class CallerThreadDispatcher : IDisposable
    {
        private readonly ConcurrentQueue<Action> _queue = new ConcurrentQueue<Action>();
        private readonly SemaphoreSlim _signal = new SemaphoreSlim(0);
        private int _runThreadId = -1;
        private volatile bool _running;

        /// <summary>True on the thread inside <see cref="Run"/>, where actions execute directly.</summary>
        public bool IsOnRunThread => _running && Environment.CurrentManagedThreadId == _runThreadId;

        /// <summary>
        /// Starts <paramref name="work"/> on the thread pool and executes queued actions on this thread until it
        /// finishes; calls <paramref name="onIdle"/> (with the time since the start) after each quiet
        /// <paramref name="idleInterval"/>. Rethrows what the work threw. An action that throws ends the run at once
        /// with that exception; the work is then left to the caller to cancel.
        /// </summary>
        public void Run(Func<Task> work, Action<TimeSpan>? onIdle, TimeSpan idleInterval)
        {
            _runThreadId = Environment.CurrentManagedThreadId;
            _running = true;
            Task running;
            try
            {
                running = Task.Run(work);
                // Wake at once when the work is done, not at the next idle tick.
                running.ContinueWith(_ => Signal(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                var clock = Stopwatch.StartNew();
                Drain();
                while (!running.IsCompleted)
                {
                    if (_signal.Wait(idleInterval)) Drain();
                    else if (!running.IsCompleted) onIdle?.Invoke(clock.Elapsed);
                }
                Drain();
            }
            finally
            {
                _running = false;
            }
            running.GetAwaiter().GetResult();
        }

        /// <summary>Executes the action on the run thread: at once when called there, else queued.</summary>
        public void Post(Action action)
        {
            if (action == null) throw new ArgumentNullException(nameof(action));
            if (IsOnRunThread)
            {
                action();
                return;
            }
            _queue.Enqueue(action);
            Signal();
        }

        /// <summary>Executes a function on the run thread and waits for its result (or its exception).</summary>
        public T Invoke<T>(Func<T> function, CancellationToken cancellationToken)
        {
            if (function == null) throw new ArgumentNullException(nameof(function));
            if (IsOnRunThread) return function();
            var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
            _queue.Enqueue(() =>
            {
                try
                {
                    done.TrySetResult(function());
                }
                catch (Exception e)
                {
                    done.TrySetException(e);
                }
            });
            Signal();
            using (cancellationToken.Register(() => done.TrySetCanceled(cancellationToken)))
            {
                return done.Task.GetAwaiter().GetResult();
            }
        }

        private void Drain()
        {
            while (_queue.TryDequeue(out var action)) action();
        }

        private void Signal()
        {
            try
            {
                _signal.Release();
            }
            catch (ObjectDisposedException)
            {
                // The cmdlet is gone; nobody is waiting any more.
            }
        }

        public void Dispose() => _signal.Dispose();
    }
}
