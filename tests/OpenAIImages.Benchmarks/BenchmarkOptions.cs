namespace OpenAIImages.Benchmarks;

/// <summary>Command line: <c>[--quick] [--only decode,responses,batch,batchmemory,png,mask,overhead] [--markdown FILE]</c>.</summary>
public sealed class BenchmarkOptions
{
    public static readonly string[] Suites = { "decode", "responses", "batch", "batchmemory", "png", "mask", "overhead" };

    /// <summary>Fewer iterations and prompts: a smoke run in well under a minute, with noisier figures.</summary>
    public bool Quick { get; private init; }

    public IReadOnlySet<string> Only { get; private init; } = new HashSet<string>(Suites);

    /// <summary>Where to write the table as Markdown as well (docs/performance.md takes it from there).</summary>
    public string? MarkdownFile { get; private init; }

    public bool Runs(string suite) => Only.Contains(suite);

    public static BenchmarkOptions Parse(string[] args)
    {
        bool quick = false;
        string? markdown = null;
        var only = new HashSet<string>(Suites);
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--quick":
                    quick = true;
                    break;
                case "--only" when i + 1 < args.Length:
                    only = new HashSet<string>(args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
                    var unknown = only.Except(Suites).ToList();
                    if (unknown.Count > 0) throw new ArgumentException($"Unknown suite {string.Join(", ", unknown)}; the suites are {string.Join(", ", Suites)}.");
                    break;
                case "--markdown" when i + 1 < args.Length:
                    markdown = args[++i];
                    break;
                default:
                    throw new ArgumentException($"Unknown argument '{args[i]}'. Usage: [--quick] [--only {string.Join(",", Suites)}] [--markdown FILE]");
            }
        }
        return new BenchmarkOptions { Quick = quick, Only = only, MarkdownFile = markdown };
    }
}
