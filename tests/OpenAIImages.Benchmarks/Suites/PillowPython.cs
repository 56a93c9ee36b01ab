using System.Diagnostics;

namespace OpenAIImages.Benchmarks.Suites;

/// <summary>
/// Finds a Python that can import PIL. The python3 first on PATH may be a private build without it (pyenv), while
/// Debian's python3-pil lives beside /usr/bin/python3, so both are tried.
/// </summary>
public static class PillowPython
{
    private static readonly string[] Candidates = { "python3", "/usr/bin/python3", "python" };

    public static string? Find() => Candidates.FirstOrDefault(CanImportPil);

    private static bool CanImportPil(string python)
    {
        try
        {
            var start = new ProcessStartInfo(python) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add("import PIL.Image");
            using var process = Process.Start(start);
            if (process == null) return false;
            process.StandardOutput.ReadToEnd();
            process.StandardError.ReadToEnd();
            return process.WaitForExit(30_000) && process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
