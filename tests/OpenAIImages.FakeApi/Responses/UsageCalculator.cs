using OpenAIImages.FakeApi.Validation;

namespace OpenAIImages.FakeApi.Responses;

/// <summary>Usage for a GPT image job, from <see cref="TokenTable"/>.</summary>
internal static class UsageCalculator
{
    /// <summary>Input tokens of the request: the prompt's text plus a flat figure per input image (masks are free).</summary>
    public static (int Text, int Image) Input(ImageJob job) =>
        (TokenTable.TextTokens(job.Prompt), job.Images.Count * TokenTable.InputImageTokens);

    /// <summary>Output tokens of one result image, partial images of a stream included.</summary>
    public static int OutputPerImage(ImageJob job) =>
        TokenTable.OutputTokens(job.Quality, job.Width, job.Height) + job.PartialImages * TokenTable.PartialImageTokens;

    /// <summary>The whole request: every image's output, the input once.</summary>
    public static UsageFigures Total(ImageJob job)
    {
        var (text, image) = Input(job);
        return new UsageFigures(text, image, job.N * OutputPerImage(job));
    }
}
