using System;

namespace OpenAIImages.Engine.Imaging
{
    /// <summary>
    /// The one exception image decoding throws for bad input, whatever went wrong inside; one of the module's own, so
    /// its error id names the condition like every other: ImageCorrupt, ImageTooLarge, or ImageFormatUnsupported
    /// (MaskFormatUnsupported where the image is a mask).
    /// </summary>
    public sealed class ImageDecodeException : OpenAIImagesException
    {
        public ImageDecodeFailure Failure { get; }

        public ImageDecodeException(ImageDecodeFailure failure, string message, Exception? innerException = null, string? errorId = null)
            : base(errorId ?? IdFor(failure), message, innerException)
        {
            Failure = failure;
        }

        private static string IdFor(ImageDecodeFailure failure) => failure switch
        {
            ImageDecodeFailure.UnsupportedFormat => ErrorIds.ImageFormatUnsupported,
            ImageDecodeFailure.LimitExceeded => ErrorIds.ImageTooLarge,
            _ => ErrorIds.ImageCorrupt,
        };

        internal static ImageDecodeException Corrupt(string message) => new ImageDecodeException(ImageDecodeFailure.Corrupt, message);

        internal static ImageDecodeException Truncated(string message) => new ImageDecodeException(ImageDecodeFailure.Truncated, message);
    }
}
