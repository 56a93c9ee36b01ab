using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using OpenAIImages.FakeApi.Http;
using OpenAIImages.FakeApi.Recording;
using OpenAIImages.FakeApi.Responses;

namespace OpenAIImages.FakeApi;

/// <summary>
/// A loopback stand-in for the OpenAI Images API (and its Azure URL shapes), strict about the spec, with
/// recording and fault injection for tests. Kestrel runs in-process on 127.0.0.1; start one per test or per
/// test class.
/// </summary>
public sealed class FakeOpenAIServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly RequestLog _log;
    private readonly CancellationTokenSource _stopping;
    private int _disposed;

    private FakeOpenAIServer(WebApplication app, RequestLog log, CancellationTokenSource stopping, FakeServerOptions options, Uri root)
    {
        _app = app;
        _log = log;
        _stopping = stopping;
        Options = options;
        Root = root;
    }

    /// <summary>The OpenAI-style base address, <c>http://127.0.0.1:PORT/v1/</c>.</summary>
    public Uri BaseUri => new(Root, "v1/");

    /// <summary>The server's root, <c>http://127.0.0.1:PORT/</c>: the "endpoint" of the Azure shapes.</summary>
    public Uri Root { get; }

    /// <summary>The Azure v1 base address, <c>http://127.0.0.1:PORT/openai/v1/</c>.</summary>
    public Uri AzureV1BaseUri => new(Root, "openai/v1/");

    /// <summary>The knobs; change them at any time.</summary>
    public FakeServerOptions Options { get; }

    /// <summary>A snapshot of every recorded request, oldest first.</summary>
    public IReadOnlyList<RecordedRequest> Requests => _log.Snapshot();

    public void ClearRequests() => _log.Clear();

    /// <summary>The Azure deployment address for an operation, e.g. <c>.../openai/deployments/d/images/generations?api-version=v</c>.</summary>
    public Uri AzureDeploymentUri(string deployment, string operation, string apiVersion = "2025-04-01-preview") =>
        new(Root, $"openai/deployments/{Uri.EscapeDataString(deployment)}/images/{operation}?api-version={Uri.EscapeDataString(apiVersion)}");

    public static async Task<FakeOpenAIServer> StartAsync(FakeServerOptions? options = null, CancellationToken ct = default)
    {
        options ??= new FakeServerOptions();
        var log = new RequestLog();
        var files = new FileStore();
        var stopping = new CancellationTokenSource();

        // The empty builder reads no appsettings, environment URLs or logging providers: nothing from the machine
        // running the tests leaks into the fake.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // Up to 16 images of just under 50 MB each must reach validation to be refused there.
            kestrel.Limits.MaxRequestBodySize = null;
            kestrel.Listen(IPAddress.Loopback, options.Port, listen => listen.Protocols = HttpProtocols.Http1);
        });
        var app = builder.Build();

        Uri? root = null;
        var handler = new RequestHandler(options, log, files, () => root!, stopping.Token);
        app.Run(handler.HandleAsync);
        await app.StartAsync(ct);

        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        int port = new Uri(address).Port;
        root = new Uri($"http://127.0.0.1:{port}/");
        return new FakeOpenAIServer(app, log, stopping, options, root);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        // Release stalled streams and pending latency first, so stopping does not wait for them.
        _stopping.Cancel();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            await _app.StopAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
        }
        await _app.DisposeAsync();
        _stopping.Dispose();
    }

    public override string ToString() => BaseUri.ToString();
}
