namespace OpenAIImages.Engine.Imaging
{
    /// <summary>The IHDR color type byte; the values are the ones the PNG specification assigns.</summary>
    internal enum PngColorType : byte
    {
        Gray = 0,
        Rgb = 2,
        Palette = 3,
        GrayAlpha = 4,
        Rgba = 6,
    }
}
