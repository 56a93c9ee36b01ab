namespace OpenAIImages.Engine.Http
{
    /// <summary>No usable answer came back: the connection failed, the request timed out, or the response was not what the API sends.</summary>
    public sealed class OpenAITransportException : OpenAIImagesException
    {
        public const string ConnectionFailed = ErrorIds.OpenAIConnectionFailed;
        public const string TimedOut = ErrorIds.OpenAIRequestTimedOut;
        public const string ResponseInvalid = ErrorIds.OpenAIResponseInvalid;

        public string? RequestId { get; }

        public OpenAITransportException(string errorId, string message, string? requestId = null, System.Exception? inner = null)
            : base(errorId, requestId == null ? message : message + " Request id: " + requestId + ".", inner)
        {
            RequestId = requestId;
        }
    }
}
