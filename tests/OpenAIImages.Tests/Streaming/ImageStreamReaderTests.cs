using System.Diagnostics;
using System.Text;
using OpenAIImages.Engine.Http;
using OpenAIImages.Engine.Requests;
using OpenAIImages.Engine.Results;
using OpenAIImages.Engine.Streaming;
using OpenAIImages.Engine.Validation;
using Xunit;
using Xunit.Abstractions;
using static OpenAIImages.Tests.Streaming.ImageEvents;

namespace OpenAIImages.Tests.Streaming;

public class ImageStreamReaderTests
{
    private const string RequestId = "req_stream_123";
    private const string Gen = "image_generation";
    private readonly ITestOutputHelper _output;

    public ImageStreamReaderTests(ITestOutputHelper output)
    {
        _output = output;
    }

    private static ImageGenerationRequest Request(int? n = null, int? partials = null) => new()
    {
        Model = " gpt-image-1.5 ",
        Prompt = "a sea otter holding a lantern",
        Count = n,
        Stream = true,
        PartialImages = partials,
        Size = "1024x1024",
    };

    private static ImageStreamReader Reader(ImageGenerationRequest request, TimeSpan? idle = null) => Reader(ImageRequestValidator.Prepare(request), idle);

    private static ImageStreamReader Reader(PreparedRequest prepared, TimeSpan? idle = null) =>
        new(prepared, RequestId) { IdleTimeout = idle ?? Timeout.InfiniteTimeSpan };

    private static PreparedRequest EditRequest(int partials)
    {
        var request = new ImageEditRequest { Model = "gpt-image-1.5", Prompt = "a sea otter holding a lantern", Stream = true, PartialImages = partials, Size = "1024x1024" };
        request.References.Add(ImageReference.FromUrl("https://example.test/otter.png"));
        return ImageRequestValidator.Prepare(request);
    }

    private static Task<IReadOnlyList<GeneratedImage>> Read(string sse, ImageGenerationRequest request, IImageStreamObserver? observer = null, Chunking chunking = Chunking.Whole) =>
        Reader(request).ReadAsync(Chunks.Of(Encoding.UTF8.GetBytes(sse), chunking), observer, CancellationToken.None);

    public static TheoryData<int, Chunking> PartialCountsAndChunkings()
    {
        var data = new TheoryData<int, Chunking>();
        foreach (int partials in new[] { 0, 1, 3 })
            foreach (var chunking in Enum.GetValues<Chunking>())
                data.Add(partials, chunking);
        return data;
    }

    [Theory]
    [MemberData(nameof(PartialCountsAndChunkings))]
    public async Task PartialImagesComeInOrderThenTheFinalImageWithTheBytesTheStreamCarried(int partials, Chunking chunking)
    {
        var partialBytes = Enumerable.Range(0, partials).Select(i => Png(8, 8, (byte)(40 * i))).ToArray();
        var finalBytes = Png(16, 12, 200);
        var sse = new StringBuilder(": keep-alive\n\n");
        for (int i = 0; i < partials; i++) sse.Append(Partial(Gen, partialBytes[i], i));
        sse.Append(Completed(Gen, finalBytes));
        var observer = new RecordingObserver();

        var images = await Read(sse.ToString(), Request(partials: partials), observer, chunking);

        Assert.Equal(partials + 1, observer.Calls.Count);
        for (int i = 0; i < partials; i++)
        {
            var (kind, progress) = observer.Calls[i];
            Assert.Equal("partial", kind);
            Assert.True(progress.IsPartial);
            Assert.True(progress.Image.IsPartial);
            Assert.Equal(i, progress.PartialImageIndex);
            Assert.Equal(i, progress.Image.PartialImageIndex);
            Assert.Equal(partialBytes[i], progress.Image.Bytes);
            Assert.Equal(partials, progress.PartialImageCount);
            Assert.Equal($"Partial image {i + 1} of {partials}", progress.StatusDescription);
            Assert.Equal((i + 1) * 100 / (partials + 1), progress.PercentComplete);
            Assert.Equal(0, progress.Image.Index);
            Assert.Null(progress.Image.Usage);
            Assert.Equal(8, progress.Image.Width);
        }
        var (lastKind, last) = observer.Calls[^1];
        Assert.Equal("completed", lastKind);
        Assert.Equal(100, last.PercentComplete);
        Assert.Equal("Image complete", last.StatusDescription);

        var image = Assert.Single(images);
        Assert.Same(image, last.Image);
        Assert.False(image.IsPartial);
        Assert.Null(image.PartialImageIndex);
        Assert.Equal(finalBytes, image.Bytes);
        Assert.Equal(0, image.Index);
        Assert.Equal("16x12", image.Size);
        Assert.Equal("png", image.OutputFormat);
        Assert.Equal("high", image.Quality);
        Assert.Equal("transparent", image.Background);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(CreatedAt), image.Created);
        Assert.Equal("gpt-image-1.5", image.Model);
        Assert.Equal("a sea otter holding a lantern", image.Prompt);
        Assert.Equal(ImageOperation.Generation, image.Operation);
        Assert.Equal(RequestId, image.RequestId);
        Assert.NotNull(image.Usage);
        Assert.Equal(4260, image.Usage!.TotalTokens);
        Assert.Equal(50, image.Usage.InputTokens);
        Assert.Equal(4210, image.Usage.OutputTokens);
        Assert.Equal(10, image.Usage.InputTextTokens);
        Assert.Equal(40, image.Usage.InputImageTokens);
    }

    [Theory]
    [InlineData(Chunking.Whole)]
    [InlineData(Chunking.OneByte)]
    public async Task EditEventsGiveEditImages(Chunking chunking)
    {
        var partial = Png(4, 4, 1);
        var final = Png(6, 6, 2);
        string sse = Partial("image_edit", partial, 0) + Completed("image_edit", final);
        var observer = new RecordingObserver();

        var images = await Reader(EditRequest(partials: 1))
            .ReadAsync(Chunks.Of(Encoding.UTF8.GetBytes(sse), chunking), observer, CancellationToken.None);

        Assert.Equal(new[] { "partial", "completed" }, observer.Calls.Select(c => c.Kind));
        Assert.Equal(partial, observer.Calls[0].Progress.Image.Bytes);
        Assert.Equal(final, Assert.Single(images).Bytes);
        Assert.Equal(ImageOperation.Edit, images[0].Operation);
    }

    [Fact]
    public async Task WithSeveralImagesEachPartialBelongsToTheImageInProgress()
    {
        var bytes = Enumerable.Range(0, 6).Select(i => Png(3, 3, (byte)i)).ToArray();
        string sse = Partial(Gen, bytes[0], 0) + Partial(Gen, bytes[1], 1) + Completed(Gen, bytes[2])
                   + Partial(Gen, bytes[3], 0) + Partial(Gen, bytes[4], 1) + Completed(Gen, bytes[5]);
        var observer = new RecordingObserver();

        var images = await Read(sse, Request(n: 2, partials: 2), observer, Chunking.Random);

        Assert.Equal(new[] { bytes[2], bytes[5] }, images.Select(i => i.Bytes));
        Assert.Equal(new[] { 0, 1 }, images.Select(i => i.Index));
        Assert.Equal(new[] { 0, 0, 0, 1, 1, 1 }, observer.Calls.Select(c => c.Progress.ImageIndex));
        Assert.Equal(new[] { "partial", "partial", "completed", "partial", "partial", "completed" }, observer.Calls.Select(c => c.Kind));
        Assert.Equal(new[] { 16, 33, 50, 66, 83, 100 }, observer.Calls.Select(c => c.Progress.PercentComplete));
        Assert.Equal("Image 2 of 2: partial image 2 of 2", observer.Calls[4].Progress.StatusDescription);
        Assert.Equal("Image 1 of 2 complete", observer.Calls[2].Progress.StatusDescription);
    }

    [Fact]
    public async Task TheFinalImageMayComeBeforeAllPartialImages()
    {
        var final = Png(5, 5, 9);
        var observer = new RecordingObserver();

        var images = await Read(Partial(Gen, Png(5, 5, 1), 0) + Completed(Gen, final), Request(partials: 3), observer);

        Assert.Equal(new[] { "partial", "completed" }, observer.Calls.Select(c => c.Kind));
        Assert.Equal("Partial image 1 of 3", observer.Calls[0].Progress.StatusDescription);
        Assert.Equal(final, Assert.Single(images).Bytes);
    }

    [Fact]
    public async Task TheEventNameStandsInForAMissingTypeAndTheTypeWinsOverTheName()
    {
        var partial = Png(2, 2, 1);
        var final = Png(2, 2, 2);
        string sse = Sse("image_generation.partial_image", Json(null, partial, 0, usage: false))
                   + Sse("message", Json("image_generation.completed", final, null, usage: true));
        var observer = new RecordingObserver();

        var images = await Read(sse, Request(partials: 1), observer);

        Assert.Equal(new[] { "partial", "completed" }, observer.Calls.Select(c => c.Kind));
        Assert.Equal(final, Assert.Single(images).Bytes);
    }

    [Theory]
    [InlineData(Chunking.Whole)]
    [InlineData(Chunking.OneByte)]
    public async Task UnknownEventsAndFieldsAreIgnored(Chunking chunking)
    {
        var final = Png(4, 3, 7);
        string sse = Sse("image_generation.in_progress", "{\"type\":\"image_generation.in_progress\",\"sequence_number\":1}")
                   + Sse(null, "{\"type\":\"response.heartbeat\",\"b64_json\":null}")
                   + Sse(null, "[DONE]")
                   + Sse("ping", "")
                   + "id: 7\nretry: 3000\nfoo: bar\n\n"
                   + Completed(Gen, final, extra: w =>
                   {
                       w.WriteString("revised_prompt", "an otter");
                       w.WriteStartObject("moderation");
                       w.WriteStartArray("flags");
                       w.WriteStringValue("none");
                       w.WriteEndArray();
                       w.WriteEndObject();
                       w.WriteNumber("sequence_number", 4);
                   });
        var observer = new RecordingObserver();

        var images = await Read(sse, Request(), observer, chunking);

        Assert.Equal(final, Assert.Single(images).Bytes);
        Assert.Equal("completed", Assert.Single(observer.Calls).Kind);
    }

    [Fact]
    public async Task EscapedBase64IsDecoded()
    {
        // Some servers write "/" as "\/"; the payload must still decode exactly.
        var bytes = PngShaped.Around(Enumerable.Range(0, 3000).Select(i => (byte)(i * 7 + 255)).ToArray());
        string base64 = Convert.ToBase64String(bytes);
        Assert.Contains("/", base64);
        string sse = Sse(null, "{\"type\":\"image_generation.completed\",\"b64_json\":\"" + base64.Replace("/", "\\/") + "\"}");

        var images = await Read(sse, Request(), chunking: Chunking.Random);

        Assert.Equal(bytes, Assert.Single(images).Bytes);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task AFourMegabyteImageReadInRandomChunksDecodesExactly(int seed)
    {
        var random = new Random(seed);
        var bytes = new byte[3 * 1024 * 1024];
        random.NextBytes(bytes);
        bytes = PngShaped.Around(bytes);
        var partial = new byte[700 * 1024];
        random.NextBytes(partial);
        partial = PngShaped.Around(partial);
        byte[] sse = Encoding.ASCII.GetBytes(Partial(Gen, partial, 0) + Completed(Gen, bytes, extra: w => w.WriteString("size", "1536x1024")));
        var stream = ChunkedStream.Random(sse, seed, 64 * 1024);
        var observer = new RecordingObserver();

        var clock = Stopwatch.StartNew();
        var images = await Reader(Request(partials: 1)).ReadAsync(stream, observer, CancellationToken.None);
        clock.Stop();

        _output.WriteLine($"{sse.Length:N0} bytes of events in {stream.Reads} reads, decoded in {clock.ElapsedMilliseconds} ms");
        Assert.Equal(partial, observer.Calls[0].Progress.Image.Bytes);
        var image = Assert.Single(images);
        Assert.Equal(bytes.Length, image.Bytes!.Length);
        Assert.True(bytes.AsSpan().SequenceEqual(image.Bytes));
        // Bytes whose header cannot be measured: the size comes from the event (the last "size" member wins).
        Assert.Equal("1536x1024", image.Size);
    }

    [Theory]
    [InlineData(Chunking.Whole)]
    [InlineData(Chunking.OneByte)]
    public async Task AStreamCutBeforeTheCompletedEventIsAnInvalidResponse(Chunking chunking)
    {
        string completed = Completed(Gen, Png(8, 8, 3));
        // The completed event's data line is cut off half way, with no blank line after it.
        string sse = Partial(Gen, Png(8, 8, 1), 0) + Partial(Gen, Png(8, 8, 2), 1) + completed.Substring(0, completed.Length / 2);
        var observer = new RecordingObserver();

        var error = await Assert.ThrowsAsync<OpenAITransportException>(() => Read(sse, Request(partials: 3), observer, chunking));

        _output.WriteLine(error.Message);
        Assert.Equal(OpenAITransportException.ResponseInvalid, error.ErrorId);
        Assert.Equal(RequestId, error.RequestId);
        Assert.StartsWith("The stream ended before the image was complete", error.Message);
        Assert.Contains("2 partial images", error.Message);
        Assert.Contains(RequestId, error.Message);
        Assert.Equal(2, observer.Calls.Count);
    }

    [Theory]
    [InlineData("")]
    [InlineData(": only a comment\n\n")]
    [InlineData("data: {\"type\":\"image_generation.completed\",\"b64_json\":\"iVBORw0KGgo=\"}")]
    [InlineData("data: {\"type\":\"image_generation.completed\",\"b64_json\":\"iVBORw0KGgo=\"}\n")]
    public async Task AStreamWithoutAWholeCompletedEventIsNeverASuccess(string sse)
    {
        var error = await Assert.ThrowsAsync<OpenAITransportException>(() => Read(sse, Request()));

        Assert.Equal(OpenAITransportException.ResponseInvalid, error.ErrorId);
        Assert.Equal(RequestId, error.RequestId);
    }

    [Fact]
    public async Task AnEmptyB64JsonIsNoImage()
    {
        var observer = new RecordingObserver();
        string sse = "data: {\"type\":\"image_generation.partial_image\",\"b64_json\":\"\",\"partial_image_index\":0}\n\n"
            + "data: {\"type\":\"image_generation.completed\",\"b64_json\":\"\"}\n\n";

        var error = await Assert.ThrowsAsync<OpenAITransportException>(() => Read(sse, Request(partials: 1), observer));

        Assert.Equal(OpenAITransportException.ResponseInvalid, error.ErrorId);
        Assert.Contains("b64_json", error.Message);
        Assert.Empty(observer.Calls);
    }

    [Fact]
    public async Task FewerCompletedEventsThanRequestedIsAnInvalidResponse()
    {
        string sse = Completed(Gen, Png(2, 2, 1)) + Partial(Gen, Png(2, 2, 2), 0);

        var error = await Assert.ThrowsAsync<OpenAITransportException>(() => Read(sse, Request(n: 2, partials: 1)));

        _output.WriteLine(error.Message);
        Assert.Equal(OpenAITransportException.ResponseInvalid, error.ErrorId);
        Assert.Contains("1 of 2", error.Message);
    }

    [Fact]
    public async Task ReadingStopsOnceTheRequestedImagesAreComplete()
    {
        // The server keeps the connection open after the last image; the images are returned without waiting for it.
        var final = Png(2, 2, 5);
        var stream = new StallingStream(Encoding.ASCII.GetBytes(Completed(Gen, final)));

        var images = await Reader(Request()).ReadAsync(stream, null, CancellationToken.None).WaitAsync(ServerSentEventReaderTests.Hang);

        Assert.Equal(final, Assert.Single(images).Bytes);
    }

    [Theory]
    [InlineData("a completed event without b64_json", "data: {\"type\":\"image_generation.completed\",\"created_at\":1}\n\n")]
    [InlineData("b64_json that is not base64", "data: {\"type\":\"image_generation.completed\",\"b64_json\":\"not base64!\"}\n\n")]
    [InlineData("b64_json that is a number", "data: {\"type\":\"image_generation.completed\",\"b64_json\":12}\n\n")]
    [InlineData("broken JSON", "event: image_generation.completed\ndata: {\"type\":\"image_generation.completed\",\"b64_json\":\"AAAA\"\n\n")]
    [InlineData("data that is not JSON under an image event name", "event: image_generation.partial_image\ndata: hello\n\n")]
    public async Task AnImageEventThatCannotBeReadIsAnInvalidResponse(string because, string sse)
    {
        var error = await Assert.ThrowsAsync<OpenAITransportException>(() => Read(sse, Request()));

        _output.WriteLine($"{because}: {error.Message}");
        Assert.Equal(OpenAITransportException.ResponseInvalid, error.ErrorId);
        Assert.Equal(RequestId, error.RequestId);
    }

    public static TheoryData<string, string, string?, string?, string?> ErrorEvents() => new()
    {
        {
            "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"code\":\"moderation_blocked\",\"message\":\"Your request was rejected by the safety system.\",\"param\":\"prompt\"}}\n\n",
            "Your request was rejected by the safety system.", "moderation_blocked", "invalid_request_error", "prompt"
        },
        {
            "data: {\"error\":{\"type\":\"server_error\",\"code\":\"image_generation_failed\",\"message\":\"Image generation failed.\",\"param\":null}}\n\n",
            "Image generation failed.", "image_generation_failed", "server_error", null
        },
        {
            "data: {\"type\":\"error\",\"code\":\"rate_limit_exceeded\",\"message\":\"Slow down.\",\"param\":null,\"sequence_number\":3}\n\n",
            "Slow down.", "rate_limit_exceeded", null, null
        },
        {
            "event: error\ndata: {\"type\":\"invalid_request_error\",\"code\":\"invalid_value\",\"message\":\"Bad size.\",\"param\":\"size\"}\n\n",
            "Bad size.", "invalid_value", "invalid_request_error", "size"
        },
        {
            "event: error\ndata: {\"error\":\"The engine is overloaded.\"}\n\n",
            "The engine is overloaded.", null, null, null
        },
        {
            "event: error\ndata: upstream connect error\n\n",
            "upstream connect error", null, null, null
        },
    };

    [Theory]
    [MemberData(nameof(ErrorEvents))]
    public async Task AnErrorEventIsAnApiErrorWithTheServersWords(string errorEvent, string message, string? code, string? type, string? param)
    {
        string sse = Partial(Gen, Png(2, 2, 1), 0) + errorEvent + Completed(Gen, Png(2, 2, 2));
        var observer = new RecordingObserver();

        var error = await Assert.ThrowsAsync<OpenAIApiException>(() => Read(sse, Request(partials: 2), observer, Chunking.Random));

        _output.WriteLine($"{error.ErrorId}: {error.Message}");
        Assert.Equal(message, error.ApiMessage);
        Assert.Equal(code, error.Code);
        Assert.Equal(type, error.ErrorType);
        Assert.Equal(param, error.Param);
        Assert.Equal(RequestId, error.RequestId);
        Assert.Equal(200, error.StatusCode);
        Assert.Equal("partial", Assert.Single(observer.Calls).Kind);
    }

    [Fact]
    public async Task AModerationErrorInTheStreamKeepsItsOwnErrorId()
    {
        string sse = "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"code\":\"moderation_blocked\",\"message\":\"Rejected.\"}}\n\n";

        var error = await Assert.ThrowsAsync<OpenAIApiException>(() => Read(sse, Request()));

        Assert.Equal("OpenAIContentBlocked", error.ErrorId);
    }

    [Fact]
    public async Task AStalledStreamTimesOutWithinTheIdleTimeout()
    {
        var idle = TimeSpan.FromMilliseconds(300);
        var stream = new StallingStream(Encoding.ASCII.GetBytes(Partial(Gen, Png(4, 4, 1), 0)));
        var observer = new RecordingObserver();

        var clock = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<OpenAITransportException>(() => Reader(Request(partials: 2), idle).ReadAsync(stream, observer, CancellationToken.None).WaitAsync(ServerSentEventReaderTests.Hang));
        clock.Stop();

        _output.WriteLine($"timed out after {clock.Elapsed.TotalMilliseconds:0} ms (idle timeout {idle.TotalMilliseconds:0} ms): {error.Message}");
        Assert.Equal(OpenAITransportException.TimedOut, error.ErrorId);
        Assert.Equal(RequestId, error.RequestId);
        Assert.InRange(clock.Elapsed, idle - TimeSpan.FromMilliseconds(50), idle + TimeSpan.FromSeconds(3));
        Assert.Equal("partial", Assert.Single(observer.Calls).Kind);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task CancellingMidStreamReturnsPromptly(bool streamIgnoresToken)
    {
        var stream = new StallingStream(Encoding.ASCII.GetBytes(Partial(Gen, Png(4, 4, 1), 0)), streamIgnoresToken);
        using var cancel = new CancellationTokenSource();
        var partialSeen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var observer = new RecordingObserver(_ => partialSeen.TrySetResult());

        var reading = Reader(Request(partials: 2)).ReadAsync(stream, observer, cancel.Token);
        await partialSeen.Task.WaitAsync(ServerSentEventReaderTests.Hang);
        while (stream.PendingReads == 0) await Task.Delay(5);
        // Parked on a stream that never delivers, with no idle timeout: only the cancellation can end the read
        // within Hang, which proves it waits for nothing else. A wall-clock bound would only measure how busy the
        // machine is.
        Assert.False(reading.IsCompleted, "the read ended before it was cancelled");
        Assert.Equal(Timeout.InfiniteTimeSpan, Reader(Request(partials: 2)).IdleTimeout);
        var clock = Stopwatch.StartNew();
        cancel.Cancel();
        var error = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => reading.WaitAsync(ServerSentEventReaderTests.Hang));
        clock.Stop();

        _output.WriteLine($"cancelled mid-stream in {clock.Elapsed.TotalMilliseconds:0.0} ms (stream ignores its token: {streamIgnoresToken})");
        Assert.Equal(cancel.Token, error.CancellationToken);
    }

    [Fact]
    public async Task AnObserverThatThrowsEndsTheRead()
    {
        string sse = Partial(Gen, Png(2, 2, 1), 0) + Completed(Gen, Png(2, 2, 2));
        var observer = new RecordingObserver(_ => throw new InvalidOperationException("pipeline stopped"));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Read(sse, Request(partials: 1), observer));

        Assert.Equal("pipeline stopped", error.Message);
    }
}
