using System.Net;
using System.Net.Sockets;
using System.Text;

namespace OpenAIImages.Tests.Loading;

/// <summary>
/// A loopback HTTP server that answers every request with one JSON body and keeps the request bodies it received,
/// so an engine loaded where the test cannot reference its types can still be driven through its real HTTP path.
/// </summary>
internal sealed class LoopbackJsonServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly byte[] _response;
    private readonly Task _serving;

    public LoopbackJsonServer(string json)
    {
        byte[] body = Encoding.UTF8.GetBytes(json);
        byte[] head = Encoding.ASCII.GetBytes(
            $"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\nx-request-id: req_loading_test\r\nConnection: close\r\n\r\n");
        _response = head.Concat(body).ToArray();
        _listener.Start();
        BaseUri = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/v1/");
        _serving = Task.Run(ServeAsync);
    }

    public Uri BaseUri { get; }

    public List<string> RequestBodies { get; } = new();

    private async Task ServeAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                using TcpClient client = await _listener.AcceptTcpClientAsync(_stop.Token);
                using NetworkStream stream = client.GetStream();
                string body = await ReadRequestBodyAsync(stream, _stop.Token);
                lock (RequestBodies) RequestBodies.Add(body);
                await stream.WriteAsync(_response, _stop.Token);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Dispose stopped the listener.
        }
    }

    private static async Task<string> ReadRequestBodyAsync(NetworkStream stream, CancellationToken cancel)
    {
        var received = new List<byte>();
        var buffer = new byte[8192];
        int headerEnd = -1;
        while (headerEnd < 0)
        {
            int read = await stream.ReadAsync(buffer, cancel);
            if (read == 0) return "";
            received.AddRange(buffer.AsSpan(0, read).ToArray());
            headerEnd = IndexOf(received, "\r\n\r\n"u8.ToArray());
        }
        string head = Encoding.ASCII.GetString(received.GetRange(0, headerEnd).ToArray());
        int length = head.Split("\r\n")
            .Where(line => line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
            .Select(line => int.Parse(line["Content-Length:".Length..].Trim()))
            .FirstOrDefault();
        int bodyStart = headerEnd + 4;
        while (received.Count - bodyStart < length)
        {
            int read = await stream.ReadAsync(buffer, cancel);
            if (read == 0) break;
            received.AddRange(buffer.AsSpan(0, read).ToArray());
        }
        return Encoding.UTF8.GetString(received.GetRange(bodyStart, received.Count - bodyStart).ToArray());
    }

    private static int IndexOf(List<byte> data, byte[] pattern)
    {
        for (int i = 0; i + pattern.Length <= data.Count; i++)
        {
            int j = 0;
            while (j < pattern.Length && data[i + j] == pattern[j]) j++;
            if (j == pattern.Length) return i;
        }
        return -1;
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        try
        {
            _serving.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }
        _stop.Dispose();
    }
}
