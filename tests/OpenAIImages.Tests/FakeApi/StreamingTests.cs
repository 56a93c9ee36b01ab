using System.Diagnostics;
using System.Net;
using System.Text.Json;
using OpenAIImages.Engine.Imaging;
using OpenAIImages.FakeApi;
using OpenAIImages.FakeApi.Faults;
using OpenAIImages.FakeApi.Responses;
using Xunit;

namespace OpenAIImages.Tests.FakeApi;

public sealed class StreamingTests
{
    private const string StreamBody = """{"model":"gpt-image-2","prompt":"a comet","size":"64x48","quality":"low","stream":true,"partial_images":2}""";

    private static async Task<(HttpResponseMessage Response, List<SseEvent> Events)> StreamAsync(HttpClient client, string path, HttpContent content)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (response, await SseReader.ReadAllAsync(await response.Content.ReadAsStreamAsync()));
    }

    [Fact]
    public async Task GenerationStreamsPartialsThenCompletedWithSpecFields()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        using var client = FakeApiHttp.Client(server);
        var (response, events) = await StreamAsync(client, "v1/images/generations", FakeApiHttp.Json(StreamBody));
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(new[] { "image_generation.partial_image", "image_generation.partial_image", "image_generation.completed" }, events.Select(e => e.Name));
        Assert.All(events, e => Assert.Equal(e.Name, e.Data.GetProperty("type").GetString()));

        for (int i = 0; i < 2; i++)
        {
            var partial = events[i].Data;
            Assert.Equal(i, partial.GetProperty("partial_image_index").GetInt32());
            AssertSettings(partial);
            Assert.False(partial.TryGetProperty("usage", out _));
        }
        var completed = events[2].Data;
        AssertSettings(completed);
        Assert.False(completed.TryGetProperty("partial_image_index", out _));
        var usage = completed.GetProperty("usage");
        // 64x48 low: 272 x 3072 / 1048576 = 0.8 -> 1, plus 100 for each of the 2 partial images.
        Assert.Equal(1 + 2 * TokenTable.PartialImageTokens, usage.GetProperty("output_tokens").GetInt32());
        Assert.Equal(2, usage.GetProperty("input_tokens_details").GetProperty("text_tokens").GetInt32());

        // Partial images differ from each other and from the final image.
        var images = events.Select(e => Convert.FromBase64String(e.Data.GetProperty("b64_json").GetString()!)).ToList();
        Assert.Equal(3, images.Distinct(new BytesComparer()).Count());
        Assert.True(server.Requests.Single().Streamed);
    }

    private static void AssertSettings(JsonElement e)
    {
        var image = ImageInfo.TryRead(Convert.FromBase64String(e.GetProperty("b64_json").GetString()!))!;
        Assert.Equal((ImageFormat.Png, 64, 48), (image.Format, image.Width, image.Height));
        Assert.True(e.GetProperty("created_at").GetInt64() > 1_600_000_000);
        Assert.Equal("64x48", e.GetProperty("size").GetString());
        Assert.Equal("low", e.GetProperty("quality").GetString());
        Assert.Equal("opaque", e.GetProperty("background").GetString());
        Assert.Equal("png", e.GetProperty("output_format").GetString());
    }

    [Fact]
    public async Task ZeroPartialImagesSendsOnlyTheCompletedEvent()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        using var client = FakeApiHttp.Client(server);
        var (_, events) = await StreamAsync(client, "v1/images/generations",
            FakeApiHttp.Json("""{"model":"gpt-image-1","prompt":"x","quality":"low","stream":true,"output_format":"webp"}"""));
        var completed = Assert.Single(events);
        Assert.Equal("image_generation.completed", completed.Name);
        Assert.Equal(272, completed.Data.GetProperty("usage").GetProperty("output_tokens").GetInt32());
        Assert.Equal(ImageFormat.WebP, ImageInfo.TryRead(Convert.FromBase64String(completed.Data.GetProperty("b64_json").GetString()!))!.Format);
    }

    [Fact]
    public async Task EditsStreamImageEditEvents()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        using var client = FakeApiHttp.Client(server);
        var form = FakeApiHttp.Form(("model", "gpt-image-1"), ("prompt", "x"), ("quality", "low"), ("stream", "true"), ("partial_images", "1"))
            .AddFile("image[]", TestImages.SolidPng(16, 16, 1, 2, 3)).AddFile("image[]", TestImages.SolidPng(16, 16, 4, 5, 6));
        var (_, events) = await StreamAsync(client, "v1/images/edits", form);
        Assert.Equal(new[] { "image_edit.partial_image", "image_edit.completed" }, events.Select(e => e.Name));
        var usage = events[1].Data.GetProperty("usage");
        Assert.Equal(2 * TokenTable.InputImageTokens, usage.GetProperty("input_tokens_details").GetProperty("image_tokens").GetInt32());
        Assert.Equal(272 + 100, usage.GetProperty("output_tokens").GetInt32());
    }

    [Fact]
    public async Task SeveralImagesAddUpToTheRequestUsage()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        using var client = FakeApiHttp.Client(server);
        const string prompt = "twelve chars";
        var (_, events) = await StreamAsync(client, "v1/images/generations",
            FakeApiHttp.Json($$"""{"model":"gpt-image-1","prompt":"{{prompt}}","quality":"medium","stream":true,"partial_images":1,"n":2}"""));
        Assert.Equal(new[] { "image_generation.partial_image", "image_generation.completed", "image_generation.partial_image", "image_generation.completed" }, events.Select(e => e.Name));
        var completed = events.Where(e => e.Name.EndsWith(".completed")).Select(e => e.Data.GetProperty("usage")).ToList();
        Assert.Equal(2 * (1056 + 100), completed.Sum(u => u.GetProperty("output_tokens").GetInt32()));
        Assert.Equal(3, completed.Sum(u => u.GetProperty("input_tokens").GetInt32()));
    }

    [Fact]
    public async Task DallEModelsCannotStream()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        using var client = FakeApiHttp.Client(server);
        var response = await client.GenerateAsync("""{"model":"dall-e-2","prompt":"x","stream":true}""");
        await response.AssertInvalidAsync("stream", "unsupported_parameter");
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task EventsArePacedByTheInterval()
    {
        await using var server = await FakeOpenAIServer.StartAsync(new FakeServerOptions { StreamEventInterval = TimeSpan.FromMilliseconds(150) });
        using var client = FakeApiHttp.Client(server);
        var clock = Stopwatch.StartNew();
        var (_, events) = await StreamAsync(client, "v1/images/generations", FakeApiHttp.Json(StreamBody));
        Assert.Equal(3, events.Count);
        Assert.True(clock.ElapsedMilliseconds >= 280, $"took {clock.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task TinyWritesCarryTheSameEvents()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        using var client = FakeApiHttp.Client(server);
        var (_, whole) = await StreamAsync(client, "v1/images/generations", FakeApiHttp.Json(StreamBody));
        server.Options.WriteChunkSize = 1;
        var (_, tiny) = await StreamAsync(client, "v1/images/generations", FakeApiHttp.Json(StreamBody));
        Assert.Equal(whole.Select(e => e.Name), tiny.Select(e => e.Name));
        Assert.Equal(whole.Select(e => e.Data.GetProperty("b64_json").GetString()), tiny.Select(e => e.Data.GetProperty("b64_json").GetString()));

        // JSON bodies are cut up the same way and still arrive whole.
        var json = await (await client.GenerateAsync("""{"model":"gpt-image-2","prompt":"x","size":"32x32"}""")).ReadJsonAsync();
        Assert.Single(FakeApiHttp.Images(json));
    }

    [Fact]
    public async Task ACutStreamEndsWithoutTheCompletedEvent()
    {
        await using var server = await FakeOpenAIServer.StartAsync(new FakeServerOptions { Faults = { new FaultRule(FaultKind.StreamCut) { AfterEvents = 1 } } });
        using var client = FakeApiHttp.Client(server);
        var (_, events) = await StreamAsync(client, "v1/images/generations", FakeApiHttp.Json(StreamBody));
        Assert.Equal(new[] { "image_generation.partial_image" }, events.Select(e => e.Name));
        Assert.Equal("StreamCut", server.Requests.Single().FaultName);
    }

    [Fact]
    public async Task StreamFaultsLeaveNonStreamedRequestsAlone()
    {
        var rule = new FaultRule(FaultKind.StreamCut) { AfterEvents = 0 };
        await using var server = await FakeOpenAIServer.StartAsync(new FakeServerOptions { Faults = { rule } });
        using var client = FakeApiHttp.Client(server);
        Assert.Equal(HttpStatusCode.OK, (await client.GenerateAsync("""{"model":"gpt-image-2","prompt":"x","size":"32x32"}""")).StatusCode);
        Assert.Equal(0, rule.Seen);
        var (_, events) = await StreamAsync(client, "v1/images/generations", FakeApiHttp.Json(StreamBody));
        Assert.Empty(events);
        Assert.Equal(1, rule.Fired);
    }

    [Fact]
    public async Task AStalledStreamKeepsTheConnectionOpenAndSilent()
    {
        await using var server = await FakeOpenAIServer.StartAsync(new FakeServerOptions { Faults = { new FaultRule(FaultKind.StreamStall) { AfterEvents = 2 } } });
        using var client = FakeApiHttp.Client(server);
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/images/generations") { Content = FakeApiHttp.Json(StreamBody) };
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        int partials = 0;
        using var patience = new CancellationTokenSource(TimeSpan.FromMilliseconds(600));
        var stalled = await Record.ExceptionAsync(async () =>
        {
            while (await reader.ReadLineAsync(patience.Token) is { } line)
                if (line == "event: image_generation.partial_image") partials++;
        });
        Assert.IsAssignableFrom<OperationCanceledException>(stalled);
        Assert.Equal(2, partials);
    }

    [Fact]
    public async Task AnErrorEventFollowsTheOpenAIErrorShape()
    {
        var rule = new FaultRule(FaultKind.StreamError) { AfterEvents = 1, StatusCode = 500, Message = "The image could not be finished." };
        await using var server = await FakeOpenAIServer.StartAsync(new FakeServerOptions { Faults = { rule } });
        using var client = FakeApiHttp.Client(server);
        var (_, events) = await StreamAsync(client, "v1/images/generations", FakeApiHttp.Json(StreamBody));
        Assert.Equal(new[] { "image_generation.partial_image", "error" }, events.Select(e => e.Name));
        var data = events[1].Data;
        Assert.Equal("error", data.GetProperty("type").GetString());
        var error = data.GetProperty("error");
        Assert.Equal("The image could not be finished.", error.GetProperty("message").GetString());
        Assert.Equal("server_error", error.GetProperty("type").GetString());
        Assert.Equal(JsonValueKind.Null, error.GetProperty("param").ValueKind);
        Assert.True(error.TryGetProperty("code", out _));
    }

    [Fact]
    public async Task AResetMidStreamBreaksTheReader()
    {
        await using var server = await FakeOpenAIServer.StartAsync(new FakeServerOptions { Faults = { new FaultRule(FaultKind.ConnectionReset) { BytesBeforeAbort = 100 } } });
        using var client = FakeApiHttp.Client(server);
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/images/generations") { Content = FakeApiHttp.Json(StreamBody) };
        var failure = await Record.ExceptionAsync(async () =>
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            await SseReader.ReadAllAsync(await response.Content.ReadAsStreamAsync());
        });
        Assert.True(failure is IOException or HttpRequestException, $"expected a transport error, got {failure?.GetType().Name ?? "none"}");
    }

    private sealed class BytesComparer : IEqualityComparer<byte[]>
    {
        public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);
        public int GetHashCode(byte[] obj) => obj.Length;
    }
}
