using OpenAIImages.Engine;
using OpenAIImages.Engine.Batching;
using OpenAIImages.Engine.Files;
using OpenAIImages.Engine.Imaging;
using OpenAIImages.Engine.Requests;
using OpenAIImages.Engine.Results;
using OpenAIImages.FakeApi;
using OpenAIImages.FakeApi.Faults;
using OpenAIImages.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace OpenAIImages.Tests.Reliability;

/// <summary>A large unattended batch through the same ordered batch the cmdlets use, with faults on the way.</summary>
public sealed class BatchTests : IDisposable
{
    private readonly ITestOutputHelper _output;
    private readonly string _dir = Directory.CreateTempSubdirectory("oai-batch-").FullName;

    public BatchTests(ITestOutputHelper output) => _output = output;

    public void Dispose() => Directory.Delete(_dir, true);

    [Fact]
    public async Task AThousandPromptsWithFaultsEndWithOneOutcomeEachAndIntactFiles()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        server.Options.Faults.Add(new FaultRule(FaultKind.Status) { Name = "bad request", StatusCode = 400, Probability = 0.01, Seed = 7 });
        server.Options.Faults.Add(new FaultRule(FaultKind.Status) { Name = "rate limit", StatusCode = 429, RetryAfterMilliseconds = 20, Probability = 0.03, Seed = 11 });
        server.Options.Faults.Add(new FaultRule(FaultKind.Status) { Name = "server error", StatusCode = 503, Probability = 0.03, Seed = 13 });
        server.Options.Faults.Add(new FaultRule(FaultKind.ConnectionReset) { Probability = 0.02, Seed = 17 });
        server.Options.Faults.Add(new FaultRule(FaultKind.TruncatedBody) { Probability = 0.02, Seed = 19 });
        var client = TestClients.For(server, maxRetries: 3);
        var target = new ImageSaveTarget { Directory = _dir };
        const int prompts = 1000;

        var outcomes = new List<BatchOutcome<ItemResult>>();
        using (var batch = new OrderedBatch<ItemResult>(8, CancellationToken.None))
        {
            for (int i = 0; i < prompts; i++)
            {
                var request = new ImageGenerationRequest { Prompt = $"prompt {i:D4}", Model = "dall-e-2", Size = "256x256", ResponseFormat = "b64_json" };
                batch.Add(i, async token => await ImageSaver.SaveAllAsync(await client.GenerateAsync(request, null, token), target, null, token));
                outcomes.AddRange(batch.TakeReady());
                while (batch.IsFull) outcomes.Add((await batch.TakeNextAsync())!);
            }
            while (await batch.TakeNextAsync() is { } last) outcomes.Add(last);
        }

        // Exactly one outcome per prompt, in input order.
        Assert.Equal(Enumerable.Range(0, prompts), outcomes.Select(o => (int)o.Tag!));
        Assert.All(outcomes, o => Assert.True((o.Result == null) != (o.Error == null)));
        var succeeded = outcomes.Where(o => o.Result != null).ToList();
        var failed = outcomes.Where(o => o.Error != null).ToList();
        _output.WriteLine($"{succeeded.Count} results, {failed.Count} errors, {server.Requests.Count} requests; faults fired: " +
            string.Join(", ", server.Options.Faults.Snapshot().Select(f => $"{f.DisplayName} {f.Fired}")));
        Assert.All(failed, o => Assert.IsAssignableFrom<OpenAIImagesException>(o.Error));
        Assert.InRange(failed.Count, 1, 40);
        Assert.Contains(failed, o => o.Error is OpenAIImages.Engine.Http.OpenAIApiException { StatusCode: 400 });
        Assert.True(server.Options.Faults.Snapshot().Where(f => f.Name != "bad request").Sum(f => f.Fired) > 50, "retryable faults must have fired");

        // Each success has exactly one image, saved to its own complete file; nothing else is in the folder.
        var images = succeeded.SelectMany(o => o.Result!.Images).ToList();
        Assert.Equal(succeeded.Count, images.Count);
        Assert.All(succeeded, o => Assert.Empty(o.Result!.SaveErrors));
        Assert.Equal(images.Count, images.Select(i => i.Path).Distinct().Count());
        Assert.Equal(images.Count, images.Select(i => i.Prompt).Distinct().Count());
        var files = Directory.GetFiles(_dir, "*", SearchOption.AllDirectories);
        Assert.Equal(images.Count, files.Length);
        Assert.DoesNotContain(files, f => f.EndsWith(SafeFileWriter.TemporarySuffix) || Path.GetFileName(f).StartsWith('.'));
        foreach (var image in images)
        {
            var onDisk = File.ReadAllBytes(image.Path!);
            Assert.Equal(image.Bytes, onDisk);
            var info = ImageInfo.TryRead(onDisk);
            Assert.Equal(256, info!.Width);
            Assert.Contains(OutputFileNamer.StemFromPrompt(image.Prompt), Path.GetFileName(image.Path));
        }
        Assert.Equal(images.Count, images.Select(i => PngDecoder.Decode(i.Bytes).Pixels.Length).Count());
    }
}
