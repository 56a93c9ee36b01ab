namespace OpenAIImages.Benchmarks;

/// <summary>The folder for generated inputs and outputs of one run (payload file, masks), removed at the end.</summary>
public static class Scratch
{
    private static readonly Lazy<string> Folder = new(() =>
        System.IO.Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "OpenAIImages.Benchmarks", Environment.ProcessId.ToString())).FullName);

    public static string Directory => Folder.Value;

    public static void Clean()
    {
        if (Folder.IsValueCreated && System.IO.Directory.Exists(Folder.Value)) System.IO.Directory.Delete(Folder.Value, recursive: true);
    }
}
