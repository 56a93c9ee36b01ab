using System.Text;

namespace OpenAIImages.Benchmarks.Payload;

/// <summary>
/// A complete Images API response body as the service sends it for gpt-image-1: created, n items of b64_json,
/// then background, output_format, quality, size and usage. Both clients under test parse exactly these bytes.
/// </summary>
public sealed class ImagesResponseBody
{
    public ImagesResponseBody(IReadOnlyList<byte[]> images, byte[] json)
    {
        Images = images;
        Json = json;
    }

    /// <summary>The image files the body carries, in order.</summary>
    public IReadOnlyList<byte[]> Images { get; }

    public byte[] Json { get; }

    public long DecodedBytes => Images.Sum(i => (long)i.Length);

    public static ImagesResponseBody For(IReadOnlyList<byte[]> images, string size)
    {
        var json = new StringBuilder(images.Sum(i => i.Length / 3 * 4 + 64) + 512);
        json.Append("{\"created\":1750000000,\"data\":[");
        for (int i = 0; i < images.Count; i++)
        {
            if (i > 0) json.Append(',');
            json.Append("{\"b64_json\":\"").Append(Convert.ToBase64String(images[i])).Append("\"}");
        }
        json.Append("],\"background\":\"opaque\",\"output_format\":\"png\",\"quality\":\"high\",\"size\":\"").Append(size).Append("\",");
        json.Append("\"usage\":{\"input_tokens\":12,\"input_tokens_details\":{\"image_tokens\":0,\"text_tokens\":12},");
        json.Append($"\"output_tokens\":{6208 * images.Count},\"total_tokens\":{12 + 6208 * images.Count}}}}}");
        return new ImagesResponseBody(images, Encoding.UTF8.GetBytes(json.ToString()));
    }

    /// <summary>n noisy PNGs of the given size, built in parallel (each image is independent and deterministic).</summary>
    public static ImagesResponseBody Noisy(int count, int width, int height)
    {
        var images = new byte[count][];
        Parallel.For(0, count, i => images[i] = NoisyImages.Png(width, height, seed: i));
        return For(images, $"{width}x{height}");
    }
}
