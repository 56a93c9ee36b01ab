using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using OpenAIImages.Engine.Http;
using OpenAIImages.Engine.Results;
using Xunit;

namespace OpenAIImages.Tests.Reliability;

/// <summary>Downloads of URL results: a server that stalls must not hold the caller forever, and Ctrl+C must end the wait.</summary>
public sealed class ImageDownloadTests : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _serving;

    public ImageDownloadTests()
    {
        _listener.Start();
        _serving = Task.Run(ServeStalledAsync);
    }

    private Uri Url => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/files/stalled.png");

    /// <summary>Answers each request with headers and the first bytes of a PNG, then sends nothing more.</summary>
    private async Task ServeStalledAsync()
    {
        var held = new List<TcpClient>();
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var socket = await _listener.AcceptTcpClientAsync(_stop.Token);
                held.Add(socket);
                var stream = socket.GetStream();
                var buffer = new byte[8192];
                int total = 0;
                while (!Encoding.ASCII.GetString(buffer, 0, total).Contains("\r\n\r\n")) total += await stream.ReadAsync(buffer.AsMemory(total), _stop.Token);
                await stream.WriteAsync(Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nContent-Length: 100000\r\n\r\n"), _stop.Token);
                await stream.WriteAsync(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 13, 10, 26, 10 }, _stop.Token);
                await stream.FlushAsync(_stop.Token);
            }
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            foreach (var socket in held) socket.Dispose();
        }
    }

    [Fact]
    public async Task AStalledDownloadTimesOut()
    {
        var watch = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<OpenAITransportException>(() => ImageDownloader.DownloadAsync(Url, TimeSpan.FromMilliseconds(500), CancellationToken.None));
        Assert.Equal(OpenAITransportException.TimedOut, error.ErrorId);
        Assert.Contains("/files/stalled.png", error.Message);
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(450), $"timed out after {watch.Elapsed}, before the 500 ms timeout");
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task CancellingAStalledDownloadEndsItAtOnce()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var watch = Stopwatch.StartNew();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ImageDownloader.DownloadAsync(Url, TimeSpan.FromMinutes(10), cancel.Token));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task CancellingTheSaveOfAUrlImageMidDownloadWritesNothing()
    {
        var image = new GeneratedImage { Url = Url, Model = "dall-e-2" };
        string folder = Directory.CreateTempSubdirectory("OpenAIImages-save-").FullName;
        try
        {
            using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => image.SaveAsync(Path.Combine(folder, "stopped.png"), force: false, cancel.Token));
            Assert.Null(image.Path);
            Assert.Null(image.Bytes);
            Assert.Empty(Directory.GetFileSystemEntries(folder));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        await _serving;
        _stop.Dispose();
    }
}
