namespace OpenAIImages.Engine.Results
{
    /// <summary>Which endpoint made an image.</summary>
    public enum ImageOperation
    {
        Generation,
        Edit,
        Variation,
    }
}
