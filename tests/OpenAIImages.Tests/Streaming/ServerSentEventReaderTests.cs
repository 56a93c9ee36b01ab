using System.Diagnostics;
using System.Text;
using OpenAIImages.Engine.Http;
using OpenAIImages.Engine.Streaming;
using Xunit;
using Xunit.Abstractions;

namespace OpenAIImages.Tests.Streaming;

public class ServerSentEventReaderTests
{
    private static readonly TimeSpan NoTimeout = Timeout.InfiniteTimeSpan;

    /// <summary>How long a test waits before calling a read hung: a broken reader fails the test instead of stopping the run.</summary>
    internal static readonly TimeSpan Hang = TimeSpan.FromSeconds(15);
    private readonly ITestOutputHelper _output;

    public ServerSentEventReaderTests(ITestOutputHelper output)
    {
        _output = output;
    }

    private sealed record Event(string Type, string Data, string LastEventId);

    private static async Task<List<Event>> ReadAll(Stream stream, TimeSpan? idle = null)
    {
        using var reader = new ServerSentEventReader(stream, idle ?? NoTimeout, "req_test");
        var events = new List<Event>();
        while (await reader.ReadNextAsync())
            events.Add(new Event(reader.EventType, Encoding.UTF8.GetString(reader.Data.Span), reader.LastEventId));
        Assert.False(await reader.ReadNextAsync());
        return events;
    }

    private static Task<List<Event>> ReadAll(string text, Chunking chunking) => ReadAll(Chunks.Of(Encoding.UTF8.GetBytes(text), chunking));

    public static TheoryData<string, Chunking> LineEndingsAndChunkings()
    {
        var data = new TheoryData<string, Chunking>();
        foreach (var newline in new[] { "LF", "CRLF", "CR" })
            foreach (var chunking in Enum.GetValues<Chunking>())
                data.Add(newline, chunking);
        return data;
    }

    private static string Newline(string name) => name switch { "LF" => "\n", "CRLF" => "\r\n", _ => "\r" };

    [Theory]
    [MemberData(nameof(LineEndingsAndChunkings))]
    public async Task EveryLineEndingEndsFieldsAndEvents(string newline, Chunking chunking)
    {
        string nl = Newline(newline);
        string text = $"event: first{nl}data: one{nl}{nl}data: two{nl}data: three{nl}{nl}event: third{nl}data:{nl}{nl}";

        var events = await ReadAll(text, chunking);

        Assert.Equal(new[] { new Event("first", "one", ""), new Event("message", "two\nthree", ""), new Event("third", "", "") }, events);
    }

    [Theory]
    [InlineData(Chunking.Whole)]
    [InlineData(Chunking.OneByte)]
    [InlineData(Chunking.Random)]
    public async Task LineEndingsMayBeMixedInOneStream(Chunking chunking)
    {
        // "\r\n" is one line end but "\n\r" is two, so the CR after "b\n" is a blank line that ends the event.
        var events = await ReadAll("data: a\r\ndata: b\n\rdata: c\r\r\ndata: d\n\n", chunking);

        Assert.Equal(new[] { new Event("message", "a\nb", ""), new Event("message", "c", ""), new Event("message", "d", "") }, events);
    }

    [Theory]
    [InlineData(Chunking.Whole)]
    [InlineData(Chunking.OneByte)]
    [InlineData(Chunking.Random)]
    public async Task CommentsAreSkippedWhereverTheyAre(Chunking chunking)
    {
        string text = ": keep-alive\n:\n: another one: with a colon\ndata: a\n: between data lines\ndata: b\n\n:data: not data\n\n: trailing comment\n";

        var events = await ReadAll(text, chunking);

        Assert.Equal(new[] { new Event("message", "a\nb", "") }, events);
    }

    [Fact]
    public async Task AStreamOfOnlyCommentsHasNoEvents()
    {
        Assert.Empty(await ReadAll(": ping\n\n: ping\n\n", Chunking.OneByte));
    }

    [Theory]
    [InlineData("data:no space\n\n", "no space")]
    [InlineData("data:  two spaces\n\n", " two spaces")]
    [InlineData("data: trailing space \n\n", "trailing space ")]
    [InlineData("data:\n\n", "")]
    [InlineData("data\n\n", "")]
    [InlineData("data\ndata\n\n", "\n")]
    [InlineData("data: a:b: c\n\n", "a:b: c")]
    [InlineData("data: {\"json\": true}\n\n", "{\"json\": true}")]
    public async Task OnlyOneSpaceAfterTheColonIsDropped(string text, string data)
    {
        foreach (var chunking in Enum.GetValues<Chunking>())
        {
            var events = await ReadAll(text, chunking);
            Assert.Equal(new[] { new Event("message", data, "") }, events);
        }
    }

    [Theory]
    [InlineData(Chunking.Whole)]
    [InlineData(Chunking.OneByte)]
    public async Task UnknownFieldsAreIgnored(Chunking chunking)
    {
        string longName = new string('x', 100);
        string text = $"Data: wrong case\ndatas: longer name\n{longName}: value\nfoo\nevent2: no\ndata: kept\nEVENT: no\n\n";

        var events = await ReadAll(text, chunking);

        Assert.Equal(new[] { new Event("message", "kept", "") }, events);
    }

    [Fact]
    public async Task AnEventWithoutDataIsNotDispatchedAndItsTypeDoesNotCarryOver()
    {
        var events = await ReadAll("event: lonely\n\ndata: after\n\nevent: empty\nevent:\ndata: x\n\n", Chunking.Whole);

        Assert.Equal(new[] { new Event("message", "after", ""), new Event("message", "x", "") }, events);
    }

    [Theory]
    [MemberData(nameof(LineEndingsAndChunkings))]
    public async Task AnEventWithoutDataResetsItsTypeWhateverTheLineEndingsAndChunks(string newline, Chunking chunking)
    {
        // The guard hands SseParser a type reset after such an event; it must not change what else the stream says.
        string nl = Newline(newline);
        string text = $"event: lonely{nl}{nl}data: after{nl}{nl}event: one{nl}: comment{nl}{nl}event: two{nl}data: x{nl}{nl}data: y{nl}{nl}";

        var events = await ReadAll(text, chunking);

        Assert.Equal(new[] { new Event("message", "after", ""), new Event("two", "x", ""), new Event("message", "y", "") }, events);
    }

    [Fact]
    public async Task IdCarriesOverToLaterEventsAndAnIdWithNulIsIgnored()
    {
        var events = await ReadAll("id: 1\ndata: a\n\ndata: b\n\nid: 2\u0000x\ndata: c\n\nid\ndata: d\n\n", Chunking.OneByte);

        Assert.Equal(new[] { new Event("message", "a", "1"), new Event("message", "b", "1"), new Event("message", "c", "1"), new Event("message", "d", "") }, events);
    }

    [Fact]
    public async Task RetryTakesOnlyDigits()
    {
        using var reader = new ServerSentEventReader(Chunks.Of(Encoding.UTF8.GetBytes("retry: 1500\ndata: a\n\nretry: 2s\ndata: b\n\n"), Chunking.OneByte), NoTimeout);

        Assert.True(await reader.ReadNextAsync());
        Assert.Equal(1500, reader.RetryMilliseconds);
        Assert.True(await reader.ReadNextAsync());
        Assert.Equal(1500, reader.RetryMilliseconds);
    }

    [Theory]
    [InlineData("data: a\n\ndata: b\n")]
    [InlineData("data: a\n\ndata: b")]
    [InlineData("data: a\n\nevent: x\ndata: b\r\n")]
    [InlineData("data: a\n\ndata: b\r")]
    public async Task AnEventNotClosedByABlankLineIsDiscardedAtTheEnd(string text)
    {
        // WHATWG: "Once the end of the file is reached, any pending data must be discarded."
        foreach (var chunking in Enum.GetValues<Chunking>())
            Assert.Equal(new[] { new Event("message", "a", "") }, await ReadAll(text, chunking));
    }

    [Theory]
    [InlineData(Chunking.Whole)]
    [InlineData(Chunking.OneByte)]
    public async Task ALeadingByteOrderMarkIsDroppedOnlyAtTheStart(Chunking chunking)
    {
        byte[] bom = { 0xEF, 0xBB, 0xBF };
        byte[] text = bom.Concat(Encoding.UTF8.GetBytes("data: a\n\n")).Concat(bom).Concat(Encoding.UTF8.GetBytes("data: ignored\n\ndata: b\n\n")).ToArray();

        var events = await ReadAll(Chunks.Of(text, chunking));

        Assert.Equal(new[] { new Event("message", "a", ""), new Event("message", "b", "") }, events);
    }

    [Fact]
    public async Task MultiByteCharactersSplitAcrossReadsArriveWhole()
    {
        // Two-, three- and four-byte sequences, read one byte at a time, in a name, an id and data.
        string name = "étape✓";
        string data = "{\"prompt\":\"café ☕ 🦦 über\"}";
        string text = $"event: {name}\nid: nº𝟙\ndata: {data}\n\n";

        var events = await ReadAll(text, Chunking.OneByte);

        Assert.Equal(new[] { new Event(name, data, "nº𝟙") }, events);
    }

    [Fact]
    public async Task DataBytesArePassedOnExactly()
    {
        byte[] payload = Encoding.UTF8.GetBytes("🦦 é");
        byte[] text = Encoding.UTF8.GetBytes("data: ").Concat(payload).Concat(Encoding.UTF8.GetBytes("\n\n")).ToArray();
        using var reader = new ServerSentEventReader(ChunkedStream.OneByteAtATime(text), NoTimeout);

        Assert.True(await reader.ReadNextAsync());
        Assert.Equal(payload, reader.Data.ToArray());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task AFourMegabyteDataLineReadInRandomChunksArrivesIntact(int seed)
    {
        var random = new Random(seed);
        var bytes = new byte[3 * 1024 * 1024];
        random.NextBytes(bytes);
        string base64 = Convert.ToBase64String(bytes);
        string text = $": preamble\nevent: big\ndata: {base64}\n\ndata: small\n\n";
        var stream = ChunkedStream.Random(Encoding.ASCII.GetBytes(text), seed, 64 * 1024);

        using var reader = new ServerSentEventReader(stream, NoTimeout);
        Assert.True(await reader.ReadNextAsync());
        Assert.Equal("big", reader.EventType);
        Assert.Equal(base64.Length, reader.Data.Length);
        Assert.True(reader.Data.Span.SequenceEqual(Encoding.ASCII.GetBytes(base64)));
        Assert.True(await reader.ReadNextAsync());
        Assert.Equal("small", Encoding.ASCII.GetString(reader.Data.Span));
        Assert.False(await reader.ReadNextAsync());
        _output.WriteLine($"{text.Length:N0} bytes in {stream.Reads:N0} reads");
    }

    [Fact]
    public async Task AnEventOverTheSizeLimitIsAnInvalidResponse()
    {
        string text = "data: " + new string('A', 2000) + "\n\n";
        using var reader = new ServerSentEventReader(ChunkedStream.Whole(Encoding.ASCII.GetBytes(text)), NoTimeout, "req_big", maxEventBytes: 1000);

        var error = await Assert.ThrowsAsync<OpenAITransportException>(async () => await reader.ReadNextAsync());

        Assert.Equal(OpenAITransportException.ResponseInvalid, error.ErrorId);
        Assert.Equal("req_big", error.RequestId);
    }

    [Fact]
    public async Task AnEndlessEventNameIsAnInvalidResponse()
    {
        string text = "event: " + new string('e', ServerSentEventReader.MaxFieldBytes + 1) + "\ndata: x\n\n";
        using var reader = new ServerSentEventReader(ChunkedStream.Whole(Encoding.ASCII.GetBytes(text)), NoTimeout);

        var error = await Assert.ThrowsAsync<OpenAITransportException>(async () => await reader.ReadNextAsync());

        Assert.Equal(OpenAITransportException.ResponseInvalid, error.ErrorId);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AStalledStreamTimesOutAfterTheIdleTimeout(bool streamIgnoresToken)
    {
        var idle = TimeSpan.FromMilliseconds(300);
        var stream = new StallingStream(Encoding.ASCII.GetBytes("data: first\n\n"), streamIgnoresToken);
        using var reader = new ServerSentEventReader(stream, idle, "req_stall");
        Assert.True(await reader.ReadNextAsync());

        var clock = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<OpenAITransportException>(() => reader.ReadNextAsync().AsTask().WaitAsync(Hang));
        clock.Stop();

        _output.WriteLine($"timed out after {clock.Elapsed.TotalMilliseconds:0} ms with an idle timeout of {idle.TotalMilliseconds:0} ms");
        Assert.Equal(OpenAITransportException.TimedOut, error.ErrorId);
        Assert.Equal("req_stall", error.RequestId);
        Assert.Contains("stalled", error.Message);
        Assert.InRange(clock.Elapsed, idle - TimeSpan.FromMilliseconds(50), idle + TimeSpan.FromSeconds(3));
        // Only a stream deaf to its token needs disposing; one that listens may end its read before the abort runs.
        if (streamIgnoresToken) Assert.True(stream.Disposed, "the stream is disposed so that a read that ignores its token ends");
        Assert.Throws<InvalidOperationException>(() => reader.ReadNextAsync().GetAwaiter().GetResult());
    }

    [Fact]
    public async Task TimeSpentOnAnEventIsNotIdleTime()
    {
        var text = Encoding.ASCII.GetBytes("data: a\n\ndata: b\n\n");
        using var reader = new ServerSentEventReader(ChunkedStream.Random(text, 5, 4), TimeSpan.FromMilliseconds(200));

        Assert.True(await reader.ReadNextAsync());
        await Task.Delay(600);
        Assert.True(await reader.ReadNextAsync());
        Assert.Equal("b", Encoding.ASCII.GetString(reader.Data.Span));
    }

    [Fact]
    public async Task ASlowTrickleIsNotAStall()
    {
        // Each byte comes well within the idle timeout though the event as a whole takes several timeouts.
        // Generous margins: each byte is 1.4 s inside the timeout, so a loaded machine cannot turn it into a stall.
        var idle = TimeSpan.FromMilliseconds(1500);
        var text = Encoding.ASCII.GetBytes("data: a slow trickle\n\n");
        var stream = new DelayedStream(ChunkedStream.OneByteAtATime(text), TimeSpan.FromMilliseconds(100));
        var clock = Stopwatch.StartNew();

        var events = await ReadAll(stream, idle).WaitAsync(Hang);

        _output.WriteLine($"{text.Length} bytes over {clock.ElapsedMilliseconds} ms with an idle timeout of {idle.TotalMilliseconds} ms");
        Assert.Equal(new[] { new Event("message", "a slow trickle", "") }, events);
        Assert.True(clock.Elapsed > idle, "the event took longer than the idle timeout");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task CancellingAPendingReadReturnsPromptly(bool streamIgnoresToken)
    {
        var stream = new StallingStream(Encoding.ASCII.GetBytes("data: first\n\ndata: half"), streamIgnoresToken);
        using var reader = new ServerSentEventReader(stream, TimeSpan.FromMinutes(5), "req_cancel");
        using var cancel = new CancellationTokenSource();
        Assert.True(await reader.ReadNextAsync(cancel.Token));

        var pending = reader.ReadNextAsync(cancel.Token).AsTask();
        while (stream.PendingReads == 0) await Task.Delay(5);
        // The read is parked on a stream that never delivers, with an idle timeout of five minutes: from here
        // only the cancellation can end it, so ending it within Hang proves cancellation does not wait for the
        // stream or the idle timer. A wall-clock bound would only measure how busy the machine is.
        Assert.False(pending.IsCompleted, "the read ended before it was cancelled");
        Assert.True(Hang < reader.IdleTimeout, "the idle timer must not be able to end the read within Hang");
        var clock = Stopwatch.StartNew();
        cancel.Cancel();
        var error = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending.WaitAsync(Hang));
        clock.Stop();

        _output.WriteLine($"cancelled in {clock.Elapsed.TotalMilliseconds:0.0} ms (stream ignores its token: {streamIgnoresToken})");
        Assert.Equal(cancel.Token, error.CancellationToken);
    }

    [Fact]
    public async Task ACancelledTokenStopsBeforeReading()
    {
        var stream = ChunkedStream.Whole(Encoding.ASCII.GetBytes("data: a\n\n"));
        using var reader = new ServerSentEventReader(stream, NoTimeout);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await reader.ReadNextAsync(new CancellationToken(true)));
        Assert.Equal(0, stream.Reads);
    }

    [Fact]
    public async Task AConnectionResetIsAConnectionFailureWithTheRequestId()
    {
        var stream = new ChunkedStream(Encoding.ASCII.GetBytes("data: a\n\ndata: b"), () => 3, new IOException("Connection reset by peer"));
        using var reader = new ServerSentEventReader(stream, NoTimeout, "req_reset");
        Assert.True(await reader.ReadNextAsync());

        var error = await Assert.ThrowsAsync<OpenAITransportException>(async () => await reader.ReadNextAsync());

        Assert.Equal(OpenAITransportException.ConnectionFailed, error.ErrorId);
        Assert.Equal("req_reset", error.RequestId);
        Assert.Contains("Connection reset by peer", error.Message);
    }
}

/// <summary>Waits before every read of the stream it wraps.</summary>
internal sealed class DelayedStream : ReadOnlyTestStream
{
    private readonly Stream _inner;
    private readonly TimeSpan _delay;

    public DelayedStream(Stream inner, TimeSpan delay)
    {
        _inner = inner;
        _delay = delay;
    }

    public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        await Task.Delay(_delay, cancellationToken).ConfigureAwait(false);
        return await _inner.ReadAsync(buffer, offset, count, cancellationToken).ConfigureAwait(false);
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
