using System.Diagnostics;
using OpenAIImages.Engine;
using OpenAIImages.Engine.Http;
using OpenAIImages.Engine.Requests;
using OpenAIImages.Engine.Validation;
using OpenAIImages.FakeApi;
using OpenAIImages.FakeApi.Faults;
using OpenAIImages.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace OpenAIImages.Tests.EndToEnd;

/// <summary>What goes wrong: bad input never reaches the server, and server failures arrive as typed exceptions.</summary>
public class FailureTests
{
    private readonly ITestOutputHelper _output;

    public FailureTests(ITestOutputHelper output) => _output = output;

    public static TheoryData<string, Action<ImageGenerationRequest>, string> BadInput() => new()
    {
        { "invalid size for the model", r => { r.Model = "dall-e-3"; r.Size = "256x256"; }, ErrorIds.SizeNotSupported },
        { "n over 10", r => r.Count = 11, ErrorIds.CountOutOfRange },
        { "n over 1 on dall-e-3", r => { r.Model = "dall-e-3"; r.Count = 2; }, ErrorIds.CountOutOfRange },
        { "prompt over the model's limit", r => { r.Model = "dall-e-2"; r.Prompt = new string('p', 1001); }, ErrorIds.PromptTooLong },
        { "empty prompt", r => r.Prompt = "", ErrorIds.PromptEmpty },
        { "compression with png", r => { r.OutputFormat = "png"; r.OutputCompression = 70; }, ErrorIds.OutputCompressionRequiresJpegOrWebp },
        { "transparent background with jpeg", r => { r.Background = "transparent"; r.OutputFormat = "jpeg"; }, ErrorIds.TransparentBackgroundRequiresPngOrWebp },
        { "style on a GPT model", r => r.Style = "vivid", ErrorIds.ParameterNotSupportedByModel },
        { "gpt-image-2 1000x1000", r => r.Size = "1000x1000", ErrorIds.SizeNotSupported },
        { "gpt-image-2 4000x1000", r => r.Size = "4000x1000", ErrorIds.SizeNotSupported },
    };

    [Theory]
    [MemberData(nameof(BadInput))]
    public async Task BadInputFailsBeforeAnyRequest(string because, Action<ImageGenerationRequest> change, string errorId)
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        var request = new ImageGenerationRequest { Model = "gpt-image-2", Prompt = "a quiet street" };
        change(request);
        var error = await Assert.ThrowsAsync<ImageRequestException>(() => TestClients.For(server).GenerateAsync(request));
        Assert.True(error.ErrorId == errorId, $"{because}: {error.ErrorId}: {error.Message}");
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task NoKeyFailsBeforeAnyRequest()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        var error = Assert.Throws<ImageRequestException>(() =>
            ConnectionResolver.Resolve(new ConnectionOptions { BaseUri = server.BaseUri }, _ => null));
        Assert.Equal(ErrorIds.ApiKeyMissing, error.ErrorId);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task A400CarriesTheParamCodeMessageAndRequestId()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        // An unknown model passes the client's generic checks; the server's own rules refuse the size.
        var error = await Assert.ThrowsAsync<OpenAIApiException>(() => TestClients.For(server).GenerateAsync(
            new ImageGenerationRequest { Model = "gpt-image-7-preview", Prompt = "a bridge", Size = "1000x1000" }));
        Assert.Equal(400, error.StatusCode);
        Assert.Equal("size", error.Param);
        Assert.False(string.IsNullOrEmpty(error.Code));
        Assert.False(string.IsNullOrEmpty(error.ApiMessage));
        Assert.Equal(server.Requests.Single().RequestId, error.RequestId);
        Assert.Equal("OpenAIBadRequest", error.ErrorId);
        Assert.Contains(error.RequestId!, error.Message);
    }

    [Fact]
    public async Task A401SaysTheKeyIsWrongWithoutShowingIt()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        var error = await Assert.ThrowsAsync<OpenAIApiException>(() => TestClients.For(server, key: "test-key-wrong").GenerateAsync(
            new ImageGenerationRequest { Prompt = "a bridge" }));
        Assert.Equal(401, error.StatusCode);
        Assert.Equal("invalid_api_key", error.Code);
        Assert.Equal("OpenAIAuthenticationFailed", error.ErrorId);
        Assert.NotNull(error.RequestId);
        Assert.DoesNotContain("test-key-wrong", error.ToString());
    }

    [Theory]
    [InlineData(429, "OpenAIRateLimited")]
    [InlineData(500, "OpenAIServerError")]
    [InlineData(503, "OpenAIServerError")]
    public async Task ServerFailuresCarryStatusCodeMessageAndRequestId(int status, string errorId)
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        server.Options.Faults.Add(new FaultRule(FaultKind.Status) { StatusCode = status, RetryAfterSeconds = status == 429 ? 3 : null });
        var error = await Assert.ThrowsAsync<OpenAIApiException>(() => TestClients.For(server).GenerateAsync(new ImageGenerationRequest { Prompt = "a bridge" }));
        Assert.Equal(status, error.StatusCode);
        Assert.Equal(errorId, error.ErrorId);
        Assert.False(string.IsNullOrEmpty(error.ApiMessage));
        Assert.Equal(server.Requests.Single().RequestId, error.RequestId);
        if (status == 429)
        {
            Assert.Equal(TimeSpan.FromSeconds(3), error.RetryAfter);
            Assert.False(string.IsNullOrEmpty(error.Code));
        }
    }

    [Fact]
    public async Task MalformedAndCutResponsesAreErrorsNotEmptyResults()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        server.Options.Faults.Add(new FaultRule(FaultKind.MalformedJson) { OnRequests = new[] { 1 } });
        server.Options.Faults.Add(new FaultRule(FaultKind.TruncatedBody) { OnRequests = new[] { 2 } });
        server.Options.Faults.Add(new FaultRule(FaultKind.ConnectionReset) { OnRequests = new[] { 3 } });
        var client = TestClients.For(server);
        var malformed = await Assert.ThrowsAsync<OpenAITransportException>(() => client.GenerateAsync(new ImageGenerationRequest { Prompt = "one" }));
        Assert.Equal(OpenAITransportException.ResponseInvalid, malformed.ErrorId);
        Assert.NotNull(malformed.RequestId);
        var truncated = await Assert.ThrowsAsync<OpenAITransportException>(() => client.GenerateAsync(new ImageGenerationRequest { Prompt = "two" }));
        Assert.Contains(truncated.ErrorId, new[] { OpenAITransportException.ResponseInvalid, OpenAITransportException.ConnectionFailed });
        var reset = await Assert.ThrowsAsync<OpenAITransportException>(() => client.GenerateAsync(new ImageGenerationRequest { Prompt = "three" }));
        Assert.Contains(reset.ErrorId, new[] { OpenAITransportException.ResponseInvalid, OpenAITransportException.ConnectionFailed });
    }

    [Fact]
    public async Task CancellationStopsAWaitingRequestAtOnce()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        server.Options.Latency = TimeSpan.FromSeconds(30);
        using var cancel = new CancellationTokenSource();
        var task = TestClients.For(server).GenerateAsync(new ImageGenerationRequest { Prompt = "slow" }, null, cancel.Token);
        await Task.Delay(300);
        // The answer is 30 s away: only the cancellation can end the call within Hang, which proves it does not
        // wait for the server. A wall-clock bound would only measure how busy the machine is.
        Assert.False(task.IsCompleted, "the call ended before it was cancelled");
        Assert.True(OpenAIImages.Tests.Streaming.ServerSentEventReaderTests.Hang < server.Options.Latency);
        var clock = Stopwatch.StartNew();
        cancel.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task.WaitAsync(OpenAIImages.Tests.Streaming.ServerSentEventReaderTests.Hang));
        _output.WriteLine($"Cancellation took {clock.Elapsed.TotalMilliseconds:0} ms");
    }

    [Fact]
    public async Task TheTimeoutEndsASlowRequestWithItsOwnError()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        server.Options.Latency = TimeSpan.FromSeconds(30);
        var error = await Assert.ThrowsAsync<OpenAITransportException>(() =>
            TestClients.For(server, timeout: TimeSpan.FromMilliseconds(400)).GenerateAsync(new ImageGenerationRequest { Prompt = "slow" }));
        Assert.Equal(OpenAITransportException.TimedOut, error.ErrorId);
        Assert.Contains("-TimeoutSec", error.Message);
    }

    [Fact]
    public async Task ARefusedConnectionIsAConnectionError()
    {
        int port;
        using (var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        }
        var client = new OpenAIImageClient(new OpenAIConnection(new Uri($"http://127.0.0.1:{port}/v1/"), ApiCredential.FromString("test-key")));
        var error = await Assert.ThrowsAsync<OpenAITransportException>(() => client.GenerateAsync(new ImageGenerationRequest { Prompt = "nobody home" }));
        Assert.Equal(OpenAITransportException.ConnectionFailed, error.ErrorId);
    }
}
