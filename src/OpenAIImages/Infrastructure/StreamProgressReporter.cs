using System;
using System.IO;
using System.Management.Automation;
using OpenAIImages.Engine;
using OpenAIImages.Engine.Files;
using OpenAIImages.Engine.Streaming;

namespace OpenAIImages.Infrastructure
{
    /// <summary>
    /// Turns one streamed request's partial images into a progress record of its own (activity: the prompt; status:
    /// "Partial image 2 of 3"), and, with -IncludePartialImages, into output objects, saved when saving was asked for.
    /// The record is completed when the request ends, however it ends.
    /// </summary>
    internal sealed class StreamProgressReporter : IImageStreamObserver
    {
        private readonly AsyncPipeline _pipeline;
        private readonly int _activityId;
        private readonly int _parentActivityId;
        private readonly string _activity;
        private readonly bool _emitPartials;
        private readonly ImageSaveTarget? _saveTarget;

        public StreamProgressReporter(AsyncPipeline pipeline, int activityId, int parentActivityId, string activity, bool emitPartials, ImageSaveTarget? saveTarget)
        {
            _pipeline = pipeline;
            _activityId = activityId;
            _parentActivityId = parentActivityId;
            _activity = activity;
            _emitPartials = emitPartials;
            _saveTarget = saveTarget;
        }

        public void OnPartialImage(ImageStreamProgress progress)
        {
            Report(progress.StatusDescription, progress.PercentComplete);
            if (!_emitPartials) return;
            if (_saveTarget != null && !_saveTarget.IsEmpty)
            {
                try
                {
                    ImageSaver.SaveAsync(progress.Image, progress.ImageCount, _saveTarget, null, default).GetAwaiter().GetResult();
                }
                catch (Exception e) when (e is OpenAIImagesException || e is IOException || e is UnauthorizedAccessException)
                {
                    _pipeline.WriteError(ErrorRecords.From(e, progress.Image));
                }
            }
            _pipeline.WriteObject(progress.Image);
        }

        public void OnImageCompleted(ImageStreamProgress progress) => Report(progress.StatusDescription, progress.PercentComplete);

        /// <summary>Ends the record: after the final image, an error, or Ctrl+C.</summary>
        public void Complete()
        {
            _pipeline.WriteProgress(new ProgressRecord(_activityId, _activity, "Done") { ParentActivityId = _parentActivityId, RecordType = ProgressRecordType.Completed });
        }

        private void Report(string status, int percent)
        {
            _pipeline.WriteProgress(new ProgressRecord(_activityId, _activity, status)
            {
                ParentActivityId = _parentActivityId,
                PercentComplete = Math.Max(0, Math.Min(100, percent)),
            });
        }
    }
}
