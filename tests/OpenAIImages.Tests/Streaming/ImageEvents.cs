using System.Text;
using System.Text.Json;
using OpenAIImages.Engine.Imaging;
using OpenAIImages.Engine.Streaming;

namespace OpenAIImages.Tests.Streaming;

/// <summary>Writes image stream events as the spec's examples show them, around image bytes the test keeps.</summary>
internal static class ImageEvents
{
    public const long CreatedAt = 1_720_000_000;

    /// <summary>A real PNG whose pixels differ by <paramref name="shade"/>, so every image in a test has its own bytes.</summary>
    public static byte[] Png(int width, int height, byte shade)
    {
        var rgba = new byte[width * height * 4];
        for (int i = 0; i < rgba.Length; i += 4)
        {
            rgba[i] = shade;
            rgba[i + 1] = (byte)(i / 4);
            rgba[i + 2] = (byte)(255 - shade);
            rgba[i + 3] = 255;
        }
        return PngEncoder.EncodeRgba(width, height, rgba);
    }

    public static string Partial(string prefix, byte[] bytes, int index, string? eventName = "", Action<Utf8JsonWriter>? extra = null) =>
        Sse(eventName == "" ? prefix + ".partial_image" : eventName, Json(prefix + ".partial_image", bytes, index, usage: false, extra));

    public static string Completed(string prefix, byte[] bytes, string? eventName = "", Action<Utf8JsonWriter>? extra = null, bool withType = true) =>
        Sse(eventName == "" ? prefix + ".completed" : eventName, Json(withType ? prefix + ".completed" : null, bytes, null, usage: true, extra));

    /// <summary>One event: an optional <c>event:</c> line, one <c>data:</c> line, a blank line.</summary>
    public static string Sse(string? eventName, string data) => (eventName == null ? "" : $"event: {eventName}\n") + $"data: {data}\n\n";

    public static string Json(string? type, byte[]? bytes, int? partialIndex, bool usage, Action<Utf8JsonWriter>? extra = null)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            if (type != null) w.WriteString("type", type);
            if (bytes != null) w.WriteString("b64_json", Convert.ToBase64String(bytes));
            w.WriteNumber("created_at", CreatedAt);
            w.WriteString("size", "1024x1024");
            w.WriteString("quality", "high");
            w.WriteString("background", "transparent");
            w.WriteString("output_format", "png");
            if (partialIndex is int index) w.WriteNumber("partial_image_index", index);
            if (usage)
            {
                w.WriteStartObject("usage");
                w.WriteNumber("total_tokens", 4260);
                w.WriteNumber("input_tokens", 50);
                w.WriteNumber("output_tokens", 4210);
                w.WriteStartObject("input_tokens_details");
                w.WriteNumber("text_tokens", 10);
                w.WriteNumber("image_tokens", 40);
                w.WriteEndObject();
                w.WriteEndObject();
            }
            extra?.Invoke(w);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}

/// <summary>Keeps every callback, in order, and can act on each one as it comes.</summary>
internal sealed class RecordingObserver : IImageStreamObserver
{
    private readonly Action<ImageStreamProgress>? _onEach;

    public RecordingObserver(Action<ImageStreamProgress>? onEach = null)
    {
        _onEach = onEach;
    }

    public List<(string Kind, ImageStreamProgress Progress)> Calls { get; } = new();

    public void OnPartialImage(ImageStreamProgress progress)
    {
        Calls.Add(("partial", progress));
        _onEach?.Invoke(progress);
    }

    public void OnImageCompleted(ImageStreamProgress progress)
    {
        Calls.Add(("completed", progress));
        _onEach?.Invoke(progress);
    }
}
