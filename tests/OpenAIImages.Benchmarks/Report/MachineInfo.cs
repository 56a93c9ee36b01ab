using System.Runtime.InteropServices;

namespace OpenAIImages.Benchmarks.Report;

/// <summary>The machine a run measured: figures mean little without it, least of all on shared cores.</summary>
public sealed record MachineInfo(string Cpu, int Cores, string Os, string Runtime, string Memory, string LoadAverage)
{
    public static MachineInfo Current() => new(
        CpuModel(),
        Environment.ProcessorCount,
        OsName(),
        RuntimeInformation.FrameworkDescription + " " + RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant(),
        TotalMemory(),
        ReadLoadAverage());

    public override string ToString() =>
        $"{Cpu}, {Cores} cores, {Memory}; {Os}; {Runtime}; load average at start {LoadAverage}";

    private static string CpuModel()
    {
        var line = ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
        return line == null ? RuntimeInformation.ProcessArchitecture.ToString() : line[(line.IndexOf(':') + 1)..].Trim();
    }

    private static string OsName()
    {
        var pretty = ReadLines("/etc/os-release").FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal));
        string name = pretty == null ? RuntimeInformation.OSDescription : pretty["PRETTY_NAME=".Length..].Trim('"');
        return pretty == null ? name : $"{name} (kernel {Environment.OSVersion.Version})";
    }

    private static string TotalMemory()
    {
        var line = ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
        if (line == null) return "memory unknown";
        long kib = long.Parse(new string(line.Where(char.IsDigit).ToArray()));
        return $"{kib / 1024.0 / 1024.0:0.0} GiB RAM";
    }

    private static string ReadLoadAverage()
    {
        var line = ReadLines("/proc/loadavg").FirstOrDefault();
        return line == null ? "unknown" : string.Join(" ", line.Split(' ').Take(3));
    }

    private static IEnumerable<string> ReadLines(string path)
    {
        try
        {
            return File.ReadAllLines(path);
        }
        catch (IOException)
        {
            return Array.Empty<string>();
        }
        catch (UnauthorizedAccessException)
        {
            return Array.Empty<string>();
        }
    }
}
