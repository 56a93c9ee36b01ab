using System.Diagnostics;
using System.Text.Json;
using OpenAIImages.Benchmarks.Measuring;
using OpenAIImages.Benchmarks.Payload;
using OpenAIImages.Benchmarks.Report;
using OpenAIImages.Engine.Imaging;

namespace OpenAIImages.Benchmarks.Suites;

/// <summary>
/// ConvertTo-AlphaMask's engine (<see cref="AlphaMask.ToPng(ReadOnlySpan{byte}, AlphaMaskOptions?, IRgbaImageCodec?)"/>)
/// on a 4096x4096 mask, against OpenAI's published Pillow recipe on the same file, read from and written to disk
/// on both sides. The alpha channels of the two outputs must be identical.
/// </summary>
public sealed class AlphaMaskBenchmark
{
    private const string Area = "ConvertTo-AlphaMask 4096x4096";
    private const int Size = 4096;
    private readonly BenchmarkOptions _options;

    public AlphaMaskBenchmark(BenchmarkOptions options) => _options = options;

    public async Task<IReadOnlyList<ResultRow>> RunAsync(ResultTable table)
    {
        Console.WriteLine("mask: building a 4096x4096 mask...");
        string input = Path.Combine(Scratch.Directory, "mask-bw.png");
        string oursOutput = Path.Combine(Scratch.Directory, "mask-alpha-ours.png");
        string pilOutput = Path.Combine(Scratch.Directory, "mask-alpha-pil.png");
        await File.WriteAllBytesAsync(input, PaintedMask.Png(Size));
        int iterations = _options.Quick ? 1 : 3;

        Console.WriteLine("mask: ours...");
        Convert(input, oursOutput);
        var samples = Enumerable.Range(0, iterations).Select(_ => Sample.Take(() => Convert(input, oursOutput))).ToList();
        double oursMs = Stats.Median(samples.Select(s => s.Milliseconds));
        double oursAllocated = Stats.Median(samples.Select(s => (double)s.AllocatedBytes));
        long? oursPeak = await ColdPeakGrowthAsync(input, oursOutput);
        long oursSize = new FileInfo(oursOutput).Length;

        var rows = new List<ResultRow>();
        string inputNote = $"Mask: a {Format.Size(new FileInfo(input).Length)} opaque RGBA PNG, white with five black anti-aliased shapes; both sides read it from disk and write the result to disk.";
        var python = PillowPython.Find();
        if (python == null)
        {
            table.Note(inputNote + " No python3 with Pillow (PIL) was found (apt-get install -y python3-pil), so the Pillow column is skipped.");
            rows.Add(new ResultRow(Area, "time (median)", Format.Ms(oursMs), "Pillow: not installed", "<= 0.20x Pillow in-process", Verdict.Skipped));
            rows.Add(new ResultRow(Area, "alpha identical to Pillow", "not checked", "Pillow: not installed", "identical", Verdict.Skipped));
            rows.Add(MemoryRow(oursAllocated, oursPeak, null));
            rows.Add(ResultRow.Info(Area, "output size", Format.Size(oursSize)));
            return rows;
        }

        Console.WriteLine($"mask: Pillow ({python})...");
        var pil = await RunPillowAsync(python, input, pilOutput, iterations + 1);
        double pilMs = Stats.Median(pil.Seconds.Skip(1).Select(s => s * 1000));
        double? pilPeak = pil.PeakGrowth.Length > 1 ? Stats.Median(pil.PeakGrowth.Skip(1).Select(p => (double)p)) : null;
        var coldClock = Stopwatch.StartNew();
        await RunPillowAsync(python, input, pilOutput, 1);
        double pilColdMs = coldClock.Elapsed.TotalMilliseconds;

        bool identical = AlphaEqual(oursOutput, pilOutput, out string alphaDetail);
        rows.Add(ResultRow.Check(Area, "time (median)", Format.Ms(oursMs),
            $"Pillow {Format.Ms(pilMs)} in-process ({Format.Ratio(oursMs / pilMs)}); {Format.Ms(pilColdMs)} with interpreter start",
            "<= 0.20x Pillow in-process", oursMs <= 0.2 * pilMs));
        rows.Add(ResultRow.Check(Area, "alpha identical to Pillow", alphaDetail, $"Pillow {pil.Pillow}, zlib {pil.Zlib}", "identical", identical));
        rows.Add(MemoryRow(oursAllocated, oursPeak, pilPeak));
        rows.Add(ResultRow.Info(Area, "output size", Format.Size(oursSize), $"Pillow {Format.Size(pil.OutputBytes)} ({Format.Ratio((double)oursSize / pil.OutputBytes)})"));
        table.Note(inputNote + $" Times are medians of {iterations} conversions after one warm-up on each side; Pillow's are taken by its own timer inside the interpreter, and once more as the wall time of a fresh `{python}` process (interpreter start, imports and one conversion).");
        table.Note("Mask memory: 'GC allocated' is GC.GetTotalAllocatedBytes over one conversion; 'peak RSS +' is the growth of the peak resident set (VmHWM after resetting it through /proc/self/clear_refs) during one conversion, ours in a fresh child process after a small warm-up conversion, Pillow's inside its interpreter.");
        return rows;
    }

    private static ResultRow MemoryRow(double allocated, long? oursPeak, double? pilPeak) =>
        ResultRow.Info(Area, "memory per conversion",
            $"GC allocated {Format.MiB(allocated)}; peak RSS +{(oursPeak is long p ? Format.MiB(p) : "n/a")}",
            pilPeak is double q ? $"Pillow peak RSS +{Format.MiB(q)}" : "");

    private static void Convert(string input, string output) => File.WriteAllBytes(output, AlphaMask.ToPng(File.ReadAllBytes(input)));

    /// <summary>Child mode: one conversion in a fresh process, printing the growth of the peak resident set.</summary>
    public static int RunOnce(string input, string output)
    {
        // A small conversion first, so JIT and first-use allocations do not count toward the big one.
        AlphaMask.ToPng(PaintedMask.Png(64));
        if (!PeakMemory.IsAvailable)
        {
            Console.WriteLine("peak-growth n/a");
            return 0;
        }
        long start = PeakMemory.ResetPeak();
        Convert(input, output);
        Console.WriteLine("peak-growth " + (PeakMemory.PeakBytes() - start));
        return 0;
    }

    private static async Task<long?> ColdPeakGrowthAsync(string input, string output)
    {
        var start = SelfLauncher.StartInfo("--mask-once", input, output);
        start.RedirectStandardOutput = true;
        using var process = Process.Start(start)!;
        string text = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        var line = text.Split('\n').FirstOrDefault(l => l.StartsWith("peak-growth ", StringComparison.Ordinal));
        return line != null && long.TryParse(line["peak-growth ".Length..], out long growth) ? growth : null;
    }

    private sealed record PillowRun(double[] Seconds, long[] PeakGrowth, long OutputBytes, string Pillow, string Zlib);

    private static async Task<PillowRun> RunPillowAsync(string python, string input, string output, int iterations)
    {
        var start = new ProcessStartInfo(python) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Suites", "pil_alpha_mask.py"));
        start.ArgumentList.Add(input);
        start.ArgumentList.Add(output);
        start.ArgumentList.Add(iterations.ToString());
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"The Pillow recipe failed: {await stderr}");
        using var json = JsonDocument.Parse(await stdout);
        var root = json.RootElement;
        return new PillowRun(
            root.GetProperty("seconds").EnumerateArray().Select(e => e.GetDouble()).ToArray(),
            root.GetProperty("peak_growth").EnumerateArray().Select(e => e.GetInt64()).ToArray(),
            root.GetProperty("output_bytes").GetInt64(),
            root.GetProperty("pillow").GetString() ?? "?",
            root.GetProperty("zlib").GetString() ?? "?");
    }

    /// <summary>Decodes both outputs with our decoder and compares every alpha sample.</summary>
    private static bool AlphaEqual(string oursPath, string pilPath, out string detail)
    {
        var ours = PngDecoder.Decode(File.ReadAllBytes(oursPath));
        var pil = PngDecoder.Decode(File.ReadAllBytes(pilPath));
        if (ours.Width != pil.Width || ours.Height != pil.Height)
        {
            detail = $"sizes differ: {ours.Width}x{ours.Height} and {pil.Width}x{pil.Height}";
            return false;
        }
        long differing = 0, rgbDiffering = 0;
        for (int i = 0; i < ours.Pixels.Length; i += 4)
        {
            if (ours.Pixels[i + 3] != pil.Pixels[i + 3]) differing++;
            if (ours.Pixels[i] != pil.Pixels[i] || ours.Pixels[i + 1] != pil.Pixels[i + 1] || ours.Pixels[i + 2] != pil.Pixels[i + 2]) rgbDiffering++;
        }
        long pixels = (long)ours.Width * ours.Height;
        detail = differing == 0
            ? $"all {pixels:N0} identical{(rgbDiffering == 0 ? ", RGB too" : $" ({rgbDiffering:N0} RGB differ)")}"
            : $"{differing:N0} of {pixels:N0} differ";
        return differing == 0;
    }
}
