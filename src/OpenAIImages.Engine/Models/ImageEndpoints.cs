using System;

namespace OpenAIImages.Engine.Models
{
    /// <summary>The Images API endpoints a model can serve.</summary>
    [Flags]
    public enum ImageEndpoints
    {
        None = 0,
        Generations = 1,
        Edits = 2,
        Variations = 4,
    }
}
