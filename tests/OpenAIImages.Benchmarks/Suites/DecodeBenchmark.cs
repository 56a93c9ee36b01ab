using System.ClientModel;
using OpenAI;
using OpenAI.Images;
using OpenAIImages.Benchmarks.Measuring;
using OpenAIImages.Benchmarks.Payload;
using OpenAIImages.Benchmarks.Report;
using OpenAIImages.Engine;
using OpenAIImages.Engine.Http;
using OpenAIImages.Engine.Requests;

namespace OpenAIImages.Benchmarks.Suites;

/// <summary>
/// Response decoding: n=10 noisy 1536x1024 PNGs (about 3 MB each, 40 MB of JSON) over loopback HTTP, read end to
/// end by our engine and by the official OpenAI .NET SDK from the same server and the same bytes. Allocation is
/// the whole process's (every thread) over the whole call, with the server in another process.
/// </summary>
public sealed class DecodeBenchmark
{
    private const string Area = "Decode n=10 1536x1024";
    private const string Prompt = "A photograph of a harbour at dusk";
    private readonly BenchmarkOptions _options;

    public DecodeBenchmark(BenchmarkOptions options) => _options = options;

    public async Task<IReadOnlyList<ResultRow>> RunAsync(ResultTable table)
    {
        Console.WriteLine("decode: building 10 noisy 1536x1024 PNGs...");
        var payload = ImagesResponseBody.Noisy(10, 1536, 1024);
        string payloadFile = Path.Combine(Scratch.Directory, "images-response.json");
        await File.WriteAllBytesAsync(payloadFile, payload.Json);
        using var server = await PayloadServerProcess.StartAsync(payloadFile);

        var ours = new OpenAIImageClient(new OpenAIConnection(server.Big, ApiCredential.FromString("test-key")) { UserAgent = "OpenAIImages.Benchmarks" });
        var request = new ImageGenerationRequest { Model = "gpt-image-1", Prompt = Prompt, Count = 10, Size = "1536x1024", Quality = "high" };
        var sdk = new ImageClient("gpt-image-1", new ApiKeyCredential("test-key"), new OpenAIClientOptions { Endpoint = server.Big });
        // The SDK marks the GPT image sizes as evaluation-only (OPENAI001); it is the size the API returns here.
#pragma warning disable OPENAI001
        var sdkOptions = new ImageGenerationOptions { Size = GeneratedImageSize.W1536xH1024, Quality = GeneratedImageQuality.High };
#pragma warning restore OPENAI001

        // Each call ends when the caller holds every decoded image, so a client that decoded lazily would pay here too.
        async Task<IReadOnlyList<ReadOnlyMemory<byte>>> Ours() =>
            (await ours.GenerateAsync(OpenAIImages.Engine.Validation.ImageRequestValidator.Prepare(request))).Select(i => (ReadOnlyMemory<byte>)i.Bytes!).ToList();
        async Task<IReadOnlyList<ReadOnlyMemory<byte>>> Sdk() =>
            (await sdk.GenerateImagesAsync(Prompt, 10, sdkOptions)).Value.Select(i => i.ImageBytes.ToMemory()).ToList();

        // The first calls JIT everything and fill the pools (measured all the same: a single cmdlet call in a new
        // session is such a call); they also prove both clients return the very images the server sent.
        IReadOnlyList<ReadOnlyMemory<byte>>? oursImages = null, sdkImages = null;
        var oursCold = await Sample.TakeAsync(async () => oursImages = await Ours());
        var sdkCold = await Sample.TakeAsync(async () => sdkImages = await Sdk());
        Verify("ours", oursImages!, payload);
        Verify("SDK", sdkImages!, payload);
        oursImages = sdkImages = null;

        int iterations = _options.Quick ? 3 : 9;
        var oursSamples = new List<Sample>();
        var sdkSamples = new List<Sample>();
        for (int i = 0; i < iterations + 1; i++)
        {
            // Alternate the two, so drift in a shared machine's load falls on both alike; the first round warms up.
            var a = await Sample.TakeAsync(Ours);
            var b = await Sample.TakeAsync(Sdk);
            if (i == 0) continue;
            oursSamples.Add(a);
            sdkSamples.Add(b);
        }

        double decoded = payload.DecodedBytes;
        double oursBytes = Stats.Median(oursSamples.Select(s => (double)s.AllocatedBytes));
        double sdkBytes = Stats.Median(sdkSamples.Select(s => (double)s.AllocatedBytes));
        double oursMs = Stats.Median(oursSamples.Select(s => s.Milliseconds));
        double sdkMs = Stats.Median(sdkSamples.Select(s => s.Milliseconds));
        table.Note($"Decode: the body is {Format.MiB(payload.Json.Length)} of JSON carrying {Format.MiB(decoded)} of PNG ({payload.Images.Count} files of {payload.Images.Min(i => i.Length):N0} to {payload.Images.Max(i => i.Length):N0} bytes); medians of {iterations} calls each after one warm-up, the two clients alternating; allocation is GC.GetTotalAllocatedBytes(precise: true) around the whole call, server in a child process.");

        return new[]
        {
            ResultRow.Info(Area, "time per call (median)", Format.Ms(oursMs), $"SDK {Format.Ms(sdkMs)} ({Format.Ratio(oursMs / sdkMs)})"),
            ResultRow.Check(Area, "allocated / decoded image bytes", $"{Format.Ratio(oursBytes / decoded)} ({Format.MiB(oursBytes)})",
                $"SDK {Format.Ratio(sdkBytes / decoded)} ({Format.MiB(sdkBytes)})", "ours <= 1.30x", oursBytes <= 1.3 * decoded),
            ResultRow.Check(Area, "allocated, ours / SDK", Format.Ratio(oursBytes / sdkBytes), "", "<= 0.50x", oursBytes <= 0.5 * sdkBytes),
            ResultRow.Check(Area, "first call in the process (JIT, connection, empty pools), allocated / image bytes", $"{Format.Ratio(oursCold.AllocatedBytes / decoded)} ({Format.MiB(oursCold.AllocatedBytes)}, {Format.Ms(oursCold.Milliseconds)})",
                $"SDK {Format.Ratio(sdkCold.AllocatedBytes / decoded)} ({Format.MiB(sdkCold.AllocatedBytes)}, {Format.Ms(sdkCold.Milliseconds)})", "ours <= 1.30x", oursCold.AllocatedBytes <= 1.3 * decoded),
        };
    }

    private static void Verify(string who, IReadOnlyList<ReadOnlyMemory<byte>> images, ImagesResponseBody payload)
    {
        if (images.Count != payload.Images.Count || images.Where((image, i) => !image.Span.SequenceEqual(payload.Images[i])).Any())
            throw new InvalidOperationException($"The {who} client did not return the images the server sent.");
    }
}
