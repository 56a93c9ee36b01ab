using System.Diagnostics;
using System.Net;
using System.Text.Json;
using OpenAIImages.FakeApi;
using OpenAIImages.FakeApi.Faults;
using OpenAIImages.FakeApi.Recording;
using Xunit;

namespace OpenAIImages.Tests.FakeApi;

public sealed class FaultTests
{
    private const string Body = """{"model":"gpt-image-2","prompt":"x","size":"64x64"}""";

    private static async Task<(FakeOpenAIServer Server, HttpClient Client)> StartAsync(params FaultRule[] rules)
    {
        var options = new FakeServerOptions();
        foreach (var rule in rules) options.Faults.Add(rule);
        var server = await FakeOpenAIServer.StartAsync(options);
        return (server, FakeApiHttp.Client(server));
    }

    [Fact]
    public async Task RateLimitCarriesRetryHeadersAndIsRecorded()
    {
        var rule = new FaultRule(FaultKind.Status) { StatusCode = 429, RetryAfterSeconds = 2, RetryAfterMilliseconds = 1500, ShouldRetry = true, Name = "throttle" };
        var (server, client) = await StartAsync(rule);
        await using var _ = server;
        var response = await client.GenerateAsync(Body);
        var error = await response.ReadErrorAsync();
        Assert.Equal((429, "requests", "rate_limit_exceeded"), (error.Status, error.Type, error.Code));
        Assert.Equal("2", response.Headers.GetValues("Retry-After").Single());
        Assert.Equal("1500", response.Headers.GetValues("retry-after-ms").Single());
        Assert.Equal("true", response.Headers.GetValues("x-should-retry").Single());
        var recorded = server.Requests.Single();
        Assert.Equal(("throttle", 429, "rate_limit_exceeded"), (recorded.FaultName, recorded.ResponseStatus, recorded.ErrorCode));
        Assert.Same(rule, recorded.Fault);
    }

    [Fact]
    public async Task RateLimitWithoutRetryAfter()
    {
        var (server, client) = await StartAsync(FaultRule.RateLimited());
        await using var _ = server;
        var response = await client.GenerateAsync(Body);
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.False(response.Headers.Contains("Retry-After"));
        Assert.False(response.Headers.Contains("retry-after-ms"));
        Assert.False(response.Headers.Contains("x-should-retry"));
    }

    [Theory]
    [InlineData(500, "server_error")]
    [InlineData(503, "server_error")]
    [InlineData(408, "timeout_error")]
    [InlineData(409, "invalid_request_error")]
    [InlineData(400, "invalid_request_error")]
    [InlineData(401, "invalid_request_error")]
    [InlineData(403, "invalid_request_error")]
    public async Task StatusFaultsUseOpenAIErrorShape(int status, string type)
    {
        var (server, client) = await StartAsync(new FaultRule(FaultKind.Status) { StatusCode = status, ShouldRetry = false });
        await using var _ = server;
        var response = await client.GenerateAsync(Body);
        var error = await response.ReadErrorAsync();
        Assert.Equal((status, type), (error.Status, error.Type));
        Assert.Equal("false", response.Headers.GetValues("x-should-retry").Single());
        Assert.StartsWith("req_", response.Headers.GetValues("x-request-id").Single());
    }

    [Fact]
    public async Task InsufficientQuotaAndModerationBlocked()
    {
        var (server, client) = await StartAsync(
            new FaultRule(FaultKind.InsufficientQuota) { OnRequests = new[] { 1 } },
            new FaultRule(FaultKind.ModerationBlocked) { OnRequests = new[] { 2 } });
        await using var _ = server;
        var quota = await (await client.GenerateAsync(Body)).ReadErrorAsync();
        Assert.Equal((429, "insufficient_quota", "insufficient_quota"), (quota.Status, quota.Type, quota.Code));
        var moderation = await (await client.GenerateAsync(Body)).ReadErrorAsync();
        Assert.Equal((400, "image_generation_user_error", "moderation_blocked", (string?)null), (moderation.Status, moderation.Type, moderation.Code, moderation.Param));
        Assert.Equal(HttpStatusCode.OK, (await client.GenerateAsync(Body)).StatusCode);
    }

    [Fact]
    public async Task SequenceRuleFailsTheFirstTwoThenSucceeds()
    {
        var (server, client) = await StartAsync(new FaultRule(FaultKind.Status) { StatusCode = 503, OnRequests = new[] { 1, 2 } });
        await using var _ = server;
        var statuses = new List<int>();
        for (int i = 0; i < 4; i++) statuses.Add((int)(await client.GenerateAsync(Body)).StatusCode);
        Assert.Equal(new[] { 503, 503, 200, 200 }, statuses);
        // The body of a retried request is recorded each time, byte for byte.
        Assert.All(server.Requests, r => Assert.Equal(Body, r.BodyText));
    }

    [Fact]
    public async Task EveryNthAndMaxTimes()
    {
        var rule = new FaultRule(FaultKind.Status) { StatusCode = 500, EveryNth = 3, MaxTimes = 2 };
        var (server, client) = await StartAsync(rule);
        await using var _ = server;
        var statuses = new List<int>();
        for (int i = 0; i < 10; i++) statuses.Add((int)(await client.GenerateAsync("""{"prompt":"x","model":"dall-e-2","size":"256x256","response_format":"b64_json"}""")).StatusCode);
        Assert.Equal(new[] { 200, 200, 500, 200, 200, 500, 200, 200, 200, 200 }, statuses);
        Assert.Equal((10, 2), (rule.Seen, rule.Fired));
    }

    [Fact]
    public async Task ProbabilityIsASeededShare()
    {
        async Task<int[]> Pattern(int seed)
        {
            var (server, client) = await StartAsync(new FaultRule(FaultKind.Status) { StatusCode = 500, Probability = 0.5, Seed = seed });
            await using var _ = server;
            var statuses = new int[24];
            for (int i = 0; i < statuses.Length; i++) statuses[i] = (int)(await client.PostAsync("v1/images/generations", FakeApiHttp.Json("{}"))).StatusCode;
            return statuses;
        }
        var first = await Pattern(7);
        Assert.Equal(first, await Pattern(7));
        Assert.Contains(500, first);
        Assert.Contains(400, first); // the rest reach validation
        Assert.NotEqual(first, await Pattern(8));
    }

    [Fact]
    public async Task RulesCanTargetOneOperation()
    {
        var (server, client) = await StartAsync(new FaultRule(FaultKind.Status) { StatusCode = 500, Operation = ApiOperation.Edits });
        await using var _ = server;
        Assert.Equal(HttpStatusCode.OK, (await client.GenerateAsync(Body)).StatusCode);
        var edit = FakeApiHttp.Form(("prompt", "x")).AddFile("image", TestImages.SolidPng(8, 8, 0, 0, 0));
        Assert.Equal(HttpStatusCode.InternalServerError, (await client.PostAsync("v1/images/edits", edit)).StatusCode);
    }

    [Fact]
    public async Task RulesCanTargetFileDownloads()
    {
        var (server, client) = await StartAsync(new FaultRule(FaultKind.Status) { StatusCode = 503, Operation = ApiOperation.FileDownload });
        await using var _ = server;
        var root = await (await client.GenerateAsync("""{"prompt":"x","size":"256x256"}""")).ReadJsonAsync();
        var download = await client.GetAsync(root.GetProperty("data")[0].GetProperty("url").GetString());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, download.StatusCode);
    }

    [Fact]
    public async Task ConnectionResetBreaksTheBody()
    {
        var (server, client) = await StartAsync(new FaultRule(FaultKind.ConnectionReset) { BytesBeforeAbort = 10 });
        await using var _ = server;
        await Assert.ThrowsAnyAsync<HttpRequestException>(async () =>
        {
            using var response = await client.GenerateAsync(Body);
            await response.Content.ReadAsByteArrayAsync();
        });
        Assert.Equal((200, "ConnectionReset"), (server.Requests.Single().ResponseStatus, server.Requests.Single().FaultName));
    }

    [Fact]
    public async Task TruncatedBodyEndsBeforeItsContentLength()
    {
        var (server, client) = await StartAsync(new FaultRule(FaultKind.TruncatedBody) { BytesBeforeAbort = 20 });
        await using var _ = server;
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/images/generations") { Content = FakeApiHttp.Json(Body) };
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Content.Headers.ContentLength > 20);
        var stream = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[1 << 16];
        int total = 0;
        var failure = await Record.ExceptionAsync(async () =>
        {
            int read;
            while ((read = await stream.ReadAsync(buffer)) > 0) total += read;
        });
        Assert.True(failure is IOException or HttpRequestException, $"expected a transport error, got {failure?.GetType().Name ?? "none"}");
        Assert.Equal(20, total);
    }

    [Fact]
    public async Task MalformedJsonIsACompleteBodyThatDoesNotParse()
    {
        var (server, client) = await StartAsync(new FaultRule(FaultKind.MalformedJson));
        await using var _ = server;
        using var response = await client.GenerateAsync(Body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(response.Content.Headers.ContentLength, System.Text.Encoding.UTF8.GetByteCount(text));
        Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(text));
    }

    [Fact]
    public async Task SlowResponseAddsItsDelay()
    {
        var (server, client) = await StartAsync(new FaultRule(FaultKind.SlowResponse) { Delay = TimeSpan.FromMilliseconds(400) });
        await using var _ = server;
        var clock = Stopwatch.StartNew();
        Assert.Equal(HttpStatusCode.OK, (await client.GenerateAsync(Body)).StatusCode);
        Assert.True(clock.ElapsedMilliseconds >= 380, $"took {clock.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task LatencyChangesBetweenRequestsAndAHangUpIsRecorded()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        using var client = FakeApiHttp.Client(server);
        var clock = Stopwatch.StartNew();
        await client.GenerateAsync(Body);
        long fast = clock.ElapsedMilliseconds;

        server.Options.Latency = TimeSpan.FromMilliseconds(300);
        clock.Restart();
        Assert.Equal(HttpStatusCode.OK, (await client.GenerateAsync(Body)).StatusCode);
        Assert.True(clock.ElapsedMilliseconds >= 280, $"took {clock.ElapsedMilliseconds} ms (first took {fast} ms)");

        server.Options.Latency = TimeSpan.FromSeconds(30);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.PostAsync("v1/images/generations", FakeApiHttp.Json(Body), cancel.Token));
        // The server notices the hang-up, stops waiting and records the request as abandoned.
        var deadline = Stopwatch.StartNew();
        while (server.Requests.Count < 3 && deadline.ElapsedMilliseconds < 5000) await Task.Delay(20);
        Assert.Equal(499, server.Requests[2].ResponseStatus);
    }

    [Fact]
    public async Task RulesCanBeAddedAndClearedWhileRunning()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        using var client = FakeApiHttp.Client(server);
        Assert.Equal(HttpStatusCode.OK, (await client.GenerateAsync(Body)).StatusCode);
        server.Options.Faults.Add(FaultRule.ServerError(502));
        Assert.Equal(HttpStatusCode.BadGateway, (await client.GenerateAsync(Body)).StatusCode);
        server.Options.Faults.Clear();
        Assert.Equal(HttpStatusCode.OK, (await client.GenerateAsync(Body)).StatusCode);
        server.ClearRequests();
        Assert.Empty(server.Requests);
        await client.GenerateAsync(Body);
        Assert.Equal(4, server.Requests.Single().Sequence);
    }
}
