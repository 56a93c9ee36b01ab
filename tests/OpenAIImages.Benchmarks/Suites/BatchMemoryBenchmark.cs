using OpenAIImages.Benchmarks.Measuring;
using OpenAIImages.Benchmarks.Payload;
using OpenAIImages.Benchmarks.Report;
using OpenAIImages.Engine;
using OpenAIImages.Engine.Batches;
using OpenAIImages.Engine.Http;
using OpenAIImages.Engine.Requests;
using OpenAIImages.Engine.Validation;

namespace OpenAIImages.Benchmarks.Suites;

/// <summary>
/// Memory of the Batch API path, measured: submitting 20,000 prompts (each checked, written as a JSONL line to disk,
/// the file uploaded as a stream), and receiving an output file of over 500 MB (read a line at a time, each image
/// saved). The figure is the growth of the process's peak resident set over each operation (VmHWM after resetting
/// it), against the payload server in a child process.
/// </summary>
public sealed class BatchMemoryBenchmark
{
    private const string Area = "Batch API memory";
    private const long Target = 150L * 1024 * 1024;
    private readonly BenchmarkOptions _options;

    public BatchMemoryBenchmark(BenchmarkOptions options) => _options = options;

    public async Task<IReadOnlyList<ResultRow>> RunAsync(ResultTable table)
    {
        if (!PeakMemory.IsAvailable)
            return new[] { ResultRow.Info(Area, "peak working-set growth", "not measured: /proc/self/status is not available here", "") };
        string payloadFile = Path.Combine(Scratch.Directory, "batch-placeholder.json");
        await File.WriteAllBytesAsync(payloadFile, "{}"u8.ToArray());
        using var server = await PayloadServerProcess.StartAsync(payloadFile);
        var client = new OpenAIBatchClient(new OpenAIConnection(server.BatchApi, ApiCredential.FromString("test-key")) { UserAgent = "OpenAIImages.Benchmarks" });
        int prompts = _options.Quick ? 5_000 : 20_000;

        // Submit: every prompt checked and written, the file uploaded.
        string submitFolder = Directory.CreateDirectory(Path.Combine(Scratch.Directory, "batch-submit")).FullName;
        Console.WriteLine($"batch: submitting {prompts:N0} prompts...");
        Sample.Settle();
        long start = PeakMemory.ResetPeak();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        ImageBatch submitted;
        long inputBytes;
        using (var builder = new BatchBuilder("/v1/images/generations", submitFolder))
        {
            for (int i = 0; i < prompts; i++)
                builder.AddGeneration(ImageRequestValidator.Prepare(new ImageGenerationRequest { Prompt = $"A product photograph of item {i}, white background, soft light", Size = "1024x1024", Quality = "low" }));
            inputBytes = builder.Parts.Sum(p => p.Bytes);
            submitted = await BatchSubmitter.SubmitAsync(client, builder, Path.Combine(submitFolder, "submit.batch.json"), NullOperationObserver.Instance, CancellationToken.None);
        }
        clock.Stop();
        long submitGrowth = PeakMemory.PeakBytes() - start;
        double submitSeconds = clock.Elapsed.TotalSeconds;

        // Receive: a journal of the output file's requests, and the 500 MB file read and saved.
        string receiveFolder = Directory.CreateDirectory(Path.Combine(Scratch.Directory, "batch-receive")).FullName;
        var journal = new BatchJournal { Endpoint = "/v1/images/generations", OutputDirectory = receiveFolder, Created = DateTimeOffset.UtcNow };
        journal.Batches.Add(new JournalBatch { Id = "batch_benchmark", InputFileId = "file-in", First = 0, Count = PayloadServer.BatchOutputLines });
        for (int i = 1; i <= PayloadServer.BatchOutputLines; i++)
            journal.Items.Add(new JournalItem { CustomId = $"img-{i:D6}", Prompt = $"image {i}", Model = "gpt-image-2", OutputFormat = "png", Files = { $"image-{i:D5}.png" } });
        Console.WriteLine($"batch: receiving an output file of {PayloadServer.BatchOutputLines} images...");
        Sample.Settle();
        start = PeakMemory.ResetPeak();
        clock.Restart();
        var statuses = new[] { await client.GetAsync("batch_benchmark", NullOperationObserver.Instance, CancellationToken.None) };
        long received = 0;
        await client.ReadFileContentAsync<bool>("file-out", async (stream, token) =>
        {
            // Count the bytes as they pass, then let the receiver read the same file again for real.
            var buffer = new byte[81920];
            int read;
            while ((read = await stream.ReadAsync(buffer, token)) > 0) received += read;
            return true;
        }, NullOperationObserver.Instance, CancellationToken.None);
        var outcomes = await BatchReceiver.CollectAsync(client, journal, statuses, NullOperationObserver.Instance, null, CancellationToken.None);
        clock.Stop();
        long receiveGrowth = PeakMemory.PeakBytes() - start;
        int saved = outcomes.Values.Count(o => o.Succeeded);
        if (saved != PayloadServer.BatchOutputLines) throw new InvalidOperationException($"Only {saved} of {PayloadServer.BatchOutputLines} batch results were saved.");

        table.Note($"Batch memory: submit = {prompts:N0} prompts checked and written as {Format.MiB(inputBytes)} of JSONL, then uploaded as a stream; receive = an output file of {Format.MiB(received)} ({PayloadServer.BatchOutputLines} noisy 1536x1024 PNGs in base64) read a line at a time and every image saved. Growth of the peak resident set (VmHWM) over each, after a full GC; payload server in a child process.");
        return new[]
        {
            ResultRow.Check(Area, $"submit {prompts:N0} prompts: peak working-set growth", $"{Format.MiB(submitGrowth)} in {submitSeconds:0.0} s", $"{prompts:N0} lines, {submitted.Id.Length} batch(es) created", "< 150 MiB", submitGrowth < Target),
            ResultRow.Check(Area, $"receive {Format.MiB(received)}: peak working-set growth", $"{Format.MiB(receiveGrowth)} in {clock.Elapsed.TotalSeconds:0.0} s", $"{saved} images saved", "< 150 MiB", receiveGrowth < Target),
        };
    }
}
