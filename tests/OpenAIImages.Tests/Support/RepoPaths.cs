namespace OpenAIImages.Tests.Support;

/// <summary>Finds the checkout (the folder with OpenAIImages.sln) and the read-only shared folder beside it.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Shared => Path.GetFullPath(Path.Combine(Root, "..", "shared"));

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "OpenAIImages.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("OpenAIImages.sln was not found above " + AppContext.BaseDirectory);
    }
}
