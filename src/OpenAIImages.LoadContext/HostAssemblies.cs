using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Reflection;

namespace OpenAIImages.Loading
{
    /// <summary>
    /// The assemblies the host process ships (its trusted platform assemblies: .NET itself and, in pwsh, PowerShell's
    /// own files) with their versions: what the default context answers when the private context defers to it. What
    /// other modules loaded into the default context is deliberately not consulted; their copies are what we avoid.
    /// </summary>
    internal sealed class HostAssemblies
    {
        private readonly Dictionary<string, string> _paths;
        private readonly ConcurrentDictionary<string, Version?> _versions = new ConcurrentDictionary<string, Version?>(StringComparer.OrdinalIgnoreCase);

        private HostAssemblies(Dictionary<string, string> paths) => _paths = paths;

        public static HostAssemblies Current { get; } = FromProcess();

        /// <summary>The version the host ships under this simple name, or null when it ships none.</summary>
        public Version? VersionOf(string simpleName) => _versions.GetOrAdd(simpleName, name =>
        {
            if (!_paths.TryGetValue(name, out string? path)) return null;
            try
            {
                return AssemblyName.GetAssemblyName(path).Version;
            }
            catch (Exception e) when (e is IOException || e is BadImageFormatException)
            {
                return null; // unreadable: our own copy is the safe answer
            }
        });

        private static HostAssemblies FromProcess()
        {
            var paths = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            IEnumerable<string> files = AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") is string list
                ? list.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
                // A native host that sets no list: the runtime's own folder is then what the default context knows.
                : Directory.GetFiles(Path.GetDirectoryName(typeof(object).Assembly.Location)!, "*.dll");
            foreach (string file in files)
            {
                // The default context's binder keys platform assemblies by file name, and so do we.
                paths[Path.GetFileNameWithoutExtension(file)] = file;
            }
            return new HostAssemblies(paths);
        }
    }
}
