namespace OpenAIImages.Engine.Models
{
    /// <summary>Broad kinds of image model; the rules differ most between them.</summary>
    public enum ModelFamily
    {
        /// <summary>A name the catalog does not know: only generic checks apply.</summary>
        Unknown = 0,
        GptImage,
        DallE2,
        DallE3,
    }
}
