using OpenAIImages.Engine.Http;
using OpenAIImages.Engine.Requests;
using OpenAIImages.FakeApi;
using OpenAIImages.FakeApi.Faults;
using OpenAIImages.FakeApi.Recording;
using OpenAIImages.Tests.Support;
using Xunit;

namespace OpenAIImages.Tests.Reliability;

/// <summary>Each fault class, what the client makes of it, and how many attempts that took.</summary>
public class RetryTests
{
    public static TheoryData<string, Func<FaultRule>, string, int> FaultTable() => new()
    {
        // name, fault on the first request(s), outcome ("ok" or an error id), attempts the server saw
        { "429 with retry-after-ms", () => new FaultRule(FaultKind.Status) { StatusCode = 429, RetryAfterMilliseconds = 50, OnRequests = new[] { 1 } }, "ok", 2 },
        { "429 with Retry-After seconds", () => new FaultRule(FaultKind.Status) { StatusCode = 429, RetryAfterSeconds = 1, OnRequests = new[] { 1 } }, "ok", 2 },
        { "429 without a wait", () => new FaultRule(FaultKind.Status) { StatusCode = 429, OnRequests = new[] { 1, 2 } }, "ok", 3 },
        { "500", () => new FaultRule(FaultKind.Status) { StatusCode = 500, OnRequests = new[] { 1 } }, "ok", 2 },
        { "503 twice", () => new FaultRule(FaultKind.Status) { StatusCode = 503, OnRequests = new[] { 1, 2 } }, "ok", 3 },
        { "408", () => new FaultRule(FaultKind.Status) { StatusCode = 408, OnRequests = new[] { 1 } }, "ok", 2 },
        { "409", () => new FaultRule(FaultKind.Status) { StatusCode = 409, OnRequests = new[] { 1 } }, "ok", 2 },
        { "connection reset mid-body", () => new FaultRule(FaultKind.ConnectionReset) { OnRequests = new[] { 1 } }, "ok", 2 },
        { "truncated body", () => new FaultRule(FaultKind.TruncatedBody) { OnRequests = new[] { 1 } }, "ok", 2 },
        { "slow response past the timeout", () => new FaultRule(FaultKind.SlowResponse) { Delay = TimeSpan.FromSeconds(5), OnRequests = new[] { 1 } }, OpenAITransportException.TimedOut, 1 },
        { "500 every time", () => new FaultRule(FaultKind.Status) { StatusCode = 500 }, "OpenAIServerError", 4 },
        { "500 with x-should-retry false", () => new FaultRule(FaultKind.Status) { StatusCode = 500, ShouldRetry = false }, "OpenAIServerError", 1 },
        { "400", () => new FaultRule(FaultKind.Status) { StatusCode = 400 }, "OpenAIBadRequest", 1 },
        { "400 with x-should-retry true", () => new FaultRule(FaultKind.Status) { StatusCode = 400, ShouldRetry = true }, "OpenAIBadRequest", 1 },
        { "401 with x-should-retry true", () => new FaultRule(FaultKind.Status) { StatusCode = 401, ShouldRetry = true }, "OpenAIAuthenticationFailed", 1 },
        { "401", () => new FaultRule(FaultKind.Status) { StatusCode = 401 }, "OpenAIAuthenticationFailed", 1 },
        { "403", () => new FaultRule(FaultKind.Status) { StatusCode = 403 }, "OpenAIPermissionDenied", 1 },
        { "moderation block", () => new FaultRule(FaultKind.ModerationBlocked), "OpenAIContentBlocked", 1 },
        { "insufficient quota", () => new FaultRule(FaultKind.InsufficientQuota), "OpenAIQuotaExceeded", 1 },
        { "malformed JSON", () => new FaultRule(FaultKind.MalformedJson), OpenAITransportException.ResponseInvalid, 1 },
        { "429 asking for longer than we wait", () => new FaultRule(FaultKind.Status) { StatusCode = 429, RetryAfterSeconds = 120 }, "OpenAIRateLimited", 1 },
    };

    [Theory]
    [MemberData(nameof(FaultTable))]
    public async Task EachFaultHasItsOutcomeAndAttempts(string fault, Func<FaultRule> rule, string outcome, int attempts)
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        server.Options.Faults.Add(rule());
        var observer = new RecordingObserver();
        var client = TestClients.For(server, timeout: TimeSpan.FromSeconds(1.5), maxRetries: 3);
        var request = new ImageGenerationRequest { Prompt = "a lighthouse", Model = "dall-e-2", Size = "256x256", ResponseFormat = "b64_json" };
        if (outcome == "ok")
        {
            var images = await client.GenerateAsync(request, observer);
            Assert.Single(images);
        }
        else
        {
            var error = await Assert.ThrowsAnyAsync<OpenAIImages.Engine.OpenAIImagesException>(() => client.GenerateAsync(request, observer));
            Assert.True(outcome == error.ErrorId, $"{fault}: {error.ErrorId}: {error.Message}");
        }
        // The server records a request when it answers; one the client gave up on is recorded when its wait ends.
        var until = DateTime.UtcNow.AddSeconds(15);
        while (server.Requests.Count(r => r.Operation == ApiOperation.Generations) < attempts && DateTime.UtcNow < until) await Task.Delay(50);
        await Task.Delay(100);
        var sent = server.Requests.Count(r => r.Operation == ApiOperation.Generations);
        Assert.True(attempts == sent, $"{fault}: expected {attempts} attempts, the server saw {sent}");
        Assert.Equal(attempts - 1, observer.Warnings.Count(w => w.StartsWith("Attempt ")));
        Assert.All(observer.Warnings.Where(w => w.StartsWith("Attempt ")), w => Assert.Contains("Retrying in", w));
    }

    [Fact]
    public async Task ARetriedMultipartEditResendsItsWholeBody()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        server.Options.Faults.Add(new FaultRule(FaultKind.Status) { StatusCode = 503, OnRequests = new[] { 1 } });
        var request = new ImageEditRequest { Prompt = "add a hat", Model = "gpt-image-1", Size = "1024x1024" };
        request.Images.Add(new ImageInput(TestImages.Solid(64, 64, 1, 2, 3), "a.png"));
        request.Images.Add(new ImageInput(TestImages.Solid(64, 64, 4, 5, 6), "b.png"));
        request.Mask = new ImageInput(TestImages.LeftHalfTransparentMask(64, 64), "mask.png");
        await TestClients.For(server, maxRetries: 2).EditAsync(request);

        Assert.Equal(2, server.Requests.Count);
        var first = server.Requests[0];
        var second = server.Requests[1];
        Assert.Equal(first.Body.Length, second.Body.Length);
        Assert.Equal(first.Parts!.Select(p => (p.Name, p.FileName, Convert.ToBase64String(p.Data))), second.Parts!.Select(p => (p.Name, p.FileName, Convert.ToBase64String(p.Data))));
        Assert.Equal(200, second.ResponseStatus);
    }

    [Fact]
    public async Task ARateLimitHoldsBackTheOtherRequestsOfTheClient()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        server.Options.Faults.Add(new FaultRule(FaultKind.Status) { StatusCode = 429, RetryAfterMilliseconds = 600, OnRequests = new[] { 1 } });
        var client = TestClients.For(server, maxRetries: 2);
        var observer = new RecordingObserver();
        var first = client.GenerateAsync(new ImageGenerationRequest { Prompt = "one", Model = "dall-e-2", Size = "256x256", ResponseFormat = "b64_json" }, observer);
        // Start the second prompt only once the client has read the 429: its retry warning comes after it holds
        // back the client (a request sent before that could not have known of the limit, however loaded the machine);
        // dall-e-2 also warns that it is retired, before it is sent.
        using (var patience = new CancellationTokenSource(TimeSpan.FromSeconds(20)))
        {
            while (!observer.Warnings.Any(w => w.Contains("Retrying", StringComparison.Ordinal))) await Task.Delay(5, patience.Token);
        }
        var second = client.GenerateAsync(new ImageGenerationRequest { Prompt = "two", Model = "dall-e-2", Size = "256x256", ResponseFormat = "b64_json" });
        await Task.WhenAll(first, second);

        var requests = server.Requests.OrderBy(r => r.Sequence).ToList();
        Assert.Equal(3, requests.Count);
        var limitedAt = requests[0].ReceivedAt;
        // The second prompt was sent after the pause the server asked for, not while it was in force.
        var secondPrompt = requests.Single(r => r.Json!.Value.GetProperty("prompt").GetString() == "two");
        Assert.True(secondPrompt.ReceivedAt - limitedAt >= TimeSpan.FromMilliseconds(500), $"sent {(secondPrompt.ReceivedAt - limitedAt).TotalMilliseconds:0} ms after the 429");
    }

    [Fact]
    public async Task NoRetriesWhenTurnedOff()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        server.Options.Faults.Add(new FaultRule(FaultKind.Status) { StatusCode = 500 });
        await Assert.ThrowsAsync<OpenAIApiException>(() => TestClients.For(server, maxRetries: 0).GenerateAsync(new ImageGenerationRequest { Prompt = "x" }));
        Assert.Single(server.Requests);
    }

    [Theory]
    [InlineData(1, 375, 500)]
    [InlineData(2, 750, 1000)]
    [InlineData(5, 6000, 8000)]
    [InlineData(9, 6000, 8000)]
    public void BackOffGrowsWithJitterUpToTheCap(int retry, int minMs, int maxMs)
    {
        var policy = new RetryPolicy();
        for (int i = 0; i < 50; i++)
        {
            var delay = policy.DelayBefore(retry, null)!.Value.TotalMilliseconds;
            Assert.InRange(delay, minMs, maxMs);
        }
        Assert.Equal(TimeSpan.FromSeconds(3), policy.DelayBefore(1, TimeSpan.FromSeconds(3)));
        Assert.Null(policy.DelayBefore(1, TimeSpan.FromMinutes(5)));
    }
}
