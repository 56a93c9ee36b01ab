using System;

namespace OpenAIImages.Engine.Results
{
    /// <summary>Unix timestamps from responses and stream events.</summary>
    internal static class UnixTime
    {
        private const long MinSeconds = -62135596800, MaxSeconds = 253402300799;

        /// <summary>
        /// The time, or null when there is none or it lies outside what DateTimeOffset holds (years 1 to 9999): a
        /// server that sends milliseconds where the spec says seconds costs the timestamp, not the images.
        /// </summary>
        public static DateTimeOffset? FromSeconds(long? seconds) =>
            seconds is long s && s >= MinSeconds && s <= MaxSeconds ? DateTimeOffset.FromUnixTimeSeconds(s) : (DateTimeOffset?)null;
    }
}
