using OpenAIImages.FakeApi.Validation;

namespace OpenAIImages.FakeApi.Imaging;

/// <summary>The pixels of an input image, where validation could decode it (PNG uploads and PNG data URLs).</summary>
internal static class InputPixels
{
    public static Pixels? TryDecode(InputImage image) =>
        image.Pixels is { } decoded ? new Pixels(decoded.Width, decoded.Height, decoded.Pixels) : null;
}
