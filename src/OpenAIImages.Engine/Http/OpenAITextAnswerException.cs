namespace OpenAIImages.Engine.Http
{
    /// <summary>
    /// The mainline model answered with text and made no image (a refusal, a question back). The text is what the
    /// user needs to see, so it is the heart of the message.
    /// </summary>
    public sealed class OpenAITextAnswerException : OpenAIImagesException
    {
        /// <summary>The model's words.</summary>
        public string Text { get; }

        public string? ResponseId { get; }
        public string? RequestId { get; }

        public OpenAITextAnswerException(string model, string text, string? responseId, string? requestId)
            : base(ErrorIds.OpenAIAnsweredWithText, Describe(model, text, responseId, requestId))
        {
            Text = text;
            ResponseId = responseId;
            RequestId = requestId;
        }

        private static string Describe(string model, string text, string? responseId, string? requestId) =>
            $"{model} answered with text and made no image: \"{(string.IsNullOrWhiteSpace(text) ? "(no text)" : text.Trim())}\" Change the prompt (or answer its question), and send it again." +
            (responseId == null ? "" : $" Response id: {responseId}.") + (requestId == null ? "" : $" Request id: {requestId}.");
    }
}
