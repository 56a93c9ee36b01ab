namespace OpenAIImages.Engine.Results
{
    /// <summary>Token usage of the request that produced an image (GPT image models report it; DALL·E does not).</summary>
    public sealed class ImageUsage
    {
        public long InputTokens { get; init; }
        public long OutputTokens { get; init; }
        public long TotalTokens { get; init; }
        public long? InputTextTokens { get; init; }
        public long? InputImageTokens { get; init; }
        public long? OutputImageTokens { get; init; }
        public long? OutputTextTokens { get; init; }

        public override string ToString() => $"{TotalTokens} tokens ({InputTokens} in, {OutputTokens} out)";
    }
}
