using System;

namespace OpenAIImages.Engine
{
    /// <summary>The base of every error this module raises on purpose; <see cref="ErrorId"/> is a PascalCase condition name.</summary>
    public class OpenAIImagesException : Exception
    {
        public string ErrorId { get; }

        public OpenAIImagesException(string errorId, string message, Exception? inner = null)
            : base(message, inner)
        {
            ErrorId = errorId;
        }
    }
}
