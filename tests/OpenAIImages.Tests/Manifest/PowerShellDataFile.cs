using System.Text;

namespace OpenAIImages.Tests.Manifest;

/// <summary>
/// Reads the subset of PowerShell data-file syntax a module manifest uses: @{ key = value } hashtables, @( ) arrays
/// (items separated by new lines or commas), single- and double-quoted strings without expressions, $true, $false,
/// $null, numbers, and # comments. Anything else is a FormatException, so the test never guesses.
/// Hashtables become case-insensitive dictionaries, arrays lists of values, scalars strings or bools.
/// </summary>
public sealed class PowerShellDataFile
{
    private readonly string _text;
    private int _at;

    private PowerShellDataFile(string text) => _text = text;

    public static IReadOnlyDictionary<string, object?> Load(string path) => Parse(File.ReadAllText(path));

    public static IReadOnlyDictionary<string, object?> Parse(string text)
    {
        var reader = new PowerShellDataFile(text);
        reader.SkipSpace();
        var table = reader.ReadHashtable();
        reader.SkipSpace();
        if (reader._at != text.Length) throw reader.Error("text after the closing }");
        return table;
    }

    private Dictionary<string, object?> ReadHashtable()
    {
        Expect("@{");
        var table = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
        while (true)
        {
            SkipSpace(separators: ";");
            if (TryTake("}")) return table;
            string key = Peek() is '\'' or '"' ? ReadString() : ReadBareWord();
            SkipSpace();
            Expect("=");
            SkipSpace();
            if (!table.TryAdd(key, ReadValue())) throw Error($"the key '{key}' appears twice");
        }
    }

    private List<object?> ReadArray()
    {
        Expect("@(");
        var items = new List<object?>();
        while (true)
        {
            SkipSpace(separators: ",");
            if (TryTake(")")) return items;
            items.Add(ReadValue(commaList: false));
        }
    }

    private object? ReadValue(bool commaList = true)
    {
        if (Starts("@{")) return ReadHashtable();
        if (Starts("@(")) return ReadArray();
        if (Peek() is '\'' or '"')
        {
            string first = ReadString();
            SkipSpace();
            if (!commaList || Peek() != ',') return first;
            // A bare comma list: 'a', 'b' is an array too (inside @( ) the commas only separate items).
            var items = new List<object?> { first };
            while (TryTake(","))
            {
                SkipSpace();
                items.Add(ReadValue());
                SkipSpace();
            }
            return items;
        }
        string word = ReadBareWord();
        return word.ToLowerInvariant() switch
        {
            "$true" => true,
            "$false" => false,
            "$null" => null,
            _ when word.All(c => char.IsDigit(c) || c == '.') => word,
            _ => throw Error($"'{word}' is not a value a data file may hold"),
        };
    }

    private string ReadString()
    {
        char quote = _text[_at++];
        var value = new StringBuilder();
        while (true)
        {
            if (_at >= _text.Length) throw Error("a string is not closed");
            char c = _text[_at++];
            if (c == quote)
            {
                if (_at < _text.Length && _text[_at] == quote)
                {
                    value.Append(quote);
                    _at++;
                    continue;
                }
                return value.ToString();
            }
            if (quote == '"' && (c == '$' || c == '`')) throw Error("a double-quoted string with an expression or escape");
            value.Append(c);
        }
    }

    private string ReadBareWord()
    {
        int start = _at;
        while (_at < _text.Length && (char.IsLetterOrDigit(_text[_at]) || _text[_at] is '_' or '$' or '.' or '-')) _at++;
        if (_at == start) throw Error($"unexpected '{Peek()}'");
        return _text[start.._at];
    }

    private void SkipSpace(string separators = "")
    {
        while (_at < _text.Length)
        {
            char c = _text[_at];
            if (c == '#')
            {
                while (_at < _text.Length && _text[_at] != '\n') _at++;
            }
            else if (c == ' ' || c == '\t' || c == '\r' || (c == '\n') || separators.IndexOf(c) >= 0)
            {
                _at++;
            }
            else
            {
                return;
            }
        }
    }

    private char Peek() => _at < _text.Length ? _text[_at] : '\0';

    private bool Starts(string token) => string.CompareOrdinal(_text, _at, token, 0, token.Length) == 0;

    private bool TryTake(string token)
    {
        if (!Starts(token)) return false;
        _at += token.Length;
        return true;
    }

    private void Expect(string token)
    {
        if (!TryTake(token)) throw Error($"expected '{token}'");
    }

    private FormatException Error(string what)
    {
        int line = _text.Take(_at).Count(c => c == '\n') + 1;
        return new FormatException($"Line {line} of the data file: {what}.");
    }
}
