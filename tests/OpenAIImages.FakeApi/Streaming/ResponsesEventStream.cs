using System.Text.Json;
using OpenAIImages.FakeApi.Imaging;
using OpenAIImages.FakeApi.Responses;

namespace OpenAIImages.FakeApi.Streaming;

/// <summary>
/// The server-sent events of a streamed /v1/responses answer, in the order the spec documents: response.created,
/// response.in_progress, then for the image call output_item.added, image_generation_call.in_progress, .generating,
/// partial_image for each partial image, .completed and output_item.done (the item with its result), then the
/// message item, and response.completed with the whole response. Every event has a rising sequence_number.
/// </summary>
internal static class ResponsesEventStream
{
    public static IEnumerable<byte[]> Events(ResponsesEndpoint.ResponsesJob job, byte[] answer)
    {
        using var document = JsonDocument.Parse(answer);
        var response = document.RootElement;
        int sequence = 0;
        yield return Event("response.created", w => WriteResponse(w, response, "in_progress", withOutput: false), ref sequence);
        yield return Event("response.in_progress", w => WriteResponse(w, response, "in_progress", withOutput: false), ref sequence);
        int outputIndex = 0;
        foreach (var item in response.GetProperty("output").EnumerateArray())
        {
            int index = outputIndex++;
            string itemId = item.GetProperty("id").GetString()!;
            bool call = item.GetProperty("type").GetString() == "image_generation_call";
            yield return Event("response.output_item.added", w =>
            {
                w.WriteNumber("output_index", index);
                w.WritePropertyName("item");
                if (call) ResponsesEndpoint.WriteCall(w, job, itemId, null);
                else WriteMessageShell(w, item);
            }, ref sequence);
            if (call)
            {
                yield return Event("response.image_generation_call.in_progress", w => Item(w, index, itemId), ref sequence);
                yield return Event("response.image_generation_call.generating", w => Item(w, index, itemId), ref sequence);
                if (job.Image.PartialImages > 0)
                {
                    var final = JobRenderer.Render(job.Image, 0);
                    for (int partial = 0; partial < job.Image.PartialImages; partial++)
                    {
                        int partialIndex = partial;
                        var file = OutputEncoder.Encode(job.Image.OutputFormat, job.Image.Width, job.Image.Height,
                            EditPainter.Partial(final, job.Image.Width, job.Image.Height, partial, job.Image.PartialImages));
                        yield return Event("response.image_generation_call.partial_image", w =>
                        {
                            Item(w, index, itemId);
                            w.WriteNumber("partial_image_index", partialIndex);
                            w.WriteBase64String("partial_image_b64", file);
                            ResponseJson.WriteSettings(w, job.Image);
                        }, ref sequence);
                    }
                }
                yield return Event("response.image_generation_call.completed", w => Item(w, index, itemId), ref sequence);
            }
            yield return Event("response.output_item.done", w =>
            {
                w.WriteNumber("output_index", index);
                w.WritePropertyName("item");
                item.WriteTo(w);
            }, ref sequence);
        }
        yield return Event("response.completed", w => WriteResponse(w, response, "completed", withOutput: true), ref sequence);
    }

    private static void Item(Utf8JsonWriter w, int outputIndex, string itemId)
    {
        w.WriteNumber("output_index", outputIndex);
        w.WriteString("item_id", itemId);
    }

    private static void WriteMessageShell(Utf8JsonWriter w, JsonElement message)
    {
        w.WriteStartObject();
        w.WriteString("id", message.GetProperty("id").GetString());
        w.WriteString("type", "message");
        w.WriteString("status", "in_progress");
        w.WriteString("role", "assistant");
        w.WriteStartArray("content");
        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>The response object as an event carries it: in progress without output, or complete.</summary>
    private static void WriteResponse(Utf8JsonWriter w, JsonElement response, string status, bool withOutput)
    {
        w.WritePropertyName("response");
        w.WriteStartObject();
        foreach (var property in response.EnumerateObject())
        {
            if (property.Name == "status") w.WriteString("status", status);
            else if (property.Name == "output" && !withOutput)
            {
                w.WriteStartArray("output");
                w.WriteEndArray();
            }
            else if (property.Name == "usage" && !withOutput) w.WriteNull("usage");
            else property.WriteTo(w);
        }
        w.WriteEndObject();
    }

    private static byte[] Event(string type, Action<Utf8JsonWriter> writeData, ref int sequence)
    {
        int number = sequence++;
        return ImageEventStream.Event(type, w =>
        {
            w.WriteString("type", type);
            writeData(w);
            w.WriteNumber("sequence_number", number);
        });
    }
}
