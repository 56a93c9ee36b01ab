using System.IO;

namespace OpenAIImages.Tests.Imaging;

/// <summary>Finds test data relative to the repository, wherever the test assembly was built to.</summary>
internal static class TestPaths
{
    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary>The PNG conformance suite lives beside the repository, in the shared folder.</summary>
    public static string PngSuite
    {
        get
        {
            string dir = Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared", "testdata", "pngsuite"));
            if (!Directory.Exists(dir) || Directory.GetFiles(dir, "*.png").Length == 0)
                throw new DirectoryNotFoundException(
                    $"The PNG conformance suite was not found at {dir}. It must sit at <repo>/../shared/testdata/pngsuite; these tests cannot pass without it.");
            return dir;
        }
    }

    /// <summary>Committed reference data for the imaging tests.</summary>
    public static string TestData => Path.Combine(RepoRoot, "tests", "OpenAIImages.Tests", "Imaging", "TestData");

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "OpenAIImages.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException($"No OpenAIImages.sln found above {AppContext.BaseDirectory}.");
    }
}
