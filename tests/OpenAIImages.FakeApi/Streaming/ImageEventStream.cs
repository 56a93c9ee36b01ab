using System.Text;
using System.Text.Json;
using OpenAIImages.FakeApi.Http;
using OpenAIImages.FakeApi.Imaging;
using OpenAIImages.FakeApi.Recording;
using OpenAIImages.FakeApi.Responses;
using OpenAIImages.FakeApi.Validation;

namespace OpenAIImages.FakeApi.Streaming;

/// <summary>
/// The server-sent events of a streamed generation or edit: for each result image, <c>partial_images</c>
/// partial events then one completed event. Generations use <c>image_generation.*</c>, edits <c>image_edit.*</c>.
/// The completed event of the first image carries the request's input tokens; every completed event carries its
/// own image's output tokens, so adding up the events gives the request's usage.
/// </summary>
internal static class ImageEventStream
{
    public static int EventCount(ImageJob job) => job.N * (job.PartialImages + 1);

    /// <summary>The events in order, each built only when the sender gets to it (images are large).</summary>
    public static IEnumerable<byte[]> Events(ImageJob job, long createdAt)
    {
        string prefix = job.Operation == ApiOperation.Edits ? "image_edit" : "image_generation";
        for (int index = 0; index < job.N; index++)
        {
            var final = JobRenderer.Render(job, index);
            for (int partial = 0; partial < job.PartialImages; partial++)
            {
                var pixels = EditPainter.Partial(final, job.Width, job.Height, partial, job.PartialImages);
                var file = OutputEncoder.Encode(job.OutputFormat, job.Width, job.Height, pixels);
                yield return Event($"{prefix}.partial_image", w =>
                {
                    w.WriteString("type", $"{prefix}.partial_image");
                    w.WriteBase64String("b64_json", file);
                    w.WriteNumber("created_at", createdAt);
                    ResponseJson.WriteSettings(w, job);
                    w.WriteNumber("partial_image_index", partial);
                });
            }
            var encoded = OutputEncoder.Encode(job.OutputFormat, job.Width, job.Height, final);
            var (text, image) = index == 0 ? UsageCalculator.Input(job) : (0, 0);
            var usage = new UsageFigures(text, image, UsageCalculator.OutputPerImage(job));
            yield return Event($"{prefix}.completed", w =>
            {
                w.WriteString("type", $"{prefix}.completed");
                w.WriteBase64String("b64_json", encoded);
                w.WriteNumber("created_at", createdAt);
                ResponseJson.WriteSettings(w, job);
                w.WritePropertyName("usage");
                ResponseJson.WriteUsage(w, usage);
            });
        }
    }

    /// <summary>
    /// The images spec defines no stream error event. This one follows the API's other streams and what the
    /// official SDKs look for: <c>event: error</c> whose data holds an <c>error</c> object of the usual shape
    /// (plus <c>type: "error"</c>).
    /// </summary>
    public static byte[] ErrorEvent(ApiError error) => Event("error", w =>
    {
        w.WriteString("type", "error");
        w.WritePropertyName("error");
        error.WriteErrorObject(w);
    });

    internal static byte[] Event(string name, Action<Utf8JsonWriter> writeData)
    {
        var buffer = new MemoryStream();
        buffer.Write(Encoding.UTF8.GetBytes($"event: {name}\ndata: "));
        using (var writer = JsonOutput.Writer(buffer))
        {
            writer.WriteStartObject();
            writeData(writer);
            writer.WriteEndObject();
        }
        buffer.Write("\n\n"u8);
        return buffer.ToArray();
    }
}
