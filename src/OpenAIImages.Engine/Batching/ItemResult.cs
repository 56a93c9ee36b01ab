using System;
using System.Collections.Generic;
using OpenAIImages.Engine.Results;

namespace OpenAIImages.Engine.Batching
{
    /// <summary>The images one pipeline item produced, and the saves that failed (the images are kept all the same).</summary>
    public sealed class ItemResult
    {
        public IReadOnlyList<GeneratedImage> Images { get; }
        public IReadOnlyList<(GeneratedImage Image, Exception Error)> SaveErrors { get; }

        public ItemResult(IReadOnlyList<GeneratedImage> images, IReadOnlyList<(GeneratedImage, Exception)> saveErrors)
        {
            Images = images;
            SaveErrors = saveErrors;
        }
    }
}
