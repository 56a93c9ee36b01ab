using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Text;
using OpenAIImages.Engine.Http;
using Xunit;

namespace OpenAIImages.Tests.Reliability;

/// <summary>
/// The one HTTP pipeline (HttpClientProvider): what its handler chain is made of on .NET Core, and that every client
/// it hands out shares one pool of connections.
/// </summary>
public sealed class HttpPipelineTests
{
    [Fact]
    public void TheChainFollowsRedirectsItselfOverASocketsHandlerWhoseConnectionsAreRenewed()
    {
        var chain = Assert.IsType<RedirectHandler>(HttpClientProvider.CreateChain(ProxySettings.System));
        var sockets = Assert.IsType<SocketsHttpHandler>(chain.InnerHandler);
        Assert.False(sockets.AllowAutoRedirect);
        Assert.Equal(DecompressionMethods.GZip | DecompressionMethods.Deflate, sockets.AutomaticDecompression);
        Assert.Equal(64, sockets.MaxConnectionsPerServer);
        Assert.Equal(TimeSpan.FromMinutes(5), sockets.PooledConnectionLifetime);
        Assert.True(sockets.UseProxy);
        Assert.Null(sockets.Proxy); // the system's proxy
    }

    [Fact]
    public void AnExplicitProxyGoesOnTheInnermostHandlerWithItsCredential()
    {
        var credential = new NetworkCredential("proxy-user", "proxy-pass");
        var chain = Assert.IsType<RedirectHandler>(HttpClientProvider.CreateChain(new ProxySettings(new Uri("http://proxy.example:3128"), credential)));
        var sockets = Assert.IsType<SocketsHttpHandler>(chain.InnerHandler);
        Assert.True(sockets.UseProxy);
        var proxy = Assert.IsType<WebProxy>(sockets.Proxy);
        Assert.Equal(new Uri("http://proxy.example:3128"), proxy.Address);
        Assert.Same(credential, proxy.Credentials);
    }

    [Fact]
    public async Task ClientsHandedOutOneAfterAnotherReuseOneConnection()
    {
        using var server = new KeepAliveServer();
        foreach (int _ in Enumerable.Range(0, 3))
        {
            using var client = HttpClientProvider.Get(ProxySettings.System);
            Assert.Equal(Timeout.InfiniteTimeSpan, client.Timeout);
            using var response = await client.GetAsync(server.Uri);
            Assert.Equal("ok", await response.Content.ReadAsStringAsync());
        }
        Assert.Equal(3, server.Requests);
        Assert.Equal(1, server.Connections);
    }

    /// <summary>Answers every request on a connection with "ok" and keeps the connection open; counts both.</summary>
    private sealed class KeepAliveServer : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _stop = new();
        private int _connections;
        private int _requests;

        public KeepAliveServer()
        {
            _listener.Start();
            _ = Task.Run(AcceptAsync);
        }

        public Uri Uri => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/keep-alive");
        public int Connections => Volatile.Read(ref _connections);
        public int Requests => Volatile.Read(ref _requests);

        private async Task AcceptAsync()
        {
            try
            {
                while (true)
                {
                    var socket = await _listener.AcceptTcpClientAsync(_stop.Token);
                    Interlocked.Increment(ref _connections);
                    _ = Task.Run(() => ServeAsync(socket));
                }
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
            }
        }

        private async Task ServeAsync(TcpClient socket)
        {
            using (socket)
            {
                var stream = socket.GetStream();
                var buffer = new byte[8192];
                var pending = new StringBuilder();
                try
                {
                    while (true)
                    {
                        int read = await stream.ReadAsync(buffer, _stop.Token);
                        if (read == 0) return;
                        pending.Append(Encoding.ASCII.GetString(buffer, 0, read));
                        int end;
                        while ((end = pending.ToString().IndexOf("\r\n\r\n", StringComparison.Ordinal)) >= 0)
                        {
                            pending.Remove(0, end + 4);
                            Interlocked.Increment(ref _requests);
                            await stream.WriteAsync(Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Type: text/plain\r\n\r\nok"), _stop.Token);
                        }
                    }
                }
                catch (Exception e) when (e is OperationCanceledException or IOException)
                {
                }
            }
        }

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Stop();
            _stop.Dispose();
        }
    }
}
