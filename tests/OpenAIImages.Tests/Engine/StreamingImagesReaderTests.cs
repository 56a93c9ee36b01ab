using System.Text;
using OpenAIImages.Engine.Results;
using OpenAIImages.Tests.Streaming;
using Xunit;

namespace OpenAIImages.Tests.Engine;

/// <summary>
/// The streaming reader gives what the buffered reader gives, however the body is cut into reads, with the base64
/// decoded as it arrives: escapes, empty and null values, several images, and broken bodies refused.
/// </summary>
public class StreamingImagesReaderTests
{
    private static byte[] Payload(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private static async Task<ImagesResponse> Read(string json, Func<byte[], Stream> chunking) =>
        await StreamingImagesReader.ReadAsync(chunking(Encoding.UTF8.GetBytes(json)), 1L << 30, CancellationToken.None);

    public static TheoryData<string> Chunkings => new() { "whole", "one byte", "random" };

    private static Func<byte[], Stream> Chunking(string name) => name switch
    {
        "whole" => ChunkedStream.Whole,
        "one byte" => ChunkedStream.OneByteAtATime,
        _ => data => ChunkedStream.Random(data, 7, 5000),
    };

    [Theory]
    [MemberData(nameof(Chunkings))]
    public async Task GivesWhatTheBufferedReaderGives(string chunking)
    {
        var first = Payload(100_000, 1);
        var second = Payload(33_333, 2);
        string json = "{\"created\": 1750000000, \"data\": [ {\"b64_json\" : \"" + Convert.ToBase64String(first).Replace("/", "\\/") +
            "\", \"revised_prompt\": \"a \\\"quoted\\\" b64_json: prompt\"}, {\"revised_prompt\":\"two\",\"b64_json\":\"" + Convert.ToBase64String(second) +
            "\"}], \"background\":\"opaque\",\"output_format\":\"png\",\"size\":\"1024x1024\",\"quality\":\"high\",\"usage\":{\"input_tokens\":3,\"output_tokens\":4,\"total_tokens\":7}}";
        var streamed = await Read(json, Chunking(chunking));
        var buffered = ImagesResponseReader.Read(Encoding.UTF8.GetBytes(json));
        Assert.Equal(2, streamed.Data.Count);
        Assert.Equal(first, streamed.Data[0].Bytes);
        Assert.Equal(second, streamed.Data[1].Bytes);
        Assert.Equal(buffered.Data.Select(d => d.RevisedPrompt), streamed.Data.Select(d => d.RevisedPrompt));
        Assert.Equal((buffered.Created, buffered.Size, buffered.Quality, buffered.Background, buffered.OutputFormat), (streamed.Created, streamed.Size, streamed.Quality, streamed.Background, streamed.OutputFormat));
        Assert.Equal(7, streamed.Usage!.TotalTokens);
    }

    [Fact]
    public async Task KeepsAnEmptyOrNullValueBesideAUrlInItsPlace()
    {
        var image = Payload(300, 3);
        string json = "{\"data\":[{\"b64_json\":null,\"url\":\"https://example.com/a.png\"},{\"b64_json\":\"\",\"url\":\"https://example.com/b.png\"},{\"b64_json\":\"" + Convert.ToBase64String(image) + "\"}]}";
        var response = await Read(json, ChunkedStream.OneByteAtATime);
        Assert.Null(response.Data[0].Bytes);
        Assert.Equal("https://example.com/a.png", response.Data[0].Url);
        Assert.Null(response.Data[1].Bytes);
        Assert.Equal(image, response.Data[2].Bytes);
    }

    [Theory]
    [InlineData("{\"data\":[{\"b64_json\":\"abc\"}]}")]
    [InlineData("{\"data\":[{\"b64_json\":\"ab$=\"}]}")]
    [InlineData("{\"data\":[{\"b64_json\":\"AA==AAAA\"}]}")]
    [InlineData("{\"data\":[{\"b64_json\":\"AAAA")]
    [InlineData("{\"data\":[{\"b64_json\":\"AA\\nAA\"}]}")]
    [InlineData("not json")]
    public async Task RefusesBrokenBodies(string json) =>
        await Assert.ThrowsAsync<InvalidDataException>(() => Read(json, ChunkedStream.OneByteAtATime));

    [Fact]
    public async Task AllocatesLittleMoreThanTheImages()
    {
        var images = Enumerable.Range(0, 4).Select(i => Payload(2_000_000, 10 + i)).ToList();
        string json = "{\"created\":1,\"data\":[" + string.Join(",", images.Select(i => "{\"b64_json\":\"" + Convert.ToBase64String(i) + "\"}")) + "]}";
        var bytes = Encoding.UTF8.GetBytes(json);
        // Warm up the code paths; the pool may then hold the window and the decode buffer, as after a first call.
        await StreamingImagesReader.ReadAsync(new MemoryStream(bytes), 1L << 30, CancellationToken.None);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var response = await StreamingImagesReader.ReadAsync(ChunkedStream.Random(bytes, 3, 64 * 1024), 1L << 30, CancellationToken.None);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(images, response.Data.Select(d => d.Bytes));
        Assert.True(allocated < 8_000_000 * 1.1, $"allocated {allocated:N0} bytes for 8,000,000 bytes of images");
    }
}
