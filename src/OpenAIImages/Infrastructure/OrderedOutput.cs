using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using OpenAIImages.Engine.Batching;
using OpenAIImages.Engine.Files;
using OpenAIImages.Engine.Http;
using OpenAIImages.Engine.Results;

namespace OpenAIImages.Infrastructure
{
    /// <summary>
    /// The requests of one call, up to -ThrottleLimit at once, and their outcomes written in input order: images
    /// (saved first when a target is set), and errors in the place of the item that failed.
    /// </summary>
    internal sealed class OrderedOutput : IDisposable
    {
        private readonly OrderedBatch<ItemResult> _batch;
        private readonly AsyncPipeline _pipeline;
        private readonly Action<Exception, object?> _reportFailure;

        /// <summary>
        /// Up to <paramref name="throttleLimit"/> requests at once; <paramref name="reportFailure"/> writes a failed
        /// item's error (or ends the call, when nothing else can succeed).
        /// </summary>
        public OrderedOutput(int throttleLimit, AsyncPipeline pipeline, Action<Exception, object?> reportFailure, CancellationToken cancellation)
        {
            _batch = new OrderedBatch<ItemResult>(throttleLimit, cancellation);
            _pipeline = pipeline;
            _reportFailure = reportFailure;
        }

        /// <summary>Items written so far.</summary>
        public int Done { get; private set; }

        /// <summary>Items queued or in flight.</summary>
        public int InProgress => _batch.Count;

        /// <summary>
        /// Queues one request (which runs when a slot is free), then writes whatever outcomes are ready in input
        /// order; waits while too many finished results wait behind a slow one.
        /// </summary>
        public Task EnqueueAsync(object? target, Func<CancellationToken, Task<IReadOnlyList<GeneratedImage>>> send, ImageSaveTarget saveTarget, ProxySettings? proxy, Action? finished)
        {
            _batch.Add(target, async token =>
            {
                try
                {
                    var images = await send(token).ConfigureAwait(false);
                    return await ImageSaver.SaveAllAsync(images, saveTarget, proxy, token).ConfigureAwait(false);
                }
                finally
                {
                    finished?.Invoke();
                }
            });
            return DrainAsync(untilEmpty: false);
        }

        /// <summary>Keeps an item that failed before sending in its place in the output order.</summary>
        public Task EnqueueFailureAsync(object? target, Exception error)
        {
            _batch.AddFailed(target, error);
            return DrainAsync(untilEmpty: false);
        }

        /// <summary>Waits for every request and writes the rest.</summary>
        public Task FinishAsync() => DrainAsync(untilEmpty: true);

        private async Task DrainAsync(bool untilEmpty)
        {
            foreach (var outcome in _batch.TakeReady()) Write(outcome);
            while (_batch.IsFull || (untilEmpty && _batch.Count > 0))
            {
                var outcome = await _batch.TakeNextAsync().ConfigureAwait(false);
                if (outcome != null) Write(outcome);
            }
        }

        private void Write(BatchOutcome<ItemResult> outcome)
        {
            Done++;
            if (outcome.Error != null)
            {
                _reportFailure(outcome.Error, outcome.Tag);
                return;
            }
            var result = outcome.Result!;
            foreach (var (image, error) in result.SaveErrors) _pipeline.WriteError(ErrorRecords.From(error, image));
            foreach (var image in result.Images)
            {
                if (image.Path != null) _pipeline.WriteVerbose($"Saved {image.Path}");
                _pipeline.WriteObject(image);
            }
        }

        public void Dispose() => _batch.Dispose();
    }
}
