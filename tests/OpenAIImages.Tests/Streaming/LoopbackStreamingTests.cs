using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
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

/// <summary>
/// The reader on a real HTTP response stream: HttpClient's chunked decoding, socket reads of whatever size the
/// kernel hands over, and cancellation of a read pending on a socket.
/// </summary>
public class LoopbackStreamingTests
{
    private const string Gen = "image_generation";
    private readonly ITestOutputHelper _output;

    public LoopbackStreamingTests(ITestOutputHelper output)
    {
        _output = output;
    }

    private static PreparedRequest Request(int partials) => ImageRequestValidator.Prepare(new ImageGenerationRequest { Model = "gpt-image-1.5", Prompt = "otter", Stream = true, PartialImages = partials });

    [Fact]
    public async Task PartialAndFinalImagesArriveOverChunkedHttp()
    {
        var partials = Enumerable.Range(0, 3).Select(i => Png(32, 32, (byte)(60 * i))).ToArray();
        var final = Png(64, 48, 250);
        string sse = string.Concat(partials.Select((p, i) => Partial(Gen, p, i))) + Completed(Gen, final);
        await using var server = LoopbackSseServer.Start(Encoding.ASCII.GetBytes(sse), new Random(3), then: ServerEnd.Finish);
        using var client = new HttpClient();
        using var response = await client.GetAsync(server.Uri, HttpCompletionOption.ResponseHeadersRead);
        string? requestId = ApiErrorReader.RequestIdOf(response);
        await using var stream = await response.Content.ReadAsStreamAsync();
        var observer = new RecordingObserver();

        var images = await new ImageStreamReader(Request(3), requestId) { StatusCode = (int)response.StatusCode }
            .ReadAsync(stream, observer, CancellationToken.None);

        _output.WriteLine($"{sse.Length:N0} bytes sent in {server.Pieces} pieces");
        Assert.Equal("req_loopback", requestId);
        Assert.Equal(new[] { "partial", "partial", "partial", "completed" }, observer.Calls.Select(c => c.Kind));
        Assert.Equal(partials, observer.Calls.Take(3).Select(c => c.Progress.Image.Bytes));
        var image = Assert.Single(images);
        Assert.Equal(final, image.Bytes);
        Assert.Equal("64x48", image.Size);
        Assert.Equal("req_loopback", image.RequestId);
    }

    [Fact]
    public async Task AServerThatEndsTheResponseEarlyGivesAnInvalidResponse()
    {
        var error = await ReadOnePartialThenAsync(ServerEnd.Finish, seed: 4);
        Assert.Equal(OpenAITransportException.ResponseInvalid, error.ErrorId);
        Assert.Equal("req_loopback", error.RequestId);
    }

    [Fact]
    public async Task AConnectionDroppedMidChunkIsAConnectionFailure()
    {
        // HttpClient sees the chunked body end without its last chunk: the connection, not the server's events, failed.
        var error = await ReadOnePartialThenAsync(ServerEnd.Drop, seed: 5);
        Assert.Equal(OpenAITransportException.ConnectionFailed, error.ErrorId);
        Assert.Equal("req_loopback", error.RequestId);
    }

    /// <summary>Reads a stream that sends one partial image of two and then ends as <paramref name="end"/> says.</summary>
    private async Task<OpenAITransportException> ReadOnePartialThenAsync(ServerEnd end, int seed)
    {
        string sse = Partial(Gen, Png(8, 8, 1), 0);
        await using var server = LoopbackSseServer.Start(Encoding.ASCII.GetBytes(sse), new Random(seed), then: end);
        using var client = new HttpClient();
        using var response = await client.GetAsync(server.Uri, HttpCompletionOption.ResponseHeadersRead);
        await using var stream = await response.Content.ReadAsStreamAsync();

        var error = await Assert.ThrowsAsync<OpenAITransportException>(() =>
            new ImageStreamReader(Request(2), "req_loopback").ReadAsync(stream, null, CancellationToken.None));
        _output.WriteLine(error.Message);
        return error;
    }

    [Fact]
    public async Task CancellingWhileTheServerIsSilentReturnsPromptly()
    {
        string sse = Partial(Gen, Png(8, 8, 1), 0);
        await using var server = LoopbackSseServer.Start(Encoding.ASCII.GetBytes(sse), new Random(6), then: ServerEnd.Stall);
        using var client = new HttpClient();
        using var response = await client.GetAsync(server.Uri, HttpCompletionOption.ResponseHeadersRead);
        await using var stream = await response.Content.ReadAsStreamAsync();
        using var cancel = new CancellationTokenSource();
        var partialSeen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var reading = new ImageStreamReader(Request(2), "req_loopback")
            .ReadAsync(stream, new RecordingObserver(_ => partialSeen.TrySetResult()), cancel.Token);
        await partialSeen.Task.WaitAsync(ServerSentEventReaderTests.Hang);
        await Task.Delay(100);
        // The server sends nothing more and the idle timeout is five minutes: only the cancellation can end the
        // read within Hang, which proves it waits for neither the socket nor the timer. A wall-clock bound would
        // only measure how busy the machine is.
        Assert.False(reading.IsCompleted, "the read ended before it was cancelled");
        Assert.True(ServerSentEventReaderTests.Hang < ServerSentEventReader.DefaultIdleTimeout);
        var clock = Stopwatch.StartNew();
        cancel.Cancel();
        var error = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => reading.WaitAsync(ServerSentEventReaderTests.Hang));
        clock.Stop();

        _output.WriteLine($"cancelled a pending socket read in {clock.Elapsed.TotalMilliseconds:0.0} ms");
        Assert.Equal(cancel.Token, error.CancellationToken);
    }

    [Fact]
    public async Task ASilentServerTimesOutAfterTheIdleTimeout()
    {
        var idle = TimeSpan.FromMilliseconds(300);
        string sse = Partial(Gen, Png(8, 8, 1), 0);
        await using var server = LoopbackSseServer.Start(Encoding.ASCII.GetBytes(sse), new Random(7), then: ServerEnd.Stall);
        using var client = new HttpClient();
        using var response = await client.GetAsync(server.Uri, HttpCompletionOption.ResponseHeadersRead);
        await using var stream = await response.Content.ReadAsStreamAsync();

        var clock = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<OpenAITransportException>(() =>
            new ImageStreamReader(Request(2), "req_loopback") { IdleTimeout = idle }.ReadAsync(stream, null, CancellationToken.None).WaitAsync(ServerSentEventReaderTests.Hang));
        clock.Stop();

        _output.WriteLine($"timed out after {clock.Elapsed.TotalMilliseconds:0} ms: {error.Message}");
        Assert.Equal(OpenAITransportException.TimedOut, error.ErrorId);
        Assert.True(clock.Elapsed >= idle - TimeSpan.FromMilliseconds(50), $"timed out after {clock.Elapsed.TotalMilliseconds:0} ms, before the idle timeout");
        Assert.True(clock.Elapsed < idle + TimeSpan.FromSeconds(3));
    }
}

internal enum ServerEnd
{
    /// <summary>Send the last chunk: a clean end of the body.</summary>
    Finish,
    /// <summary>Close the socket without the last chunk.</summary>
    Drop,
    /// <summary>Send nothing more and keep the connection open until disposed.</summary>
    Stall,
}

/// <summary>
/// Answers one HTTP request on 127.0.0.1 with a chunked <c>text/event-stream</c> body, sent in pieces of random
/// size with a flush after each, so chunk and read boundaries fall inside fields, line endings and base64.
/// </summary>
internal sealed class LoopbackSseServer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private Task _serving = Task.CompletedTask;

    private LoopbackSseServer(TcpListener listener)
    {
        _listener = listener;
    }

    public Uri Uri => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/v1/images/generations");
    public int Pieces { get; private set; }

    public static LoopbackSseServer Start(byte[] body, Random random, ServerEnd then)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var server = new LoopbackSseServer(listener);
        // Off the test's synchronization context, like a real server on another machine.
        server._serving = Task.Run(() => server.ServeAsync(body, random, then));
        return server;
    }

    private async Task ServeAsync(byte[] body, Random random, ServerEnd then)
    {
        var token = _stop.Token;
        using var socket = await _listener.AcceptTcpClientAsync(token);
        socket.NoDelay = true;
        using var network = socket.GetStream();
        await ReadRequestHeadAsync(network, token);
        await Write(network, "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\nx-request-id: req_loopback\r\nTransfer-Encoding: chunked\r\n\r\n", token);
        for (int sent = 0; sent < body.Length; Pieces++)
        {
            int size = Math.Min(body.Length - sent, random.Next(1, 512));
            await Write(network, size.ToString("x") + "\r\n", token);
            await network.WriteAsync(body.AsMemory(sent, size), token);
            await Write(network, "\r\n", token);
            await network.FlushAsync(token);
            sent += size;
            if (Pieces % 8 == 0) await Task.Delay(1, token);
        }
        switch (then)
        {
            case ServerEnd.Finish:
                await Write(network, "0\r\n\r\n", token);
                break;
            case ServerEnd.Drop:
                socket.Client.Shutdown(SocketShutdown.Both);
                break;
            case ServerEnd.Stall:
                await Task.Delay(Timeout.Infinite, token);
                break;
        }
    }

    private static async Task ReadRequestHeadAsync(NetworkStream network, CancellationToken token)
    {
        var seen = new List<byte>();
        var one = new byte[1];
        while (seen.Count < 4 || !(seen[^4] == '\r' && seen[^3] == '\n' && seen[^2] == '\r' && seen[^1] == '\n'))
        {
            if (await network.ReadAsync(one, token) == 0) return;
            seen.Add(one[0]);
        }
    }

    private static Task Write(NetworkStream network, string text, CancellationToken token) => network.WriteAsync(Encoding.ASCII.GetBytes(text), token).AsTask();

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        try
        {
            await _serving;
        }
        catch (Exception e) when (e is OperationCanceledException || e is IOException || e is SocketException)
        {
            // The client hung up or the test is over: either way the server is done.
        }
        _listener.Stop();
        _stop.Dispose();
    }
}
