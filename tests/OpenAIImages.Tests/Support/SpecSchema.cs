namespace OpenAIImages.Tests.Support;

/// <summary>
/// The request schemas of the shared OpenAPI description, read just far enough to know each schema's property
/// names and the enums that constrain them directly. The description's layout is regular (two-space indents), so a
/// line reader suffices where no YAML library is at hand.
/// </summary>
public sealed class SpecSchema
{
    public IReadOnlySet<string> Properties { get; }
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Enums { get; }

    private SpecSchema(HashSet<string> properties, Dictionary<string, IReadOnlyList<string>> enums)
    {
        Properties = properties;
        Enums = enums;
    }

    /// <param name="file">The images description, or openai-openapi.yaml for the whole API (Responses, Files, Batches).</param>
    public static SpecSchema Load(string schemaName, string file = "openai-images.openapi.yaml")
    {
        var lines = File.ReadAllLines(Path.Combine(RepoPaths.Shared, file));
        int start = Array.FindIndex(lines, l => l == $"    {schemaName}:");
        if (start < 0) throw new InvalidOperationException($"Schema {schemaName} is not in the OpenAPI description.");
        var properties = new HashSet<string>();
        var enums = new Dictionary<string, IReadOnlyList<string>>();
        bool inProperties = false;
        string? current = null;
        for (int i = start + 1; i < lines.Length; i++)
        {
            string line = lines[i];
            if (line.Length > 0 && Indent(line) <= 4) break;
            if (Indent(line) == 6) inProperties = line.Trim() == "properties:";
            if (!inProperties) continue;
            if (Indent(line) == 8 && line.TrimEnd().EndsWith(':'))
            {
                current = line.Trim().TrimEnd(':');
                properties.Add(current);
            }
            else if (current != null && Indent(line) == 10 && line.Trim() == "enum:")
            {
                var values = new List<string>();
                for (int j = i + 1; j < lines.Length && Indent(lines[j]) == 10 && lines[j].TrimStart().StartsWith("- "); j++)
                    values.Add(lines[j].Trim().Substring(2).Trim('\'', '"'));
                enums[current] = values;
            }
        }
        return new SpecSchema(properties, enums);
    }

    private static int Indent(string line) => line.Length - line.TrimStart(' ').Length;
}
