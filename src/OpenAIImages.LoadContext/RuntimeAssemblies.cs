using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Reflection;

namespace OpenAIImages.Loading
{
    /// <summary>
    /// The assemblies .NET itself ships in the running process, with their versions: the folder of its core library.
    /// That is Microsoft.NETCore.App for a framework-dependent host, and $PSHOME for pwsh, which carries its runtime
    /// (and PowerShell's own files) with it. What other modules or the host application added to the default context
    /// is deliberately not consulted: those are the copies the private context exists to avoid.
    /// </summary>
    internal sealed class RuntimeAssemblies
    {
        private readonly Dictionary<string, string> _paths;
        private readonly ConcurrentDictionary<string, Version?> _versions = new ConcurrentDictionary<string, Version?>(StringComparer.OrdinalIgnoreCase);

        private RuntimeAssemblies(Dictionary<string, string> paths) => _paths = paths;

        public static RuntimeAssemblies Current { get; } = FromProcess();

        /// <summary>The version the runtime ships under this simple name, or null when it ships none.</summary>
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

        private static RuntimeAssemblies FromProcess()
        {
            string coreLibrary = typeof(object).Assembly.Location;
            IEnumerable<string> files = coreLibrary.Length > 0
                ? Directory.GetFiles(Path.GetDirectoryName(coreLibrary)!, "*.dll")
                // A single-file host has no folder to look in; its trusted platform assemblies are the runtime's.
                : (AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
            var paths = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (string file in files)
            {
                // The default context's binder keys platform assemblies by file name, and so do we.
                paths[Path.GetFileNameWithoutExtension(file)] = file;
            }
            return new RuntimeAssemblies(paths);
        }
    }
}
