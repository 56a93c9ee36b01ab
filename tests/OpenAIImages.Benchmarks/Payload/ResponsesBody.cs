using System.Text;

namespace OpenAIImages.Benchmarks.Payload;

/// <summary>
/// A Response as /v1/responses sends it for the image tool: the image_generation_call item (with its base64 result
/// and revised prompt) first, a short message after it, then usage. Built the same way in the server and in the
/// benchmark, from one deterministic noisy 1536x1024 PNG, so the benchmark can check the image it gets back.
/// </summary>
public sealed class ResponsesBody
{
    private ResponsesBody(byte[] image, byte[] json)
    {
        Image = image;
        Json = json;
    }

    public byte[] Image { get; }
    public byte[] Json { get; }

    public static ResponsesBody Build()
    {
        var image = NoisyImages.Png(1536, 1024, seed: 100);
        var json = new StringBuilder(image.Length / 3 * 4 + 1024);
        json.Append("{\"id\":\"resp_benchmark\",\"object\":\"response\",\"created_at\":1750000000,\"status\":\"completed\",\"model\":\"gpt-5.5\",\"output\":[");
        json.Append("{\"id\":\"ig_benchmark\",\"type\":\"image_generation_call\",\"status\":\"completed\",\"action\":\"generate\",");
        json.Append("\"background\":\"opaque\",\"output_format\":\"png\",\"quality\":\"high\",\"size\":\"1536x1024\",\"revised_prompt\":\"A photograph of a harbour at dusk, warm light\",");
        json.Append("\"result\":\"").Append(Convert.ToBase64String(image)).Append("\"},");
        json.Append("{\"id\":\"msg_benchmark\",\"type\":\"message\",\"status\":\"completed\",\"role\":\"assistant\",\"content\":[{\"type\":\"output_text\",\"text\":\"Here is the image.\",\"annotations\":[]}]}],");
        json.Append("\"usage\":{\"input_tokens\":40,\"input_tokens_details\":{\"cached_tokens\":0},\"output_tokens\":6220,\"output_tokens_details\":{\"reasoning_tokens\":0},\"total_tokens\":6260}}");
        return new ResponsesBody(image, Encoding.UTF8.GetBytes(json.ToString()));
    }
}
