using OpenAIImages.FakeApi.Validation;

namespace OpenAIImages.FakeApi.Imaging;

/// <summary>Decodes uploaded input images to pixels where the engine has a decoder for the format.</summary>
internal static class InputPixels
{
    // Pending the engine's PNG decoder: until it lands every input takes the generated fallback.
    public static Pixels? TryDecode(InputImage image) => null;
}
