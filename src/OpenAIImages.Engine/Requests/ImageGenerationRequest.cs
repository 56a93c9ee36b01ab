namespace OpenAIImages.Engine.Requests
{
    /// <summary>POST /v1/images/generations: a prompt to images.</summary>
    public sealed class ImageGenerationRequest : PromptedImageRequest
    {
        /// <summary><c>vivid</c> or <c>natural</c>, dall-e-3 only.</summary>
        public string? Style { get; set; }
    }
}
