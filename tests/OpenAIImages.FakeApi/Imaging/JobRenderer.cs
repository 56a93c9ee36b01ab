using System.Security.Cryptography;
using OpenAIImages.FakeApi.Recording;
using OpenAIImages.FakeApi.Validation;

namespace OpenAIImages.FakeApi.Imaging;

/// <summary>RGBA pixels in memory.</summary>
internal sealed record Pixels(int Width, int Height, byte[] Rgba);

/// <summary>
/// Produces the pixels of result image <c>index</c> for a validated job. Generations draw from the prompt; edits
/// and variations start from the first input image when it can be decoded (PNG), so the output visibly depends
/// on what was uploaded; other inputs (JPEG, WebP, URLs, file ids) fall back to a drawing seeded by the prompt.
/// </summary>
internal static class JobRenderer
{
    public static byte[] Render(ImageJob job, int index)
    {
        int w = job.Width, h = job.Height;
        return job.Operation switch
        {
            ApiOperation.Edits => RenderEdit(job, index),
            ApiOperation.Variations => RenderVariation(job, index),
            _ => ImageRenderer.Render(job.Prompt, index, w, h, job.TransparentBackground),
        };
    }

    private static byte[] RenderEdit(ImageJob job, int index)
    {
        int w = job.Width, h = job.Height;
        var source = InputPixels.TryDecode(job.Images[0]);
        if (source is null) return ImageRenderer.Render(job.Prompt, index, w, h, job.TransparentBackground);

        var colour = ImageRenderer.PromptColour(job.Prompt, index);
        var resized = EditPainter.Resize(source.Rgba, source.Width, source.Height, w, h);
        if (job.Mask is not null && InputPixels.TryDecode(job.Mask) is { } mask)
            return EditPainter.PaintTransparentArea(resized, EditPainter.Resize(mask.Rgba, mask.Width, mask.Height, w, h), colour);
        // DALL·E 2 without a mask edits the image's own transparent area; GPT models change the whole picture.
        return job.Model.InputMustBeSquarePng
            ? EditPainter.PaintTransparentArea(resized, resized, colour)
            : EditPainter.Tint(resized, colour);
    }

    private static byte[] RenderVariation(ImageJob job, int index)
    {
        int w = job.Width, h = job.Height;
        var input = job.Images[0];
        string seed = "variation:" + Convert.ToHexString(SHA256.HashData(input.Data ?? Array.Empty<byte>()));
        var source = InputPixels.TryDecode(input);
        if (source is null) return ImageRenderer.Render(seed, index, w, h, transparentBackground: false);
        var resized = EditPainter.Resize(source.Rgba, source.Width, source.Height, w, h);
        return EditPainter.Tint(resized, ImageRenderer.PromptColour(seed, index));
    }
}
