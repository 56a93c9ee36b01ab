using System.Globalization;
using System.Text;
using OpenAIImages.Engine.Models;

namespace OpenAIImages.Tests.Docs;

/// <summary>
/// The parts of about_OpenAIImages.md that are made from the engine's tables, so the help cannot drift from them:
/// the model table (one line per ModelCatalog row) and the output-token table (TokenEstimator). Lines stay under
/// 80 characters, as about topics are shown as plain text.
/// </summary>
public static class AboutTopicText
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static string ModelTable()
    {
        var rows = ModelCatalog.All;
        int name = Math.Max("Model".Length, rows.Max(r => r.Name.Length));
        var text = new StringBuilder();
        Line(text, $"{"Model".PadRight(name)}  {"Endpoints",-20}  {"n",2}  {"Prompt",6}  Shutdown");
        foreach (var row in rows)
            Line(text, $"{row.Name.PadRight(name)}  {Endpoints(row),-20}  {row.MaxCount,2}  {row.MaxPromptLength,6}  {Shutdown(row)}");
        text.Append('\n');
        Line(text, $"{"Model".PadRight(name)}  Sizes");
        foreach (var row in rows)
            Line(text, $"{row.Name.PadRight(name)}  {Sizes(row)}");
        text.Append('\n');
        Line(text, $"{"Model".PadRight(name)}  {"Quality",-20}  Formats");
        foreach (var row in rows)
            Line(text, $"{row.Name.PadRight(name)}  {List(row.Qualities),-20}  {List(row.OutputFormats)}");
        return text.ToString().TrimEnd('\n');
    }

    public static string TokenTable()
    {
        var text = new StringBuilder();
        Line(text, $"{"Quality",-8}{"Square",12}{"Portrait",12}{"Landscape",12}");
        Line(text, $"{"",-8}{"1024x1024",12}{"1024x1536",12}{"1536x1024",12}");
        var model = ModelCatalog.Find(ModelCatalog.DefaultModel);
        foreach (var quality in new[] { "low", "medium", "high" })
        {
            long Tokens(int w, int h) => TokenEstimator.OutputTokensPerImage(model, new ImageSize(w, h), quality) ?? 0;
            Line(text, string.Format(Invariant, "{0,-8}{1,12:N0}{2,12:N0}{3,12:N0}", quality, Tokens(1024, 1024), Tokens(1024, 1536), Tokens(1536, 1024)));
        }
        return text.ToString().TrimEnd('\n');
    }

    private static void Line(StringBuilder text, string line) => text.Append(line.TrimEnd()).Append('\n');

    private static string Endpoints(ModelInfo row)
    {
        var names = new List<string>();
        if (row.Supports(ImageEndpoints.Generations)) names.Add("generate");
        if (row.Supports(ImageEndpoints.Edits)) names.Add("edit");
        if (row.Supports(ImageEndpoints.Variations)) names.Add("vary");
        return string.Join(", ", names);
    }

    private static string Shutdown(ModelInfo row) =>
        row.ShutdownDate is DateTimeOffset date ? date.ToString("yyyy-MM-dd", Invariant) : "-";

    private static string Sizes(ModelInfo row)
    {
        if (row.FreeSize is { } free)
            return string.Format(Invariant, "any size: multiples of {0}, up to {1:0.#}:1 and {2} px", free.Multiple, free.MaxAspectRatio, free.MaxEdge);
        return List(row.Sizes);
    }

    private static string List(IReadOnlyList<string> values) => values.Count == 0 ? "-" : string.Join(" ", values);
}
