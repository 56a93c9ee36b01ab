using System.Diagnostics;
using OpenAIImages.Benchmarks;
using OpenAIImages.Benchmarks.Payload;
using OpenAIImages.Benchmarks.Report;
using OpenAIImages.Benchmarks.Suites;

// Child modes first: this program starts itself as the payload server and for the cold mask measurement.
if (args.Length == 2 && args[0] == "--serve") return await PayloadServer.RunAsync(args[1]);
if (args.Length == 3 && args[0] == "--mask-once") return AlphaMaskBenchmark.RunOnce(args[1], args[2]);
if (args.Length == 2 && args[0] == "--shell-payload")
{
    // For tools/Measure-ShellPerformance.ps1: one generation answer carrying a realistic 4.7 MB 1536x1024 PNG.
    var png = NoisyImages.Png(1536, 1024, seed: 3, noiseSpan: 75);
    await File.WriteAllBytesAsync(args[1], ImagesResponseBody.For(new[] { png }, "1536x1024").Json);
    Console.WriteLine($"payload {png.Length}");
    return 0;
}

BenchmarkOptions options;
try
{
    options = BenchmarkOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

var machine = MachineInfo.Current();
Console.WriteLine("OpenAIImages benchmarks" + (options.Quick ? " (quick run: fewer iterations, noisier figures)" : ""));
Console.WriteLine("Machine: " + machine);
var table = new ResultTable();
var clock = Stopwatch.StartNew();
try
{
    if (options.Runs("decode")) table.AddRange(await new DecodeBenchmark(options).RunAsync(table));
    if (options.Runs("responses")) table.AddRange(await new ResponsesBenchmark(options).RunAsync(table));
    if (options.Runs("batch")) table.AddRange(await new BatchBenchmark(options).RunAsync(table));
    if (options.Runs("batchmemory")) table.AddRange(await new BatchMemoryBenchmark(options).RunAsync(table));
    if (options.Runs("png")) table.AddRange(await new PngCodecBenchmark(options).RunAsync(table));
    if (options.Runs("mask")) table.AddRange(await new AlphaMaskBenchmark(options).RunAsync(table));
    if (options.Runs("overhead")) table.AddRange(await new OverheadBenchmark(options).RunAsync(table));
}
finally
{
    Scratch.Clean();
}
clock.Stop();

Console.WriteLine();
Console.WriteLine(table.ToText());
Console.WriteLine($"Machine: {machine}");
Console.WriteLine($"Run took {clock.Elapsed.TotalSeconds:0} s{(options.Quick ? " (--quick)" : "")}.");
if (options.MarkdownFile != null)
{
    var markdown = $"Machine: {machine}. Run took {clock.Elapsed.TotalSeconds:0} s{(options.Quick ? " (--quick)" : "")}.\n\n" + table.ToMarkdown();
    // A file with the results markers (docs/performance.md) gets the table between them; any other file is the table.
    const string Start = "<!-- benchmark results: written by tests/OpenAIImages.Benchmarks -->", End = "<!-- end of benchmark results -->";
    // `dotnet run --project` runs in the project's folder, so a relative path is taken from the repository's root.
    string target = Path.IsPathRooted(options.MarkdownFile) ? options.MarkdownFile : Path.Combine(RepositoryRoot(), options.MarkdownFile);
    string existing = File.Exists(target) ? await File.ReadAllTextAsync(target) : "";
    int from = existing.IndexOf(Start, StringComparison.Ordinal), to = existing.IndexOf(End, StringComparison.Ordinal);
    await File.WriteAllTextAsync(target, from >= 0 && to > from
        ? existing[..(from + Start.Length)] + "\n\n" + markdown.TrimEnd() + "\n\n" + existing[to..]
        : markdown);
}
// A report, not a gate: a MISS is a finding to read in the table, so a finished run exits 0.
return 0;

static string RepositoryRoot()
{
    for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder != null; folder = folder.Parent)
        if (File.Exists(Path.Combine(folder.FullName, "OpenAIImages.sln"))) return folder.FullName;
    return Directory.GetCurrentDirectory();
}
