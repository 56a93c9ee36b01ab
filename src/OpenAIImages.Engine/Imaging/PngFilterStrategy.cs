namespace OpenAIImages.Engine.Imaging
{
    /// <summary>How the encoder picks the PNG filter of each row.</summary>
    public enum PngFilterStrategy
    {
        /// <summary>Every row unfiltered.</summary>
        None = 0,
        Sub = 1,
        Up = 2,
        Average = 3,
        Paeth = 4,

        /// <summary>Per row, the filter whose output has the smallest sum of absolute values (bytes read as signed), as libpng does.</summary>
        Adaptive = 5,
    }
}
