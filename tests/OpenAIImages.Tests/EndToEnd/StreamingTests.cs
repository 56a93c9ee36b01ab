using System.Diagnostics;
using OpenAIImages.Engine.Http;
using OpenAIImages.Engine.Requests;
using OpenAIImages.Engine.Results;
using OpenAIImages.Engine.Streaming;
using OpenAIImages.FakeApi;
using OpenAIImages.FakeApi.Faults;
using OpenAIImages.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace OpenAIImages.Tests.EndToEnd;

/// <summary>Streamed generations and edits through the engine against the loopback server.</summary>
public class StreamingTests
{
    private readonly ITestOutputHelper _output;

    public StreamingTests(ITestOutputHelper output) => _output = output;

    private sealed class RecordingStreamObserver : IImageStreamObserver
    {
        public List<ImageStreamProgress> Events { get; } = new();
        public void OnPartialImage(ImageStreamProgress progress) { lock (Events) Events.Add(progress); }
        public void OnImageCompleted(ImageStreamProgress progress) { lock (Events) Events.Add(progress); }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    public async Task PartialImagesArriveInOrderThenTheFinalImage(int partials)
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        server.Options.StreamEventInterval = TimeSpan.FromMilliseconds(20);
        var observer = new RecordingStreamObserver();
        var request = new ImageGenerationRequest { Prompt = "a lighthouse", Model = "gpt-image-1", Size = "1024x1024", Quality = "low", Stream = true, PartialImages = partials };
        var image = Assert.Single(await TestClients.For(server).GenerateAsync(request, null, CancellationToken.None, observer));

        Assert.Equal(partials + 1, observer.Events.Count);
        for (int i = 0; i < partials; i++)
        {
            Assert.True(observer.Events[i].IsPartial);
            Assert.Equal(i, observer.Events[i].PartialImageIndex);
            Assert.Equal($"Partial image {i + 1} of {partials}", observer.Events[i].StatusDescription);
            Assert.True(observer.Events[i].Image.IsPartial);
            Assert.NotNull(observer.Events[i].Image.Bytes);
        }
        var last = observer.Events[^1];
        Assert.False(last.IsPartial);
        Assert.Same(image, last.Image);
        Assert.Equal(100, last.PercentComplete);
        Assert.False(image.IsPartial);
        GenerationTests.AssertImage(image.Bytes, OpenAIImages.Engine.Imaging.ImageFormat.Png, 1024, 1024);
        Assert.NotNull(image.Usage);

        var recorded = server.Requests.Single();
        Assert.True(recorded.Streamed);
        Assert.True(recorded.Json!.Value.GetProperty("stream").GetBoolean());
        Assert.Equal(partials, recorded.Json!.Value.GetProperty("partial_images").GetInt32());
        Assert.Contains("text/event-stream", recorded.Headers["Accept"]);
    }

    [Fact]
    public async Task TheFinalImageEqualsWhatTheNonStreamedRequestReturns()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        var client = TestClients.For(server);
        var streamed = Assert.Single(await client.GenerateAsync(new ImageGenerationRequest { Prompt = "same", Model = "gpt-image-1", Size = "1024x1024", Quality = "low", Stream = true, PartialImages = 2 }));
        var plain = Assert.Single(await client.GenerateAsync(new ImageGenerationRequest { Prompt = "same", Model = "gpt-image-1", Size = "1024x1024", Quality = "low" }));
        Assert.Equal(plain.Bytes, streamed.Bytes);
    }

    [Fact]
    public async Task AStreamWrittenOneBytePerChunkReadsTheSame()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        var request = new ImageGenerationRequest { Prompt = "tiny chunks", Model = "gpt-image-1", Size = "1024x1024", Quality = "low", Stream = true, PartialImages = 1 };
        var whole = Assert.Single(await TestClients.For(server).GenerateAsync(request));
        server.Options.WriteChunkSize = 1;
        var observer = new RecordingStreamObserver();
        var trickled = Assert.Single(await TestClients.For(server).GenerateAsync(request, null, CancellationToken.None, observer));
        Assert.Equal(whole.Bytes, trickled.Bytes);
        Assert.Equal(2, observer.Events.Count);
    }

    [Fact]
    public async Task StreamedEditsReportEditEvents()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        var observer = new RecordingStreamObserver();
        var request = new ImageEditRequest { Prompt = "add rain", Model = "gpt-image-1.5", Size = "1024x1024", Stream = true, PartialImages = 2 };
        request.Images.Add(new ImageInput(TestImages.Solid(64, 64, 50, 50, 50), "a.png"));
        var image = Assert.Single(await TestClients.For(server).EditAsync(request, null, CancellationToken.None, observer));
        Assert.Equal(3, observer.Events.Count);
        Assert.Equal(ImageOperation.Edit, image.Operation);
        Assert.Equal("true", server.Requests.Single().Field("stream"));
    }

    [Theory]
    [InlineData(FaultKind.StreamCut, OpenAITransportException.ResponseInvalid)]
    [InlineData(FaultKind.StreamStall, OpenAITransportException.TimedOut)]
    [InlineData(FaultKind.StreamError, "OpenAIRequestFailed")]
    public async Task BrokenStreamsAreErrorsWithTheRequestId(FaultKind kind, string errorId)
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        server.Options.Faults.Add(new FaultRule(kind) { AfterEvents = 1 });
        var observer = new RecordingStreamObserver();
        // A short idle timeout only where the stall is the point: elsewhere a loaded machine could reach it before
        // the cut or the error event arrives, and the test would see a timeout instead.
        var idle = kind == FaultKind.StreamStall ? TimeSpan.FromMilliseconds(500) : TimeSpan.FromSeconds(20);
        var connection = new OpenAIConnection(server.BaseUri, ApiCredential.FromString("test-key")) { StreamIdleTimeout = idle, Retry = new RetryPolicy { MaxRetries = 2 } };
        var request = new ImageGenerationRequest { Prompt = "a lighthouse", Model = "gpt-image-1", Quality = "low", Stream = true, PartialImages = 3 };
        var error = await Assert.ThrowsAnyAsync<OpenAIImages.Engine.OpenAIImagesException>(() => new OpenAIImages.Engine.OpenAIImageClient(connection).GenerateAsync(request, null, CancellationToken.None, observer));

        Assert.Equal(errorId, error.ErrorId);
        Assert.Contains(server.Requests.Single().RequestId, error.Message);
        Assert.Single(server.Requests); // a stream that already showed partial images is not sent again
        Assert.Single(observer.Events);
        Assert.True(observer.Events[0].IsPartial);
    }

    [Fact]
    public async Task CancellingMidStreamReturnsAtOnce()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        server.Options.StreamEventInterval = TimeSpan.FromSeconds(30);
        var observer = new RecordingStreamObserver();
        using var cancel = new CancellationTokenSource();
        var task = TestClients.For(server).GenerateAsync(new ImageGenerationRequest { Prompt = "slow", Model = "gpt-image-1", Quality = "low", Stream = true, PartialImages = 3 }, null, cancel.Token, observer);
        while (observer.Events.Count == 0) await Task.Delay(5);
        // The next event is 30 s away: only the cancellation can end the call within Hang, which proves it does not
        // wait for the stream. A wall-clock bound would only measure how busy the machine is.
        Assert.False(task.IsCompleted, "the call ended before it was cancelled");
        Assert.True(OpenAIImages.Tests.Streaming.ServerSentEventReaderTests.Hang < server.Options.StreamEventInterval);
        var clock = Stopwatch.StartNew();
        cancel.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task.WaitAsync(OpenAIImages.Tests.Streaming.ServerSentEventReaderTests.Hang));
        clock.Stop();
        _output.WriteLine($"Cancelled mid-stream in {clock.Elapsed.TotalMilliseconds:0.0} ms (target 200 ms)");
        // The target is 200 ms; the bound is generous (25 times that) so a busy machine cannot fail it.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"cancellation took {clock.Elapsed.TotalMilliseconds:0} ms");
        Assert.Single(observer.Events);
    }

    [Fact]
    public async Task AStreamRequestRefusedBeforeStartingIsRetried()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        server.Options.Faults.Add(new FaultRule(FaultKind.Status) { StatusCode = 503, OnRequests = new[] { 1 } });
        var image = Assert.Single(await TestClients.For(server, maxRetries: 2).GenerateAsync(new ImageGenerationRequest { Prompt = "x", Model = "gpt-image-1", Quality = "low", Stream = true }));
        Assert.NotNull(image.Bytes);
        Assert.Equal(2, server.Requests.Count);
    }
}
