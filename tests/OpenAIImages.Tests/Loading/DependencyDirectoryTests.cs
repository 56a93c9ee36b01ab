using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using OpenAIImages.Loading;
using Xunit;

namespace OpenAIImages.Tests.Loading;

/// <summary>
/// Which file answers which request: the rule Windows PowerShell's AssemblyResolve handler applies as it is (the same
/// source is compiled into OpenAIImages.dll), and PowerShell 7's load context applies before comparing with .NET.
/// </summary>
public class DependencyDirectoryTests
{
    private static ModuleUnderTest Module => ModuleUnderTest.Instance;

    private static DependencyDirectory Dependencies => new(Module.DependencyDirectory);

    private static string? PathFor(string displayName) => Dependencies.FindFor(new AssemblyName(displayName))?.Path;

    private static string Shipped(string file) => Path.Combine(Module.DependencyDirectory, file);

    [Fact]
    public void AnswersTheEngineForTheCmdletAssemblysReference()
    {
        Assert.Equal(Shipped("OpenAIImages.Engine.dll"), PathFor("OpenAIImages.Engine"));
        Assert.Equal(Shipped("OpenAIImages.Engine.dll"), PathFor("OpenAIImages.Engine, Version=0.1.0.0, Culture=neutral, PublicKeyToken=null"));
    }

    [Fact]
    public void AnswersALowerRequestedVersionWithTheShippedFile()
    {
        Assert.Equal(Shipped("System.Text.Json.dll"), PathFor("System.Text.Json, Version=4.0.0.0, Culture=neutral, PublicKeyToken=cc7b13ffcd2ddd51"));
    }

    [Fact]
    public void RefusesAHigherRequestedVersion()
    {
        Assert.Null(PathFor("System.Text.Json, Version=99.0.0.0, Culture=neutral, PublicKeyToken=cc7b13ffcd2ddd51"));
    }

    [Fact]
    public void RefusesNamesItDoesNotShip()
    {
        Assert.Null(PathFor("Newtonsoft.Json, Version=13.0.0.0"));
        Assert.Null(PathFor("System.Management.Automation"));
        Assert.Null(PathFor("OpenAIImages"));
    }

    [Fact]
    public void RefusesSatelliteResourceRequests()
    {
        Assert.Null(PathFor("System.Text.Json.resources, Version=8.0.0.0, Culture=de-DE, PublicKeyToken=cc7b13ffcd2ddd51"));
        Assert.Null(PathFor("System.Text.Json, Version=8.0.0.0, Culture=de-DE, PublicKeyToken=cc7b13ffcd2ddd51"));
    }

    [Fact]
    public void MatchesNamesIgnoringCaseAsTheLoaderDoes()
    {
        Assert.Equal(Shipped("Microsoft.Bcl.AsyncInterfaces.dll"), PathFor("microsoft.bcl.asyncinterfaces"));
    }

    /// <summary>
    /// Every reference from one shipped assembly to another is answered: what .NET Framework cannot resolve by itself
    /// when versions differ (System.Memory asks for System.Runtime.CompilerServices.Unsafe 4.0.4.1; we ship 6.0.0.0).
    /// </summary>
    [Fact]
    public void AnswersEveryReferenceOurDependenciesMakeToEachOther()
    {
        var dependencies = Dependencies;
        var shipped = dependencies.Files.Select(f => f.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var unanswered = new List<string>();
        int answered = 0;
        foreach (DependencyFile file in dependencies.Files)
        {
            foreach (AssemblyName reference in ReferencesOf(file.Path).Where(r => shipped.Contains(r.Name!)))
            {
                if (dependencies.FindFor(reference) == null) unanswered.Add($"{file.Name} -> {reference.FullName}");
                else answered++;
            }
        }
        Assert.Empty(unanswered);
        Assert.True(answered > 10, $"Only {answered} references between shipped assemblies were found.");
    }

    [Fact]
    public void IndexesByTheNameInsideEachFileAndSkipsFilesThatAreNotAssemblies()
    {
        string folder = Path.Combine(Path.GetTempPath(), "OpenAIImages.Tests.Dependencies-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            File.Copy(Module.EnginePath, Path.Combine(folder, "Renamed.dll"));
            File.WriteAllBytes(Path.Combine(folder, "native.dll"), new byte[] { 0x7F, (byte)'E', (byte)'L', (byte)'F', 0, 0, 0, 0 });
            File.WriteAllText(Path.Combine(folder, "empty.dll"), "");

            var dependencies = new DependencyDirectory(folder);

            Assert.Equal(Path.Combine(folder, "Renamed.dll"), dependencies.FindFor(new AssemblyName("OpenAIImages.Engine"))?.Path);
            Assert.Null(dependencies.FindFor(new AssemblyName("Renamed")));
            Assert.Null(dependencies.FindFor(new AssemblyName("native")));
            Assert.Single(dependencies.Files);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void AMissingFolderAnswersNothing()
    {
        var dependencies = new DependencyDirectory(Path.Combine(Path.GetTempPath(), "OpenAIImages.Tests.Missing-" + Guid.NewGuid().ToString("N")));
        Assert.Null(dependencies.FindFor(new AssemblyName("OpenAIImages.Engine")));
    }

    [Fact]
    public void ServesTheModulesOwnAssembliesAndRequestsWithNoRequester()
    {
        var dependencies = Dependencies;
        Assert.True(dependencies.Serves(Module.CmdletAssemblyPath));
        Assert.True(dependencies.Serves(Module.EnginePath));
        Assert.True(dependencies.Serves(Shipped("System.Memory.dll")));
        Assert.True(dependencies.Serves(null));
    }

    [Fact]
    public void RefusesRequestsFromOtherModulesAndInMemoryAssemblies()
    {
        var dependencies = Dependencies;
        string otherModule = Path.Combine(Path.GetDirectoryName(Module.ModuleDirectory)!, "OtherModule", "Other.dll");
        string sibling = Module.ModuleDirectory + "-1.0", nested = Path.Combine(Module.DependencyDirectory, "sub", "X.dll");
        Assert.False(dependencies.Serves(otherModule));
        Assert.False(dependencies.Serves(Path.Combine(sibling, "OpenAIImages.dll")));
        Assert.False(dependencies.Serves(nested));
        Assert.False(dependencies.Serves(""));
    }

    [Theory]
    [InlineData("4.0.1.2", null, false)]     // .NET does not ship it (Microsoft.Bcl.AsyncInterfaces): ours
    [InlineData("8.0.0.0", "8.0.0.0", false)] // PowerShell 7.4's System.Text.Json: ours, private
    [InlineData("8.0.0.0", "10.0.0.0", true)] // PowerShell 7.6's System.Text.Json: .NET's
    [InlineData("4.0.1.2", "8.0.0.0", true)]  // System.Memory back-port on any .NET 8+: .NET's, so Span<T> is shared
    [InlineData("9.0.0.0", "8.0.0.0", false)] // DiagnosticSource 9 on .NET 8: ours
    public void RuntimeCopyWinsOnlyWhenStrictlyNewer(string ours, string? runtime, bool runtimeWins)
    {
        Assert.Equal(runtimeWins, ModuleLoadContext.RuntimeCopyWins(Version.Parse(ours), runtime == null ? null : Version.Parse(runtime)));
    }

    private static IEnumerable<AssemblyName> ReferencesOf(string path)
    {
        using var stream = File.OpenRead(path);
        using var pe = new PEReader(stream);
        MetadataReader metadata = pe.GetMetadataReader();
        return metadata.AssemblyReferences.Select(handle => metadata.GetAssemblyReference(handle).GetAssemblyName()).ToList();
    }
}
