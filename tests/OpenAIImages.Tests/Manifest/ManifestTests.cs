using System.Xml.Linq;
using OpenAIImages.Engine.Results;
using OpenAIImages.Tests.Contract;
using OpenAIImages.Tests.Support;
using Xunit;

namespace OpenAIImages.Tests.Manifest;

/// <summary>
/// OpenAIImages.psd1 holds what the PowerShell Gallery and both PowerShell editions need, and exports exactly the
/// cmdlets the assembly compiles.
/// </summary>
public class ManifestTests
{
    private static readonly Lazy<IReadOnlyDictionary<string, object?>> Manifest =
        new(() => PowerShellDataFile.Load(Path.Combine(RepoPaths.Root, "OpenAIImages.psd1")));

    private static object? Value(string key) => Manifest.Value.TryGetValue(key, out var value) ? value : null;

    private static IReadOnlyList<string> Strings(object? value) => value switch
    {
        string one => new[] { one },
        IEnumerable<object?> many => many.Select(v => Assert.IsType<string>(v)).ToList(),
        _ => throw new Xunit.Sdk.XunitException($"Expected a string or an array of strings, not {value?.GetType().Name ?? "nothing"}."),
    };

    private static IReadOnlyDictionary<string, object?> PSData =>
        Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(
            Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(Value("PrivateData"))["PSData"]);

    [Fact]
    public void TheGuidIsAGuid()
    {
        Assert.True(Guid.TryParse(Assert.IsType<string>(Value("GUID")), out var guid) && guid != Guid.Empty, "GUID must be a non-empty GUID.");
    }

    [Theory]
    [InlineData("Author")]
    [InlineData("CompanyName")]
    [InlineData("Copyright")]
    [InlineData("Description")]
    public void TheGalleryTextIsThere(string key)
    {
        Assert.False(string.IsNullOrWhiteSpace(Value(key) as string), $"{key} is missing or empty.");
    }

    [Fact]
    public void ItRunsOnWindowsPowerShellAndPowerShell7()
    {
        Assert.Equal("5.1", Value("PowerShellVersion"));
        Assert.Equal(new[] { "Desktop", "Core" }, Strings(Value("CompatiblePSEditions")));
    }

    [Fact]
    public void TheRootModuleIsTheCmdletAssembly()
    {
        Assert.Equal("OpenAIImages.dll", Value("RootModule"));
    }

    [Fact]
    public void ItExportsExactlyTheCompiledCmdlets()
    {
        var compiled = CmdletMetadata.Read(RepoPaths.CmdletAssembly).Select(c => c.Name).OrderBy(n => n, StringComparer.Ordinal);
        Assert.Equal(compiled, Strings(Value("CmdletsToExport")).OrderBy(n => n, StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("FunctionsToExport")]
    [InlineData("VariablesToExport")]
    [InlineData("AliasesToExport")]
    public void NothingElseIsExported(string key)
    {
        // An explicit empty array, not a missing key or '*': both make PowerShell search the module on every command lookup.
        Assert.True(Manifest.Value.ContainsKey(key), $"{key} is missing; set it to @().");
        Assert.Empty(Assert.IsType<List<object?>>(Value(key)));
    }

    [Fact]
    public void TheGalleryTagsAreThere()
    {
        var tags = Strings(PSData["Tags"]);
        Assert.NotEmpty(tags);
        Assert.All(tags, t => Assert.DoesNotContain(' ', t));
        Assert.Contains("PSEdition_Desktop", tags);
        Assert.Contains("PSEdition_Core", tags);
    }

    [Theory]
    [InlineData("ProjectUri")]
    [InlineData("LicenseUri")]
    public void TheGalleryLinksAreHttpsUrls(string key)
    {
        Assert.True(Uri.TryCreate(PSData[key] as string, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps, $"PSData.{key} must be an https URL.");
    }

    [Fact]
    public void ThereAreReleaseNotes()
    {
        Assert.False(string.IsNullOrWhiteSpace(PSData["ReleaseNotes"] as string), "PSData.ReleaseNotes is empty.");
    }

    /// <summary>Every type a compiled cmdlet declares in [OutputType]; the format file gives each a view of its own.</summary>
    private static readonly Lazy<IReadOnlyList<Type>> OutputTypes = new(() => CmdletMetadata.Read(RepoPaths.CmdletAssembly)
        .SelectMany(c => c.OutputTypes).Distinct()
        .Select(name => typeof(GeneratedImage).Assembly.GetType(name) ?? throw new Xunit.Sdk.XunitException($"[OutputType] names {name}, which the engine does not have."))
        .ToList());

    [Fact]
    public void TheCmdletsWriteGeneratedAndMaskImages()
    {
        Assert.Contains(typeof(GeneratedImage), OutputTypes.Value);
        Assert.Contains(typeof(MaskImage), OutputTypes.Value);
    }

    [Fact]
    public void TheFormatFileExistsAndShowsTheOutputTypes()
    {
        var formats = Strings(Value("FormatsToProcess"));
        Assert.NotEmpty(formats);
        var types = new List<string>();
        foreach (var name in formats)
        {
            string path = Path.Combine(RepoPaths.Root, "src", "OpenAIImages", name);
            Assert.True(File.Exists(path), $"FormatsToProcess names {name}, but {path} does not exist.");
            types.AddRange(XDocument.Load(path).Descendants("ViewSelectedBy").Elements("TypeName").Select(e => e.Value.Trim()));
        }
        foreach (var type in OutputTypes.Value) Assert.Contains(type.FullName, types);
    }

    [Fact]
    public void EveryViewShowsOnlyPropertiesItsTypeHas()
    {
        foreach (var name in Strings(Value("FormatsToProcess")))
        {
            var xml = XDocument.Load(Path.Combine(RepoPaths.Root, "src", "OpenAIImages", name));
            foreach (var view in xml.Descendants("View"))
            {
                var selected = view.Element("ViewSelectedBy")?.Elements("TypeName").Select(e => e.Value.Trim()).ToList() ?? new List<string>();
                Assert.True(selected.Count == 1, $"A view in {name} should select exactly one type, not [{string.Join(", ", selected)}].");
                var type = OutputTypes.Value.SingleOrDefault(t => t.FullName == selected[0]);
                Assert.True(type != null, $"A view in {name} selects {selected[0]}, which no cmdlet writes.");
                var missing = view.Descendants("PropertyName").Select(e => e.Value.Trim())
                    .Where(p => type!.GetProperty(p) == null).ToList();
                Assert.True(missing.Count == 0, $"{name} shows properties {type!.Name} does not have: {string.Join(", ", missing)}.");
            }
        }
    }

    /// <summary>
    /// The checks PowerShell's format loader makes on a table view, any of which fails Import-Module: a header per
    /// column item, positive widths, Left/Right/Center alignment, one default row entry, one expression per item.
    /// </summary>
    [Fact]
    public void EveryTableViewPassesPowerShellsFormatLoaderChecks()
    {
        foreach (var name in Strings(Value("FormatsToProcess")))
        {
            var xml = XDocument.Load(Path.Combine(RepoPaths.Root, "src", "OpenAIImages", name));
            Assert.Equal("Configuration", xml.Root!.Name.LocalName);
            Assert.Equal(XNamespace.None, xml.Root.Name.Namespace);
            foreach (var table in xml.Descendants("TableControl"))
            {
                string view = (string?)table.Parent?.Element("Name") ?? "?";
                var headers = table.Element("TableHeaders")?.Elements("TableColumnHeader").ToList() ?? new List<XElement>();
                foreach (var header in headers)
                {
                    if (header.Element("Width") is { } width)
                        Assert.True(int.TryParse(width.Value.Trim(), out int w) && w > 0, $"{view}: width '{width.Value}' is not a positive integer.");
                    if (header.Element("Alignment") is { } alignment)
                        Assert.Contains(alignment.Value.Trim(), new[] { "Left", "Right", "Center" }, StringComparer.OrdinalIgnoreCase);
                }
                var rows = table.Element("TableRowEntries")?.Elements("TableRowEntry").ToList() ?? new List<XElement>();
                Assert.True(rows.Count(r => r.Element("EntrySelectedBy") == null) == 1, $"{view} needs exactly one TableRowEntry without EntrySelectedBy.");
                foreach (var row in rows)
                {
                    var items = row.Element("TableColumnItems")?.Elements("TableColumnItem").ToList() ?? new List<XElement>();
                    if (headers.Count > 0)
                        Assert.True(items.Count == headers.Count, $"{view}: {headers.Count} column headers but {items.Count} column items.");
                    foreach (var item in items)
                        Assert.True(item.Elements().Count(e => e.Name.LocalName is "PropertyName" or "ScriptBlock") == 1, $"{view}: a column item needs one PropertyName or ScriptBlock.");
                }
            }
        }
    }

    [Fact]
    public void TheBuildCopiesEveryFormatFileIntoTheModule()
    {
        string build = File.ReadAllText(Path.Combine(RepoPaths.Root, "build.ps1"));
        foreach (var name in Strings(Value("FormatsToProcess"))) Assert.Contains(name, build);
    }

    [Fact]
    public void TheReaderTakesTheManifestSubsetAndRefusesExpressions()
    {
        var table = PowerShellDataFile.Parse("@{\n  A = 'x''y' # note\n  B = @('1'\n '2', '3')\n  C = @{ D = @() }\n  E = $true; F = 'p', 'q'\n}");
        Assert.Equal("x'y", table["a"]);
        Assert.Equal(new object?[] { "1", "2", "3" }, Assert.IsType<List<object?>>(table["B"]));
        Assert.Empty(Assert.IsType<List<object?>>(Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(table["C"])["D"]));
        Assert.Equal(true, table["E"]);
        Assert.Equal(new object?[] { "p", "q" }, Assert.IsType<List<object?>>(table["F"]));
        Assert.Throws<FormatException>(() => PowerShellDataFile.Parse("@{ A = (Get-Date) }"));
        Assert.Throws<FormatException>(() => PowerShellDataFile.Parse("@{ A = \"$env:X\" }"));
    }
}
