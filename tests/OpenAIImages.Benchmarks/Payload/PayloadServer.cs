using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace OpenAIImages.Benchmarks.Payload;

/// <summary>
/// A loopback server that answers every generation with a prebuilt body, whatever the request says, so each client
/// under test parses the very same bytes. It runs in a child process (<see cref="PayloadServerProcess"/>): its own
/// allocations then stay out of the allocation figures of the process that measures.
/// <list type="bullet">
/// <item><c>POST /big/v1/images/generations</c>: the body read from the payload file.</item>
/// <item><c>POST /small/v1/images/generations</c>: one 1x1 PNG, the smallest valid answer, to time per-request overhead.</item>
/// <item><c>POST /big/v1/responses</c>: a Response whose image_generation_call carries <see cref="ResponsesBody.Image"/>.</item>
/// </list>
/// </summary>
public static class PayloadServer
{
    public const string BigPath = "big/v1/";
    public const string SmallPath = "small/v1/";

    /// <summary>Serves until standard input closes (the parent ends the child by closing it).</summary>
    public static async Task<int> RunAsync(string payloadFile)
    {
        byte[] big = await File.ReadAllBytesAsync(payloadFile);
        byte[] small = ImagesResponseBody.For(new[] { TinyPng() }, "1x1").Json;
        byte[] responses = ResponsesBody.Build().Json;

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, 0);
            k.Limits.MaxRequestBodySize = null;
        });
        var app = builder.Build();
        app.MapPost("/big/v1/images/generations", context => AnswerAsync(context, big));
        app.MapPost("/small/v1/images/generations", context => AnswerAsync(context, small));
        app.MapPost("/big/v1/responses", context => AnswerAsync(context, responses));
        await app.StartAsync();

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Console.Out.WriteLine("listening " + address.TrimEnd('/') + "/");
        Console.Out.Flush();
        await Task.Run(() => Console.In.ReadToEnd());
        await app.StopAsync();
        return 0;
    }

    private static async Task AnswerAsync(HttpContext context, byte[] body)
    {
        // Read what the client sent, as a real server does, so the connection is ready for the next request.
        await context.Request.Body.CopyToAsync(Stream.Null);
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = body.Length;
        context.Response.Headers["x-request-id"] = "req_benchmark";
        await context.Response.Body.WriteAsync(body);
    }

    private static byte[] TinyPng() => OpenAIImages.Engine.Imaging.PngEncoder.EncodeRgba(1, 1, new byte[] { 255, 255, 255, 255 });
}
