using System.Text;
using System.Text.RegularExpressions;

namespace OpenAIImages.Tests.Docs;

/// <summary>One call of a cmdlet in a script or a help example: where it is and the parameter names it uses.</summary>
public sealed record CommandUsage(string Source, int Line, string Command, IReadOnlyList<string> Parameters, string Text);

/// <summary>
/// Finds the calls of given cmdlets in PowerShell text and the parameter names each passes, without a PowerShell
/// parser: strings, here-strings and comments are blanked first, a name counts only in command position (at the start
/// of a statement, after a pipe, '(', '{', '=' or '&amp;'), and its arguments run to the end of the statement. Only
/// parameters at the call's own nesting level count; those inside script blocks, sub-expressions, arrays and
/// hashtables belong to other calls. Splatted arguments (@name) cannot be read and are left out.
/// </summary>
public static class CommandUsageScanner
{
    private static readonly Regex ParameterToken = new(@"^-([A-Za-z][A-Za-z0-9_]*)(:.*)?$", RegexOptions.CultureInvariant);

    public static IReadOnlyList<CommandUsage> Scan(string source, string text, IReadOnlyCollection<string> commands)
    {
        string code = Blank(text);
        var usages = new List<CommandUsage>();
        var names = commands.OrderByDescending(c => c.Length).Select(Regex.Escape);
        var call = new Regex(@"(?<![\w-])(" + string.Join("|", names) + @")(?![\w-])", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
        foreach (Match match in call.Matches(code))
        {
            if (!InCommandPosition(code, match.Index)) continue;
            int end = StatementEnd(code, match.Index + match.Length);
            string arguments = code.Substring(match.Index + match.Length, end - match.Index - match.Length);
            var parameters = TopLevelTokens(arguments)
                .Select(t => ParameterToken.Match(t))
                .Where(m => m.Success)
                .Select(m => m.Groups[1].Value)
                .ToList();
            string command = commands.First(c => string.Equals(c, match.Value, StringComparison.OrdinalIgnoreCase));
            int line = 1 + code.Take(match.Index).Count(c => c == '\n');
            usages.Add(new CommandUsage(source, line, command, parameters, text.Substring(match.Index, end - match.Index).Trim()));
        }
        return usages;
    }

    /// <summary>The powershell code of a markdown file (fenced blocks and indented lines), with its lines kept in place.</summary>
    public static string MarkdownCode(string markdown)
    {
        var lines = markdown.Replace("\r\n", "\n").Split('\n');
        var kept = new StringBuilder();
        bool inCode = false;
        foreach (var line in lines)
        {
            string trimmed = line.TrimStart();
            if (trimmed.StartsWith("```", StringComparison.Ordinal))
            {
                string language = trimmed.Substring(3).Trim().ToLowerInvariant();
                inCode = !inCode && (language == "powershell" || language == "ps1" || language == "pwsh");
                kept.Append('\n');
                continue;
            }
            // Indented code (four spaces or more) is how the about topic, which becomes plain text, shows commands.
            bool indented = line.StartsWith("    ", StringComparison.Ordinal) && trimmed.Length > 0;
            kept.Append(inCode || indented ? line : "").Append('\n');
        }
        return kept.ToString();
    }

    /// <summary>Replaces the content of strings and comments with spaces, keeping quotes, newlines and every offset.</summary>
    internal static string Blank(string text)
    {
        var chars = text.Replace("\r\n", " \n").ToCharArray();
        int i = 0;
        while (i < chars.Length)
        {
            char c = chars[i];
            if (c == '`') { i += 2; continue; }
            if (c == '<' && At(chars, i + 1, '#'))
            {
                int close = IndexOf(chars, "#>", i + 2);
                int stop = close < 0 ? chars.Length : close + 2;
                Fill(chars, i, stop);
                i = stop;
            }
            else if (c == '#' && (i == 0 || char.IsWhiteSpace(chars[i - 1]) || ";|({}".IndexOf(chars[i - 1]) >= 0))
            {
                int stop = i;
                while (stop < chars.Length && chars[stop] != '\n') stop++;
                Fill(chars, i, stop);
                i = stop;
            }
            else if (c == '@' && (At(chars, i + 1, '\'') || At(chars, i + 1, '"')) && LineEndsAfter(chars, i + 2))
            {
                string close = "\n" + chars[i + 1] + "@";
                int end = IndexOf(chars, close, i + 2);
                int stop = end < 0 ? chars.Length : end + close.Length;
                Fill(chars, i + 2, stop - 2);
                i = stop;
            }
            else if (c == '\'')
            {
                int j = i + 1;
                while (j < chars.Length && !(chars[j] == '\'' && !At(chars, j + 1, '\''))) j += chars[j] == '\'' ? 2 : 1;
                Fill(chars, i + 1, Math.Min(j, chars.Length));
                i = j + 1;
            }
            else if (c == '"')
            {
                int j = i + 1;
                while (j < chars.Length && chars[j] != '"') j += chars[j] == '`' ? 2 : 1;
                Fill(chars, i + 1, Math.Min(j, chars.Length));
                i = j + 1;
            }
            else
            {
                i++;
            }
        }
        return new string(chars);
    }

    private static bool InCommandPosition(string code, int index)
    {
        int i = index - 1;
        while (i >= 0 && (code[i] == ' ' || code[i] == '\t')) i--;
        if (i < 0) return true;
        if (code[i] == '\n')
        {
            // After a line continued with a backtick, the name is an argument of the line before.
            int j = i - 1;
            while (j >= 0 && (code[j] == ' ' || code[j] == '\t')) j--;
            return j < 0 || code[j] != '`';
        }
        return "|;({=&".IndexOf(code[i]) >= 0;
    }

    private static int StatementEnd(string code, int start)
    {
        int depth = 0;
        for (int i = start; i < code.Length; i++)
        {
            char c = code[i];
            switch (c)
            {
                case '`':
                    i++;
                    break;
                case '(' or '{' or '[':
                    depth++;
                    break;
                case ')' or '}' or ']':
                    if (depth == 0) return i;
                    depth--;
                    break;
                case '\n' or '|' or ';' or '&' or '>' when depth == 0:
                    return i;
            }
        }
        return code.Length;
    }

    private static IEnumerable<string> TopLevelTokens(string arguments)
    {
        var token = new StringBuilder();
        int depth = 0;
        for (int i = 0; i < arguments.Length; i++)
        {
            char c = arguments[i];
            if (c == '`' && i + 1 < arguments.Length && arguments[i + 1] == '\n') { i++; c = ' '; }
            if (c is '(' or '{' or '[') depth++;
            if (depth == 0 && char.IsWhiteSpace(c))
            {
                if (token.Length > 0) yield return token.ToString();
                token.Clear();
            }
            else if (depth == 0 && c != ')' && c != '}' && c != ']')
            {
                token.Append(c);
            }
            if (c is ')' or '}' or ']' && depth > 0) depth--;
        }
        if (token.Length > 0) yield return token.ToString();
    }

    private static bool At(char[] chars, int index, char c) => index < chars.Length && chars[index] == c;

    private static bool LineEndsAfter(char[] chars, int index)
    {
        while (index < chars.Length && (chars[index] == ' ' || chars[index] == '\t')) index++;
        return index >= chars.Length || chars[index] == '\n';
    }

    private static int IndexOf(char[] chars, string value, int start)
    {
        for (int i = start; i + value.Length <= chars.Length; i++)
        {
            int k = 0;
            while (k < value.Length && chars[i + k] == value[k]) k++;
            if (k == value.Length) return i;
        }
        return -1;
    }

    private static void Fill(char[] chars, int from, int to)
    {
        for (int i = from; i < to && i < chars.Length; i++)
        {
            if (chars[i] != '\n') chars[i] = ' ';
        }
    }
}
