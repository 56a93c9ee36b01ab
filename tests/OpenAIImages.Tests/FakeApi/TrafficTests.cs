using System.Net;
using OpenAIImages.FakeApi;
using OpenAIImages.FakeApi.Faults;
using OpenAIImages.FakeApi.Recording;
using Xunit;

namespace OpenAIImages.Tests.FakeApi;

/// <summary>
/// GET/DELETE /_fake/traffic: what a test in another process (the Pester suite) reads to know how many API requests
/// reached the server and how many it handled at once, instead of timing the client.
/// </summary>
public sealed class TrafficTests
{
    private static async Task<(long Requests, long InFlight, long MaxInFlight)> ReadAsync(HttpClient client)
    {
        var response = await client.GetAsync("_fake/traffic");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var root = await response.ReadJsonAsync();
        return (root.GetProperty("requests").GetInt64(), root.GetProperty("inFlight").GetInt64(), root.GetProperty("maxInFlight").GetInt64());
    }

    [Fact]
    public async Task CountsApiRequestsWhateverTheAnswerAndNotTheControlRouteOrUnknownRoutes()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        using var client = FakeApiHttp.Client(server);
        Assert.Equal((0, 0, 0), await ReadAsync(client));

        Assert.Equal(HttpStatusCode.OK, (await client.GenerateAsync("""{"model":"gpt-image-1","prompt":"a","size":"1024x1024","quality":"low"}""")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GenerateAsync("""{"prompt":""}""")).StatusCode);
        using (var keyless = FakeApiHttp.Client(server, key: null))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await keyless.GenerateAsync("""{"prompt":"a"}""")).StatusCode);
        }
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsync("v1/images/nothing", FakeApiHttp.Json("{}"))).StatusCode);

        Assert.Equal((3, 0, 1), await ReadAsync(client));
        Assert.Equal(3, server.Requests.Count(r => r.Path.StartsWith("/v1/images/", StringComparison.Ordinal) && r.Path != "/v1/images/nothing"));
    }

    [Fact]
    public async Task ReportsHowManyRequestsWereInFlightAtOnceAndResetsOnDelete()
    {
        await using var server = await FakeOpenAIServer.StartAsync(new FakeServerOptions { Latency = TimeSpan.FromMilliseconds(1000) });
        using var client = FakeApiHttp.Client(server);
        var three = Enumerable.Range(0, 3).Select(_ => client.GenerateAsync("""{"model":"gpt-image-1","prompt":"a","size":"1024x1024","quality":"low"}""")).ToList();
        foreach (var response in await Task.WhenAll(three)) Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal((3, 0, 3), await ReadAsync(client));

        var reset = await client.DeleteAsync("_fake/traffic");
        Assert.Equal(HttpStatusCode.OK, reset.StatusCode);
        Assert.Equal((0, 0, 0), await ReadAsync(client));

        foreach (var _ in Enumerable.Range(0, 2))
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GenerateAsync("""{"model":"gpt-image-1","prompt":"a","size":"1024x1024","quality":"low"}""")).StatusCode);
        }
        Assert.Equal((2, 0, 1), await ReadAsync(client));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await client.PostAsync("_fake/traffic", FakeApiHttp.Json("{}"))).StatusCode);
    }

    [Fact]
    public async Task CountsAUrlImageDownloadApartAndOnlyWhileItIsServed()
    {
        var options = new FakeServerOptions();
        options.Faults.Add(new FaultRule(FaultKind.SlowResponse) { Operation = ApiOperation.FileDownload, Delay = TimeSpan.FromSeconds(30) });
        await using var server = await FakeOpenAIServer.StartAsync(options);
        using var client = FakeApiHttp.Client(server);
        var root = await (await client.GenerateAsync("""{"model":"dall-e-2","prompt":"a","size":"256x256"}""")).ReadJsonAsync();
        string url = root.GetProperty("data")[0].GetProperty("url").GetString()!;
        Assert.Equal(0, await DownloadsInFlightAsync(client));

        using var giveUp = new CancellationTokenSource();
        var download = client.GetAsync(url, giveUp.Token);
        Assert.True(await WaitForAsync(async () => await DownloadsInFlightAsync(client) == 1), "the held download is counted");
        Assert.Equal(1, (await ReadAsync(client)).Requests); // the generation only: a download is not an API request

        giveUp.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => download);
        Assert.True(await WaitForAsync(async () => await DownloadsInFlightAsync(client) == 0), "a download the client gave up on is no longer counted");
    }

    private static async Task<long> DownloadsInFlightAsync(HttpClient client)
    {
        var root = await (await client.GetAsync("_fake/traffic")).ReadJsonAsync();
        return root.GetProperty("downloadsInFlight").GetInt64();
    }

    private static async Task<bool> WaitForAsync(Func<Task<bool>> condition)
    {
        for (int attempt = 0; attempt < 200; attempt++)
        {
            if (await condition()) return true;
            await Task.Delay(50);
        }
        return false;
    }
}
