using System.Diagnostics;

namespace OpenAIImages.Benchmarks;

/// <summary>Starts this same program with other arguments: the payload server and the cold mask run are child processes.</summary>
public static class SelfLauncher
{
    public static ProcessStartInfo StartInfo(params string[] arguments)
    {
        string host = Environment.ProcessPath ?? "dotnet";
        var start = new ProcessStartInfo(host) { UseShellExecute = false };
        // Under `dotnet OpenAIImages.Benchmarks.dll` the host is dotnet itself and needs the assembly first.
        if (Path.GetFileNameWithoutExtension(host).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
            start.ArgumentList.Add(typeof(SelfLauncher).Assembly.Location);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        return start;
    }
}
