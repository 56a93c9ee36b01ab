using System;

namespace OpenAIImages.Engine.Imaging
{
    /// <summary>
    /// The one exception image decoding throws for bad input, whatever went wrong inside. It derives from
    /// <see cref="Exception"/> because the framework's InvalidDataException is sealed.
    /// </summary>
    public sealed class ImageDecodeException : Exception
    {
        public ImageDecodeFailure Failure { get; }

        public ImageDecodeException(ImageDecodeFailure failure, string message)
            : base(message)
        {
            Failure = failure;
        }

        public ImageDecodeException(ImageDecodeFailure failure, string message, Exception innerException)
            : base(message, innerException)
        {
            Failure = failure;
        }

        internal static ImageDecodeException Corrupt(string message) => new ImageDecodeException(ImageDecodeFailure.Corrupt, message);

        internal static ImageDecodeException Truncated(string message) => new ImageDecodeException(ImageDecodeFailure.Truncated, message);
    }
}
