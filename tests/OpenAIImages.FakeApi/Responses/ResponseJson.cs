using System.Text.Json;
using OpenAIImages.FakeApi.Http;
using OpenAIImages.Engine.Imaging;
using OpenAIImages.FakeApi.Validation;

namespace OpenAIImages.FakeApi.Responses;

/// <summary>Writes ImagesResponse bodies and the shared pieces of stream events.</summary>
internal static class ResponseJson
{
    /// <param name="images">Encoded result files, one per <c>n</c>.</param>
    /// <param name="urlFor">Stores a file and returns its absolute URL (DALL·E URL answers).</param>
    public static byte[] ImagesResponse(ImageJob job, IReadOnlyList<byte[]> images, Func<byte[], string> urlFor, long created)
    {
        var buffer = new MemoryStream();
        using (var writer = JsonOutput.Writer(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("created", created);
            writer.WriteStartArray("data");
            foreach (var image in images)
            {
                writer.WriteStartObject();
                if (job.ReturnUrl) writer.WriteString("url", urlFor(image));
                else writer.WriteBase64String("b64_json", image);
                if (job.Style is not null) writer.WriteString("revised_prompt", RevisedPrompt(job));
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            if (job.Model.IsGptImage)
            {
                WriteSettings(writer, job);
                writer.WritePropertyName("usage");
                WriteUsage(writer, UsageCalculator.Total(job));
            }
            writer.WriteEndObject();
        }
        return buffer.ToArray();
    }

    /// <summary>background, output_format, size and quality as GPT answers and stream events report them.</summary>
    public static void WriteSettings(Utf8JsonWriter writer, ImageJob job)
    {
        writer.WriteString("background", job.Background);
        writer.WriteString("output_format", job.OutputFormat.ApiName());
        writer.WriteString("size", job.SizeLabel);
        writer.WriteString("quality", job.Quality);
    }

    public static void WriteUsage(Utf8JsonWriter writer, UsageFigures usage)
    {
        writer.WriteStartObject();
        writer.WriteNumber("input_tokens", usage.InputTokens);
        writer.WriteStartObject("input_tokens_details");
        writer.WriteNumber("text_tokens", usage.TextTokens);
        writer.WriteNumber("image_tokens", usage.ImageTokens);
        writer.WriteEndObject();
        writer.WriteNumber("output_tokens", usage.OutputTokens);
        writer.WriteStartObject("output_tokens_details");
        writer.WriteNumber("image_tokens", usage.OutputTokens);
        writer.WriteNumber("text_tokens", 0);
        writer.WriteEndObject();
        writer.WriteNumber("total_tokens", usage.TotalTokens);
        writer.WriteEndObject();
    }

    /// <summary>DALL·E 3 rewrites prompts; the fake's rewrite is recognisable and keeps the original.</summary>
    public static string RevisedPrompt(ImageJob job) => $"A {job.Style} rendering of: {job.Prompt}";
}
