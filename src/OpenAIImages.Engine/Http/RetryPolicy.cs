using System;
using System.Net.Http;
using System.Threading;

namespace OpenAIImages.Engine.Http
{
    /// <summary>
    /// When a failed attempt is worth repeating, and after how long. Rate limits (429), timeouts (408), conflicts
    /// (409), server errors (5xx) and broken connections are retried; a request the server refused on its merits
    /// (400, 401, 403, a moderation block, no quota left) never is, because sending it again cannot help and may
    /// cost money. The server's own word wins: x-should-retry, then retry-after-ms, then retry-after.
    /// </summary>
    public sealed class RetryPolicy
    {
        public const int DefaultMaxRetries = 3;

        // Declared before Default, whose initializer reads it: static fields are set in the order they are written.
        public static readonly TimeSpan DefaultMaxServerRequestedDelay = TimeSpan.FromSeconds(60);

        public static RetryPolicy Default { get; } = new RetryPolicy();

        /// <summary>Retries after the first attempt (0 = no retries).</summary>
        public int MaxRetries { get; init; } = DefaultMaxRetries;

        /// <summary>The first back-off; each retry doubles it, up to <see cref="MaxDelay"/>, with jitter.</summary>
        public TimeSpan InitialDelay { get; init; } = TimeSpan.FromMilliseconds(500);
        public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(8);

        /// <summary>A server that asks for a longer wait than this is not retried: the caller hears at once.</summary>
        public TimeSpan MaxServerRequestedDelay { get; init; } = DefaultMaxServerRequestedDelay;

        private static int _seed = Environment.TickCount;
        private static readonly ThreadLocal<Random> Jitter = new ThreadLocal<Random>(() => new Random(Interlocked.Increment(ref _seed)));

        /// <summary>Whether an answer with this status (and error code) is worth another attempt.</summary>
        public static bool IsRetryableStatus(int status, string? errorCode, bool? shouldRetryHeader)
        {
            if (errorCode == "insufficient_quota" || errorCode == "moderation_blocked") return false;
            // A request refused on its merits stays refused, whatever a header suggests.
            if (status == 400 || status == 401 || status == 403) return false;
            if (shouldRetryHeader is bool told) return told;
            return status == 408 || status == 409 || status == 429 || status >= 500;
        }

        /// <summary>Whether a failure to get any answer (connection refused, reset, cut body) is worth another attempt.</summary>
        public static bool IsRetryableFailure(Exception e) =>
            e is HttpRequestException || e is System.IO.IOException || e is System.IO.InvalidDataException || e is ObjectDisposedException;

        /// <summary>The wait before retry number <paramref name="retry"/> (1-based); null when the server asked for more than we wait.</summary>
        public TimeSpan? DelayBefore(int retry, TimeSpan? serverRequested)
        {
            if (serverRequested is TimeSpan asked)
            {
                if (asked > MaxServerRequestedDelay) return null;
                return asked;
            }
            double exponential = InitialDelay.TotalMilliseconds * Math.Pow(2, retry - 1);
            double capped = Math.Min(exponential, MaxDelay.TotalMilliseconds);
            double jittered = capped * (0.75 + Jitter.Value!.NextDouble() * 0.25);
            return TimeSpan.FromMilliseconds(jittered);
        }
    }
}
