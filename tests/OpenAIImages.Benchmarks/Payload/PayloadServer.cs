using System.Text;
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
/// <item><c>/batchapi/v1/files</c> and <c>/batchapi/v1/batches</c>: a batch that is completed at once, whose output file
/// (<see cref="BatchOutputLines"/> lines, each one noisy 1536x1024 PNG, over 500 MB in all) is written as it is read.</item>
/// </list>
/// </summary>
public static class PayloadServer
{
    public const string BigPath = "big/v1/";
    public const string SmallPath = "small/v1/";
    public const string BatchPath = "batchapi/v1/";

    /// <summary>Lines of the batch output file: 125 images of about 4.2 MB in base64, some 525 MB.</summary>
    public const int BatchOutputLines = 125;

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
        var batchImage = Encoding.ASCII.GetBytes(Convert.ToBase64String(NoisyImages.Png(1536, 1024, seed: 7)));
        app.MapPost("/batchapi/v1/files", async context =>
        {
            long length = 0;
            var sink = new byte[81920];
            int read;
            while ((read = await context.Request.Body.ReadAsync(sink)) > 0) length += read;
            await AnswerAsync(context, Encoding.UTF8.GetBytes($"{{\"id\":\"file-in\",\"object\":\"file\",\"bytes\":{length},\"created_at\":1750000000,\"filename\":\"input.jsonl\",\"purpose\":\"batch\",\"status\":\"processed\"}}"));
        });
        app.MapPost("/batchapi/v1/batches", context => AnswerAsync(context, BatchJson()));
        app.MapGet("/batchapi/v1/batches/{id}", context => AnswerAsync(context, BatchJson()));
        app.MapGet("/batchapi/v1/files/file-out/content", async context =>
        {
            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/octet-stream";
            context.Response.Headers["x-request-id"] = "req_benchmark";
            for (int i = 1; i <= BatchOutputLines; i++)
            {
                await context.Response.Body.WriteAsync(Encoding.ASCII.GetBytes($"{{\"id\":\"batch_req_{i}\",\"custom_id\":\"img-{i:D6}\",\"response\":{{\"status_code\":200,\"request_id\":\"req_{i}\",\"body\":{{\"created\":1750000000,\"data\":[{{\"b64_json\":\""));
                await context.Response.Body.WriteAsync(batchImage);
                await context.Response.Body.WriteAsync("\"}]}},\"error\":null}\n"u8.ToArray());
            }
        });
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

    private static byte[] BatchJson() => Encoding.UTF8.GetBytes(
        $"{{\"id\":\"batch_benchmark\",\"object\":\"batch\",\"endpoint\":\"/v1/images/generations\",\"input_file_id\":\"file-in\",\"completion_window\":\"24h\",\"status\":\"completed\",\"output_file_id\":\"file-out\",\"error_file_id\":null,\"created_at\":1750000000,\"request_counts\":{{\"total\":{BatchOutputLines},\"completed\":{BatchOutputLines},\"failed\":0}}}}");

    private static byte[] TinyPng() => OpenAIImages.Engine.Imaging.PngEncoder.EncodeRgba(1, 1, new byte[] { 255, 255, 255, 255 });
}
