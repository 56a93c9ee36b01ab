using System.Text;

namespace OpenAIImages.Benchmarks.Report;

/// <summary>The rows of a run, printed as an aligned text table or as Markdown for docs/performance.md.</summary>
public sealed class ResultTable
{
    private static readonly string[] Headers = { "Area", "Metric", "Ours", "Compared with", "Target", "Result" };
    private readonly List<ResultRow> _rows = new();
    private readonly List<string> _notes = new();

    public IReadOnlyList<ResultRow> Rows => _rows;

    public IReadOnlyList<string> Notes => _notes;

    public void Add(ResultRow row) => _rows.Add(row);

    public void AddRange(IEnumerable<ResultRow> rows) => _rows.AddRange(rows);

    /// <summary>A sentence printed under the table: what a figure means, or why a column is missing.</summary>
    public void Note(string note) => _notes.Add(note);

    public string ToText()
    {
        var cells = _rows.Select(Cells).ToList();
        var widths = Headers.Select((h, i) => Math.Max(h.Length, cells.Count == 0 ? 0 : cells.Max(c => c[i].Length))).ToArray();
        var text = new StringBuilder();
        AppendLine(text, Headers, widths);
        text.AppendLine(string.Join("-+-", widths.Select(w => new string('-', w))));
        foreach (var row in cells) AppendLine(text, row, widths);
        foreach (var note in _notes) text.AppendLine("* " + note);
        return text.ToString();
    }

    public string ToMarkdown()
    {
        var text = new StringBuilder();
        text.AppendLine("| " + string.Join(" | ", Headers) + " |");
        text.AppendLine("|" + string.Concat(Headers.Select(_ => " --- |")));
        foreach (var row in _rows)
            text.AppendLine("| " + string.Join(" | ", Cells(row).Select(c => c.Replace("|", "\\|"))) + " |");
        if (_notes.Count > 0) text.AppendLine();
        foreach (var note in _notes) text.AppendLine("- " + note);
        return text.ToString();
    }

    private static string[] Cells(ResultRow row) => new[] { row.Area, row.Metric, row.Ours, row.Reference, row.Target, row.VerdictText };

    private static void AppendLine(StringBuilder text, string[] cells, int[] widths) =>
        text.AppendLine(string.Join(" | ", cells.Select((c, i) => c.PadRight(widths[i]))).TrimEnd());
}
