using System.Reflection;
using System.Text.RegularExpressions;
using Xunit;

namespace OpenAIImages.Tests.Loading;

/// <summary>
/// A module folder laid out as <c>build.ps1 -Task Build</c> lays it out: the files its two lists name, copied from
/// the same publish output, into the module folder and its dependencies folder. The lists are read from build.ps1
/// itself so that these tests load exactly what ships.
/// </summary>
internal sealed class ModuleUnderTest
{
    private static readonly Lazy<ModuleUnderTest> Shared = new(() => new ModuleUnderTest());

    public static ModuleUnderTest Instance => Shared.Value;

    public string RepositoryRoot { get; }

    /// <summary>What the test project's build published (see PublishModuleForLoadingTests in the project file).</summary>
    public string PublishDirectory { get; }

    public IReadOnlyList<string> ModuleFiles { get; }
    public IReadOnlyList<string> DependencyFiles { get; }

    public string ModuleDirectory { get; }
    public string DependencyDirectory => Path.Combine(ModuleDirectory, "dependencies");

    public string EnginePath => Path.Combine(DependencyDirectory, "OpenAIImages.Engine.dll");
    public string CmdletAssemblyPath => Path.Combine(ModuleDirectory, "OpenAIImages.dll");

    private ModuleUnderTest()
    {
        RepositoryRoot = Metadata("RepositoryRoot");
        PublishDirectory = Path.Combine(AppContext.BaseDirectory, "module-publish");
        string script = File.ReadAllText(Path.Combine(RepositoryRoot, "build.ps1"));
        ModuleFiles = ListIn(script, "moduleFiles");
        DependencyFiles = ListIn(script, "dependencyFiles");

        ModuleDirectory = Path.Combine(Path.GetTempPath(), "OpenAIImages.Tests.Loading-" + Guid.NewGuid().ToString("N"), "OpenAIImages");
        Directory.CreateDirectory(DependencyDirectory);
        Copy(ModuleFiles, ModuleDirectory);
        Copy(DependencyFiles, DependencyDirectory);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => TryDelete(Path.GetDirectoryName(ModuleDirectory)!);
    }

    public static string Metadata(string key) =>
        typeof(ModuleUnderTest).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value
        ?? throw new InvalidOperationException($"The test assembly has no {key} metadata.");

    /// <summary>The quoted names of a PowerShell array literal such as <c>$dependencyFiles = @( 'a.dll' 'b.dll' )</c>.</summary>
    private static IReadOnlyList<string> ListIn(string script, string variable)
    {
        var block = Regex.Match(script, @"\$" + variable + @"\s*=\s*@\((?<items>[^)]*)\)");
        Assert.True(block.Success, $"build.ps1 has no ${variable} list.");
        var names = Regex.Matches(block.Groups["items"].Value, @"'([^']+)'").Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(names);
        return names;
    }

    private void Copy(IEnumerable<string> files, string destination)
    {
        foreach (string file in files)
        {
            string source = Path.Combine(PublishDirectory, file);
            Assert.True(File.Exists(source), $"The publish output has no {file}, which build.ps1 ships.");
            File.Copy(source, Path.Combine(destination, file));
        }
    }

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
