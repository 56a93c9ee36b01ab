namespace OpenAIImages.Engine.Validation
{
    /// <summary>
    /// A request that cannot succeed, found before anything is sent. <see cref="OpenAIImagesException.ErrorId"/>
    /// names the condition; the message says what to change.
    /// </summary>
    public sealed class ImageRequestException : OpenAIImagesException
    {
        /// <summary>The request field at fault, in the API's spelling (e.g. <c>size</c>), when one is.</summary>
        public string? ParameterName { get; }

        public ImageRequestException(string errorId, string message, string? parameterName = null)
            : base(errorId, message)
        {
            ParameterName = parameterName;
        }
    }
}
