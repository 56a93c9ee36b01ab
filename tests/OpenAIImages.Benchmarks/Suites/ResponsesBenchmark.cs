using OpenAIImages.Benchmarks.Measuring;
using OpenAIImages.Benchmarks.Payload;
using OpenAIImages.Benchmarks.Report;
using OpenAIImages.Engine;
using OpenAIImages.Engine.Http;
using OpenAIImages.Engine.Requests;

namespace OpenAIImages.Benchmarks.Suites;

/// <summary>
/// A Responses API answer (n=1, a noisy 1536x1024 PNG of about 3 MB in an image_generation_call) over loopback HTTP,
/// read end to end by the engine: the decode path must stay as lean as the Images API's, the result decoded straight
/// from the body into the image's own array.
/// </summary>
public sealed class ResponsesBenchmark
{
    private const string Area = "Responses n=1 1536x1024";
    private readonly BenchmarkOptions _options;

    public ResponsesBenchmark(BenchmarkOptions options) => _options = options;

    public async Task<IReadOnlyList<ResultRow>> RunAsync(ResultTable table)
    {
        Console.WriteLine("responses: building a noisy 1536x1024 PNG...");
        var payload = ResponsesBody.Build();
        // The server builds its own copy of the body; the payload file is only what PayloadServerProcess needs to start.
        string payloadFile = Path.Combine(Scratch.Directory, "responses-placeholder.json");
        await File.WriteAllBytesAsync(payloadFile, "{}"u8.ToArray());
        using var server = await PayloadServerProcess.StartAsync(payloadFile);

        var client = new OpenAIImageClient(new OpenAIConnection(server.Big, ApiCredential.FromString("test-key")) { UserAgent = "OpenAIImages.Benchmarks" });
        var request = new ImageGenerationRequest { Prompt = "A photograph of a harbour at dusk", Size = "1536x1024", Quality = "high", ResponsesModel = "gpt-5.5" };
        async Task<byte[]> Call() => (await client.GenerateAsync(OpenAIImages.Engine.Validation.ImageRequestValidator.Prepare(request))).Single().Bytes!;

        byte[]? first = null;
        var cold = await Sample.TakeAsync(async () => first = await Call());
        if (!first!.AsSpan().SequenceEqual(payload.Image)) throw new InvalidOperationException("The engine did not return the image the server sent.");

        int iterations = _options.Quick ? 5 : 15;
        var samples = new List<Sample>();
        for (int i = 0; i < iterations + 1; i++)
        {
            var sample = await Sample.TakeAsync(Call);
            if (i > 0) samples.Add(sample);
        }
        double decoded = payload.Image.Length;
        double allocated = Stats.Median(samples.Select(s => (double)s.AllocatedBytes));
        double ms = Stats.Median(samples.Select(s => s.Milliseconds));
        table.Note($"Responses: a Response of {Format.MiB(payload.Json.Length)} carrying one PNG of {payload.Image.Length:N0} bytes in image_generation_call.result; medians of {iterations} calls after one warm-up; allocation as for Decode.");
        return new[]
        {
            ResultRow.Info(Area, "time per call (median)", Format.Ms(ms), ""),
            ResultRow.Check(Area, "allocated / decoded image bytes", $"{Format.Ratio(allocated / decoded)} ({Format.MiB(allocated)})", "", "<= 1.30x", allocated <= 1.3 * decoded),
            ResultRow.Info(Area, "first call in the process", $"{Format.Ms(cold.Milliseconds)}, {Format.Ratio(cold.AllocatedBytes / decoded)} ({Format.MiB(cold.AllocatedBytes)})", ""),
        };
    }
}
