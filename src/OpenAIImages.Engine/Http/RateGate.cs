using System;
using System.Threading;
using System.Threading.Tasks;

namespace OpenAIImages.Engine.Http
{
    /// <summary>
    /// A shared "not before" time for every request of one client. When the server says to wait (a 429 with
    /// retry-after, or repeated failures), all concurrent requests of the batch wait, instead of each one hitting the
    /// server again on its own schedule.
    /// </summary>
    internal sealed class RateGate
    {
        private long _notBeforeTicks;

        /// <summary>Holds every request until at least <paramref name="until"/>.</summary>
        public void Delay(DateTimeOffset until)
        {
            long ticks = until.UtcTicks;
            long current;
            do
            {
                current = Interlocked.Read(ref _notBeforeTicks);
                if (current >= ticks) return;
            }
            while (Interlocked.CompareExchange(ref _notBeforeTicks, ticks, current) != current);
        }

        /// <summary>Waits while the gate is closed; returns how long it waited.</summary>
        public async Task<TimeSpan> WaitAsync(CancellationToken cancellationToken)
        {
            var waited = TimeSpan.Zero;
            while (true)
            {
                long notBefore = Interlocked.Read(ref _notBeforeTicks);
                var remaining = new DateTimeOffset(notBefore, TimeSpan.Zero) - DateTimeOffset.UtcNow;
                if (remaining <= TimeSpan.Zero) return waited;
                await Task.Delay(remaining, cancellationToken).ConfigureAwait(false);
                waited += remaining;
            }
        }
    }
}
