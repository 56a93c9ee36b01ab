using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;
using OpenAIImages.Benchmarks.Measuring;
using OpenAIImages.Benchmarks.Payload;
using OpenAIImages.Benchmarks.Report;
using OpenAIImages.Engine;
using OpenAIImages.Engine.Http;
using OpenAIImages.Engine.Json;
using OpenAIImages.Engine.Requests;
using OpenAIImages.FakeApi;

namespace OpenAIImages.Benchmarks.Suites;

/// <summary>
/// Per-request overhead: many sequential requests with tiny answers, the engine's GenerateAsync against a raw
/// HttpClient POST of the same JSON body (read to a byte array, nothing parsed). The difference is what the
/// engine adds per request: validation, serialization, the handler pipeline, reading and decoding the answer.
/// </summary>
public sealed class OverheadBenchmark
{
    private const string Area = "Per-request overhead";
    private readonly BenchmarkOptions _options;

    public OverheadBenchmark(BenchmarkOptions options) => _options = options;

    public async Task<IReadOnlyList<ResultRow>> RunAsync(ResultTable table)
    {
        var rows = new List<ResultRow>();
        int rounds = _options.Quick ? 3 : 7;

        // The payload server's minimal answer (one 1x1 PNG): nothing but the two clients' own work and loopback HTTP.
        string payloadFile = Path.Combine(Scratch.Directory, "unused-big-payload.json");
        await File.WriteAllBytesAsync(payloadFile, "{}"u8.ToArray());
        using (var server = await PayloadServerProcess.StartAsync(payloadFile))
        {
            Console.WriteLine("overhead: minimal answers...");
            var (ours, raw) = await CompareAsync(server.Small, "test-key", rounds, _options.Quick ? 300 : 1000);
            rows.Add(ResultRow.Check(Area, "minimal answer, µs per request (median)", Format.Us(ours),
                $"raw HttpClient {Format.Us(raw)} ({Format.SignedUs(ours - raw)})", "<= raw + 1000 µs", ours - raw <= 1000));
        }

        // FakeApi with no latency: its dall-e-2 256x256 PNG rendering is in both figures alike.
        await using (var fake = await FakeOpenAIServer.StartAsync(new FakeServerOptions()))
        {
            Console.WriteLine("overhead: FakeApi dall-e-2 256x256...");
            var (ours, raw) = await CompareAsync(fake.BaseUri, fake.Options.ApiKey, rounds, _options.Quick ? 100 : 250);
            rows.Add(ResultRow.Info(Area, "FakeApi 256x256 b64_json, µs per request (median)", Format.Us(ours),
                $"raw HttpClient {Format.Us(raw)} ({Format.SignedUs(ours - raw)})"));
        }
        table.Note($"Overhead: sequential requests on one kept-alive connection, after a warm-up; each round times a block of requests per client (the order alternates), and the figure is the median of {rounds} rounds.");
        return rows;
    }

    private static async Task<(double OursUs, double RawUs)> CompareAsync(Uri baseUri, string key, int rounds, int requestsPerRound)
    {
        var client = new OpenAIImageClient(new OpenAIConnection(baseUri, ApiCredential.FromString(key)) { UserAgent = "OpenAIImages.Benchmarks" });
        var request = new ImageGenerationRequest { Model = "dall-e-2", Prompt = "A lighthouse", Size = "256x256", ResponseFormat = "b64_json" };
        // The same bytes the engine sends for this request.
        byte[] body = JsonSerializer.SerializeToUtf8Bytes(
            new GenerationRequestBody { Model = request.Model, Prompt = request.Prompt, Size = request.Size, ResponseFormat = request.ResponseFormat },
            EngineJsonContext.Default.GenerationRequestBody);
        using var http = new HttpClient();
        var endpoint = new Uri(baseUri, "images/generations");

        async Task Ours() => await client.GenerateAsync(OpenAIImages.Engine.Validation.ImageRequestValidator.Prepare(request)).ConfigureAwait(false);

        async Task Raw()
        {
            using var message = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new ByteArrayContent(body) };
            message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
            message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
            using var response = await http.SendAsync(message).ConfigureAwait(false);
            response.EnsureSuccessStatusCode();
            await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
        }

        await Repeat(Ours, requestsPerRound);
        await Repeat(Raw, requestsPerRound);
        var ours = new List<double>();
        var raw = new List<double>();
        for (int round = 0; round < rounds; round++)
        {
            if (round % 2 == 0)
            {
                ours.Add(await Repeat(Ours, requestsPerRound));
                raw.Add(await Repeat(Raw, requestsPerRound));
            }
            else
            {
                raw.Add(await Repeat(Raw, requestsPerRound));
                ours.Add(await Repeat(Ours, requestsPerRound));
            }
        }
        return (Stats.Median(ours), Stats.Median(raw));
    }

    /// <summary>Runs the call <paramref name="count"/> times one after another; microseconds per call.</summary>
    private static async Task<double> Repeat(Func<Task> call, int count)
    {
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < count; i++) await call().ConfigureAwait(false);
        return clock.Elapsed.TotalMicroseconds / count;
    }
}
