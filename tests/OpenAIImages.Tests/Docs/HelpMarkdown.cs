namespace OpenAIImages.Tests.Docs;

/// <summary>A fenced code block: its language (may be empty) and its text, lines joined with \n.</summary>
public sealed record CodeBlock(string Language, string Text);

/// <summary>Lines under a heading, up to the next heading of the same or a higher level.</summary>
public sealed class MarkdownPart
{
    public MarkdownPart(string heading, IReadOnlyList<string> lines, IReadOnlyList<MarkdownPart> children)
    {
        Heading = heading;
        Lines = lines;
        Children = children;
    }

    public string Heading { get; }

    /// <summary>The part's own lines, before its first child heading.</summary>
    public IReadOnlyList<string> Lines { get; }

    public IReadOnlyList<MarkdownPart> Children { get; }

    public IReadOnlyList<CodeBlock> CodeBlocks => HelpMarkdown.CodeBlocksOf(Lines);

    /// <summary>The prose: lines outside code blocks, trimmed, blank lines dropped, PlatyPS placeholders ({{ ... }}) dropped.</summary>
    public string Text => HelpMarkdown.TextOf(Lines);

    public MarkdownPart? Child(string heading) => Children.FirstOrDefault(c => string.Equals(c.Heading, heading, StringComparison.Ordinal));
}

/// <summary>
/// A PlatyPS 2.0.0 cmdlet help file read the way PlatyPS reads it: YAML front matter, a level-1 title, level-2 sections,
/// level-3 entries (syntax sets, examples, parameters, input and output types). Headings inside code blocks are text.
/// </summary>
public sealed class HelpMarkdown
{
    private HelpMarkdown(IReadOnlyDictionary<string, string> frontMatter, string? title, IReadOnlyList<MarkdownPart> sections)
    {
        FrontMatter = frontMatter;
        Title = title;
        Sections = sections;
    }

    public IReadOnlyDictionary<string, string> FrontMatter { get; }
    public string? Title { get; }
    public IReadOnlyList<MarkdownPart> Sections { get; }

    public MarkdownPart? Section(string heading) => Sections.FirstOrDefault(s => string.Equals(s.Heading, heading, StringComparison.Ordinal));

    public static HelpMarkdown Load(string path) => Parse(File.ReadAllText(path));

    public static HelpMarkdown Parse(string markdown)
    {
        var lines = markdown.Replace("\r\n", "\n").Split('\n').ToList();
        var frontMatter = new Dictionary<string, string>(StringComparer.Ordinal);
        int start = 0;
        if (lines.Count > 0 && lines[0].Trim() == "---")
        {
            int end = lines.FindIndex(1, l => l.Trim() == "---");
            if (end < 0) throw new FormatException("The front matter has no closing ---.");
            foreach (var line in lines.Skip(1).Take(end - 1))
            {
                int colon = line.IndexOf(':');
                if (colon > 0) frontMatter[line[..colon].Trim()] = line[(colon + 1)..].Trim();
            }
            start = end + 1;
        }

        string? title = null;
        var sections = new List<MarkdownPart>();
        string? sectionHeading = null;
        var sectionLines = new List<string>();
        var entries = new List<MarkdownPart>();
        string? entryHeading = null;
        var entryLines = new List<string>();
        bool inCode = false;

        void CloseEntry()
        {
            if (entryHeading != null) entries.Add(new MarkdownPart(entryHeading, entryLines.ToList(), Array.Empty<MarkdownPart>()));
            entryHeading = null;
            entryLines.Clear();
        }

        void CloseSection()
        {
            CloseEntry();
            if (sectionHeading != null) sections.Add(new MarkdownPart(sectionHeading, sectionLines.ToList(), entries.ToList()));
            sectionHeading = null;
            sectionLines.Clear();
            entries.Clear();
        }

        foreach (var line in lines.Skip(start))
        {
            if (line.TrimStart().StartsWith("```", StringComparison.Ordinal)) inCode = !inCode;
            if (!inCode && line.StartsWith("# ", StringComparison.Ordinal) && title == null && sectionHeading == null)
            {
                title = line[2..].Trim();
                continue;
            }
            if (!inCode && line.StartsWith("## ", StringComparison.Ordinal))
            {
                CloseSection();
                sectionHeading = line[3..].Trim();
                continue;
            }
            if (!inCode && line.StartsWith("### ", StringComparison.Ordinal) && sectionHeading != null)
            {
                CloseEntry();
                entryHeading = line[4..].Trim();
                continue;
            }
            if (entryHeading != null) entryLines.Add(line);
            else if (sectionHeading != null) sectionLines.Add(line);
        }
        CloseSection();
        return new HelpMarkdown(frontMatter, title, sections);
    }

    internal static IReadOnlyList<CodeBlock> CodeBlocksOf(IReadOnlyList<string> lines)
    {
        var blocks = new List<CodeBlock>();
        string? language = null;
        var text = new List<string>();
        foreach (var line in lines)
        {
            var trimmed = line.Trim();
            if (trimmed.StartsWith("```", StringComparison.Ordinal))
            {
                if (language == null)
                {
                    language = trimmed[3..].Trim();
                    text.Clear();
                }
                else
                {
                    blocks.Add(new CodeBlock(language, string.Join("\n", text)));
                    language = null;
                }
                continue;
            }
            if (language != null) text.Add(line.TrimEnd());
        }
        return blocks;
    }

    internal static string TextOf(IReadOnlyList<string> lines)
    {
        var text = new List<string>();
        bool inCode = false;
        foreach (var line in lines)
        {
            if (line.Trim().StartsWith("```", StringComparison.Ordinal))
            {
                inCode = !inCode;
                continue;
            }
            if (inCode) continue;
            var trimmed = line.Trim();
            if (trimmed.Length == 0 || (trimmed.StartsWith("{{", StringComparison.Ordinal) && trimmed.EndsWith("}}", StringComparison.Ordinal))) continue;
            text.Add(trimmed);
        }
        return string.Join(" ", text);
    }

    /// <summary>A ```yaml block of "Key: value" lines; a key with nothing after the colon has an empty value.</summary>
    public static IReadOnlyDictionary<string, string> ParseYaml(string text)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n'))
        {
            int colon = line.IndexOf(':');
            if (colon <= 0) continue;
            values[line[..colon].Trim()] = line[(colon + 1)..].Trim();
        }
        return values;
    }
}
