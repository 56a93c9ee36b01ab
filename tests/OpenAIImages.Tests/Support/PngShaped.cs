namespace OpenAIImages.Tests;

/// <summary>
/// Arbitrary bytes dressed as a PNG: the signature before them and an IEND chunk after. A returned image must look
/// like an image that ends where it should (anything else is OpenAIResponseInvalid), while tests of decoding exactness
/// want payloads of their own choosing; the header is not one a reader can measure.
/// </summary>
internal static class PngShaped
{
    private static readonly byte[] Signature = { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A };
    private static readonly byte[] End = { 0, 0, 0, 0, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82 };

    public static byte[] Around(byte[] payload) => Signature.Concat(payload).Concat(End).ToArray();
}
