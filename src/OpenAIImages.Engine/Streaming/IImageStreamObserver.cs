namespace OpenAIImages.Engine.Streaming
{
    /// <summary>
    /// Told about each image of a streamed request as it arrives: the partial images of an image in order, then
    /// the image itself. Calls come one at a time, on whatever thread reads the stream, and the stream waits while
    /// a call runs: queue the work and return (the cmdlets hand the records to the pipeline thread). An exception
    /// thrown here ends the request with that exception.
    /// </summary>
    public interface IImageStreamObserver
    {
        /// <summary>A partial image: <see cref="ImageStreamProgress.Image"/> has <c>IsPartial</c> set and its bytes decoded.</summary>
        void OnPartialImage(ImageStreamProgress progress);

        /// <summary>A final image, the same object the request returns at the end.</summary>
        void OnImageCompleted(ImageStreamProgress progress);
    }
}
