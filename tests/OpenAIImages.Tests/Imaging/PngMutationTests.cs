using System.Buffers.Binary;
using System.Diagnostics;
using System.IO;
using OpenAIImages.Engine.Imaging;
using Xunit;
using Xunit.Abstractions;

namespace OpenAIImages.Tests.Imaging;

/// <summary>
/// 5,000 randomly damaged PNGs (seeded, so every run sees the same ones): the decoder may only throw
/// ImageDecodeException, must finish each within a time bound, and may only allocate what its limits allow.
/// Half the cases repair the CRCs after damaging chunk contents, so the damage reaches IHDR validation, zlib and
/// the filters instead of stopping at the first checksum.
/// </summary>
public class PngMutationTests
{
    private const int Cases = 5000;
    private static readonly TimeSpan PerCase = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Total = TimeSpan.FromSeconds(60);

    private static readonly PngDecoderOptions Limits = new() { MaxPixelCount = 512 * 512, MaxDecompressedBytes = 4 * 1024 * 1024 };

    private readonly ITestOutputHelper _output;

    public PngMutationTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public async Task DamagedFilesFailCleanlyQuicklyAndWithinMemoryLimits()
    {
        var bases = BaseImages();
        var rng = new Random(20240611);
        var outcomes = new Dictionary<string, int>();
        var total = Stopwatch.StartNew();
        long mostAllocated = 0;

        for (int n = 0; n < Cases; n++)
        {
            var (baseName, baseBytes) = bases[n % bases.Count];
            var (mutated, description) = Mutate(baseBytes, rng);
            bool wide = n % 4 == 3;
            string context = $"case {n}: {description} of {baseName}";
            long cap = 8 * Limits.MaxPixelCount + 2L * mutated.Length + 1024 * 1024;

            (string Outcome, long Allocated, Exception? Unexpected) result = default;
            try
            {
                result = await Task.Run(() => DecodeOnce(mutated, wide)).WaitAsync(PerCase);
            }
            catch (TimeoutException)
            {
                Assert.Fail($"Decoding took longer than {PerCase.TotalSeconds} s ({context}).");
            }
            var (outcome, allocated, unexpected) = result;
            if (unexpected is not null) Assert.Fail($"{unexpected.GetType().Name} escaped ({context}): {unexpected}");
            Assert.True(allocated <= cap, $"Allocated {allocated:N0} bytes, over the cap of {cap:N0} ({context}).");
            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
            mostAllocated = Math.Max(mostAllocated, allocated);
            Assert.True(total.Elapsed < Total, $"The whole run exceeded {Total.TotalSeconds} s by case {n}.");
        }

        foreach (var (outcome, count) in outcomes.OrderByDescending(kv => kv.Value)) _output.WriteLine($"{count,5}  {outcome}");
        _output.WriteLine($"{total.Elapsed.TotalSeconds:F1} s; at most {mostAllocated:N0} bytes allocated by one case");
        // The damage must reach every layer, not just the checksums.
        foreach (string layer in new[] { "decoded", "CRC mismatch", "IHDR", "zlib", "deflate", "filter type", "truncated", "ends early", "Adler", "more data than", "LimitExceeded" })
            Assert.True(outcomes.Where(kv => kv.Key.Contains(layer, StringComparison.OrdinalIgnoreCase)).Sum(kv => kv.Value) >= 5,
                $"Fewer than 5 cases ended in '{layer}'");
    }

    private static (string Outcome, long Allocated, Exception? Unexpected) DecodeOnce(byte[] png, bool wide)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        try
        {
            if (wide) PngDecoder.DecodeRgba16(png, Limits);
            else PngDecoder.Decode(png, Limits);
            return ("decoded", GC.GetAllocatedBytesForCurrentThread() - before, null);
        }
        catch (ImageDecodeException ex)
        {
            return ($"{ex.Failure}: {Category(ex.Message)}", GC.GetAllocatedBytesForCurrentThread() - before, null);
        }
        catch (Exception ex)
        {
            return ("unexpected", 0, ex);
        }
    }

    /// <summary>The message with numbers and chunk names blanked, so outcomes group by kind.</summary>
    private static string Category(string message)
    {
        var chars = message.Select(c => char.IsDigit(c) ? '#' : c).ToArray();
        string text = new string(chars);
        int cut = text.IndexOfAny(new[] { '(', ':' });
        return cut > 0 ? text[..cut].Trim() : text;
    }

    private static List<(string Name, byte[] Bytes)> BaseImages()
    {
        var list = new List<(string, byte[])>
        {
            ("encoder RGBA 40x30", PngEncoder.EncodeRgba(40, 30, PngRoundTripTests.RandomImage(40 * 30 * 4, seed: 11))),
            ("encoder gray 33x17", PngEncoder.EncodeGray(33, 17, PngRoundTripTests.RandomImage(33 * 17, seed: 12))),
        };
        // Interlaced, palette with transparency, sub-byte and 16-bit files from the conformance suite.
        foreach (string name in new[] { "basi6a16.png", "basi3p02.png", "basi0g04.png", "tbbn3p08.png", "s09i3p02.png", "basn2c16.png" })
            list.Add((name, File.ReadAllBytes(Path.Combine(TestPaths.PngSuite, name))));
        return list;
    }

    private static (byte[] Bytes, string Description) Mutate(byte[] original, Random rng)
    {
        var png = (byte[])original.Clone();
        var chunks = PngTestFiles.Chunks(png);
        bool repairCrc = rng.Next(2) == 0;
        switch (rng.Next(7))
        {
            case 0:
            {
                int flips = 1 + rng.Next(8);
                for (int i = 0; i < flips; i++) png[rng.Next(png.Length)] ^= (byte)(1 << rng.Next(8));
                return Finish(png, repairCrc, $"{flips} bit flips");
            }
            case 1:
                return (png[..rng.Next(png.Length)], "truncation");
            case 2:
            {
                var chunk = chunks[rng.Next(chunks.Count)];
                uint length = rng.Next(3) switch
                {
                    0 => (uint)Math.Max(0, chunk.Length + rng.Next(-8, 9)),
                    1 => (uint)rng.Next(),
                    _ => 0x80000000u | (uint)rng.Next(),
                };
                BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(chunk.Offset - 8), length);
                return (png, $"{chunk.Type} length set to {length}");
            }
            case 3:
            {
                var garbage = new byte[1 + rng.Next(64)];
                rng.NextBytes(garbage);
                int at = rng.Next(png.Length + 1);
                return (png[..at].Concat(garbage).Concat(png[at..]).ToArray(), $"{garbage.Length} garbage bytes inserted at {at}");
            }
            case 4:
            {
                // Damage inside one chunk's data, then repair its CRC so the content itself is judged.
                var chunk = chunks[rng.Next(chunks.Count)];
                if (chunk.Length == 0) return (png, "no change to empty " + chunk.Type);
                int hits = 1 + rng.Next(4);
                for (int i = 0; i < hits; i++) png[chunk.Offset + rng.Next(chunk.Length)] = (byte)rng.Next(256);
                return Finish(png, repair: true, $"{hits} bytes of {chunk.Type} data replaced");
            }
            case 5:
                return (RewriteHeader(png, chunks, rng), "IHDR field rewritten with a valid CRC");
            default:
                return (RewriteImageData(png, chunks, rng), "filtered data damaged and recompressed");
        }
    }

    private static (byte[], string) Finish(byte[] png, bool repair, string description) =>
        repair ? (RepairCrcs(png), description + ", CRCs repaired") : (png, description);

    private static byte[] RepairCrcs(byte[] png)
    {
        foreach (var (_, offset, length) in PngTestFiles.Chunks(png))
            BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(offset + length), Crc32.Compute(png.AsSpan(offset - 4, 4 + length)));
        return png;
    }

    private static byte[] RewriteHeader(byte[] png, List<(string Type, int Offset, int Length)> chunks, Random rng)
    {
        int at = chunks[0].Offset;
        switch (rng.Next(5))
        {
            case 0: BinaryPrimitives.WriteInt32BigEndian(png.AsSpan(at), rng.Next(1, 4096)); break;
            case 1: BinaryPrimitives.WriteInt32BigEndian(png.AsSpan(at + 4), rng.Next(1, 4096)); break;
            case 2: png[at + 8] = (byte)(1 << rng.Next(5)); break;
            case 3: png[at + 9] = (byte)new[] { 0, 2, 3, 4, 6 }[rng.Next(5)]; break;
            default: png[at + 12] ^= 1; break;
        }
        return RepairCrcs(png);
    }

    private static byte[] RewriteImageData(byte[] png, List<(string Type, int Offset, int Length)> chunks, Random rng)
    {
        byte[] raw = PngTestFiles.InflateImageData(png);
        int hits = 1 + rng.Next(4);
        for (int i = 0; i < hits; i++) raw[rng.Next(raw.Length)] = (byte)rng.Next(256);
        if (rng.Next(3) == 0) raw = rng.Next(2) == 0 ? raw[..rng.Next(raw.Length)] : raw.Concat(new byte[1 + rng.Next(100)]).ToArray();
        var header = chunks.First(c => c.Type == "IHDR");
        var before = chunks.Where(c => c.Type != "IDAT" && c.Type != "IEND" && c.Offset < chunks.First(d => d.Type == "IDAT").Offset)
            .Select(c => PngTestFiles.Chunk(c.Type, png.AsSpan(c.Offset, c.Length))).ToArray();
        return PngTestFiles.File(before.Append(PngTestFiles.Chunk("IDAT", PngTestFiles.Zlib(raw))).Append(PngTestFiles.Chunk("IEND", default)).ToArray());
    }
}
