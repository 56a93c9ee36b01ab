using OpenAIImages.Engine.Imaging;

namespace OpenAIImages.FakeApi.Imaging;

/// <summary>Turns RGBA pixels into the file format a request asked for.</summary>
public static class OutputEncoder
{
    public static byte[] Encode(ImageFormat format, int width, int height, byte[] rgba) => format switch
    {
        ImageFormat.Png => PngEncoder.EncodeRgba(width, height, rgba),
        ImageFormat.Jpeg => JpegWriter.Encode(width, height, rgba),
        ImageFormat.WebP => WebPWriter.Encode(width, height, rgba),
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "No encoder for this format."),
    };

    public static ImageFormat FromApiName(string? outputFormat) => outputFormat switch
    {
        null or "png" => ImageFormat.Png,
        "jpeg" => ImageFormat.Jpeg,
        "webp" => ImageFormat.WebP,
        _ => throw new ArgumentOutOfRangeException(nameof(outputFormat), outputFormat, "Unknown output format."),
    };
}
