using System;
using System.Management.Automation;
using System.Threading;

namespace OpenAIImages.Infrastructure
{
    /// <summary>
    /// The progress records of one call: one activity per cmdlet, showing while the call waits for the server that
    /// it is alive and how far it is, with a child activity for each streamed request; completed when the call ends.
    /// </summary>
    internal sealed class CallProgress
    {
        private readonly string _commandName;
        private int _streamActivities;

        public CallProgress(string commandName)
        {
            _commandName = commandName;
            // Stable across processes (string.GetHashCode is not), and distinct per cmdlet.
            int id = 17;
            foreach (char c in commandName) id = unchecked(id * 31 + c);
            ActivityId = (id & 0x3FFF) * 1000 + 1;
        }

        /// <summary>The call's own activity; per-request records are its children.</summary>
        public int ActivityId { get; }

        /// <summary>What the call is working on, shown while it waits.</summary>
        public string? CurrentItem { get; set; }

        /// <summary>A child activity id for one streamed request.</summary>
        public int NextChildActivityId() => ActivityId + 1 + (Interlocked.Increment(ref _streamActivities) % 997);

        /// <summary>After a moment's silence (image requests take up to two minutes), shows that the call is alive.</summary>
        public void ShowWaiting(AsyncPipeline pipeline, TimeSpan elapsed, int done, int inProgress, DateTimeOffset? retryingUntil = null)
        {
            if (retryingUntil is DateTimeOffset until && until > DateTimeOffset.UtcNow)
            {
                // A wait the server asked for (or a back-off): count it down, as PowerShell shows SecondsRemaining.
                int remaining = (int)Math.Ceiling((until - DateTimeOffset.UtcNow).TotalSeconds);
                pipeline.WriteProgress(new ProgressRecord(ActivityId, _commandName, $"Waiting {remaining} s before retrying, as the server asked")
                {
                    CurrentOperation = CurrentItem == null ? null : Shorten(CurrentItem),
                    SecondsRemaining = remaining,
                });
                return;
            }
            if (elapsed < TimeSpan.FromSeconds(2)) return;
            string status = done == 0 && inProgress <= 1
                ? $"Waiting for the server: {elapsed.TotalSeconds:0} s"
                : $"{done} done, {inProgress} in progress: {elapsed.TotalSeconds:0} s";
            pipeline.WriteProgress(new ProgressRecord(ActivityId, _commandName, status)
            {
                CurrentOperation = CurrentItem == null ? null : Shorten(CurrentItem),
            });
        }

        public void Complete(AsyncPipeline pipeline) =>
            pipeline.WriteProgress(new ProgressRecord(ActivityId, _commandName, "Done") { RecordType = ProgressRecordType.Completed });

        /// <summary>A prompt or path as a progress activity or -WhatIf target shows it: 60 characters at most.</summary>
        public static string Shorten(string text) => text.Length <= 60 ? text : text.Substring(0, 57) + "...";
    }
}
