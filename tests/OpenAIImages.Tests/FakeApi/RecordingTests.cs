using System.Net;
using OpenAIImages.FakeApi;
using OpenAIImages.FakeApi.Recording;
using Xunit;

namespace OpenAIImages.Tests.FakeApi;

public sealed class RecordingTests
{
    [Fact]
    public async Task ParallelRequestsAreEachRecordedOnceWithTheirOwnIds()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        using var client = FakeApiHttp.Client(server);
        var responses = await Task.WhenAll(Enumerable.Range(0, 24).Select(i =>
            client.GenerateAsync($$"""{"model":"dall-e-2","prompt":"parallel {{i}}","size":"256x256","response_format":"b64_json"}""")));
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));

        var recorded = server.Requests;
        Assert.Equal(24, recorded.Count);
        Assert.Equal(Enumerable.Range(1, 24), recorded.Select(r => r.Sequence).OrderBy(s => s));
        Assert.Equal(
            responses.Select(r => r.Headers.GetValues("x-request-id").Single()).OrderBy(id => id),
            recorded.Select(r => r.RequestId).OrderBy(id => id));
        Assert.Equal(
            Enumerable.Range(0, 24).Select(i => $"parallel {i}").OrderBy(p => p),
            recorded.Select(r => r.Field("prompt")!).OrderBy(p => p));
        Assert.All(recorded, r => Assert.Equal((ApiShape.OpenAI, ApiOperation.Generations, false), (r.Shape, r.Operation, r.Streamed)));
    }

    [Fact]
    public async Task TheSnapshotDoesNotChangeUnderTheReader()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        using var client = FakeApiHttp.Client(server);
        await client.GenerateAsync("""{"prompt":"one","size":"256x256","response_format":"b64_json"}""");
        var before = server.Requests;
        await client.GenerateAsync("""{"prompt":"two","size":"256x256","response_format":"b64_json"}""");
        Assert.Single(before);
        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public async Task QueryAndCustomHeadersAreKept()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        using var client = FakeApiHttp.Client(server);
        client.DefaultRequestHeaders.Add("OpenAI-Organization", "org-test");
        client.DefaultRequestHeaders.Add("X-Stainless-Retry-Count", "2");
        await client.PostAsync("openai/v1/images/generations?api-version=preview", FakeApiHttp.Json("""{"prompt":"x","size":"256x256"}"""));
        var recorded = server.Requests.Single();
        Assert.Equal("?api-version=preview", recorded.Query);
        Assert.Equal("preview", recorded.ApiVersion);
        Assert.Equal("org-test", recorded.Headers["openai-organization"]);
        Assert.Equal("2", recorded.Headers["x-stainless-retry-count"]);
    }
}
