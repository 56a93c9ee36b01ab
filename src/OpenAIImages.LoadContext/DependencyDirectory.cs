using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection;

namespace OpenAIImages.Loading
{
    /// <summary>
    /// The module's <c>dependencies</c> folder, and the one rule both PowerShell editions share for it: which file
    /// answers a request for an assembly. This file is compiled into OpenAIImages.LoadContext (PowerShell 7) and into
    /// OpenAIImages (Windows PowerShell), so it must stay free of PowerShell and of AssemblyLoadContext.
    /// </summary>
    internal sealed class DependencyDirectory
    {
        public const string FolderName = "dependencies";

        private readonly Dictionary<string, DependencyFile> _files;
        private readonly string _moduleRoot;

        public DependencyDirectory(string path)
        {
            Path = TrimSeparators(System.IO.Path.GetFullPath(path));
            _moduleRoot = System.IO.Path.GetDirectoryName(Path) ?? Path;
            _files = Index(Path);
        }

        public string Path { get; }

        public IEnumerable<DependencyFile> Files => _files.Values;

        /// <summary>
        /// The file that can stand in for <paramref name="requested"/>, or null. A file with the same simple name
        /// answers any version up to its own: NuGet chose the highest version any package asked for, and the
        /// packages we ship reference lower ones (System.Memory asks for System.Runtime.CompilerServices.Unsafe
        /// 4.0.4.1, we ship 6.0.0.0). Windows PowerShell has no binding redirects for a module, so this rule is them.
        /// </summary>
        public DependencyFile? FindFor(AssemblyName requested)
        {
            if (requested.Name == null) return null;
            // We ship no satellite resource assemblies; answering one with a code assembly would be wrong.
            if (!string.IsNullOrEmpty(requested.CultureName)) return null;
            if (!_files.TryGetValue(requested.Name, out var file)) return null;
            if (requested.Version != null && file.Version < requested.Version) return null;
            return file;
        }

        /// <summary>
        /// Whether a request made by the assembly at <paramref name="requestingLocation"/> is ours to answer. The
        /// AssemblyResolve event is process-wide: answering another module's requests would hand it our copies and
        /// pre-empt that module's own resolver, so only the module's own assemblies are served, and requests with
        /// no known requester (Assembly.Load by name, which the runtime raises without one).
        /// </summary>
        public bool Serves(string? requestingLocation)
        {
            if (requestingLocation == null) return true;
            if (requestingLocation.Length == 0) return false; // an in-memory assembly: never one of ours
            string? folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(requestingLocation));
            if (folder == null) return false;
            folder = TrimSeparators(folder);
            return SamePath(folder, Path) || SamePath(folder, _moduleRoot);
        }

        private static Dictionary<string, DependencyFile> Index(string path)
        {
            var files = new Dictionary<string, DependencyFile>(StringComparer.OrdinalIgnoreCase);
            if (!Directory.Exists(path)) return files;
            foreach (string file in Directory.GetFiles(path, "*.dll"))
            {
                AssemblyName name;
                try
                {
                    name = AssemblyName.GetAssemblyName(file);
                }
                catch (BadImageFormatException)
                {
                    continue; // a native library, or not a library at all
                }
                catch (FileLoadException)
                {
                    continue;
                }
                // Keyed by the name inside the file, since that is what requests carry.
                if (name.Name != null) files[name.Name] = new DependencyFile(name.Name, name.Version ?? new Version(0, 0, 0, 0), file);
            }
            return files;
        }

        private static string TrimSeparators(string path) =>
            path.Length > 1 ? path.TrimEnd(System.IO.Path.DirectorySeparatorChar, System.IO.Path.AltDirectorySeparatorChar) : path;

        // Windows PowerShell runs on Windows only, where paths ignore case; on Linux and macOS a case-insensitive
        // match could only widen the module's own folder to a sibling differing in case, which nothing creates.
        private static bool SamePath(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>One assembly in the dependencies folder.</summary>
    internal sealed class DependencyFile
    {
        public DependencyFile(string name, Version version, string path)
        {
            Name = name;
            Version = version;
            Path = path;
        }

        public string Name { get; }
        public Version Version { get; }
        public string Path { get; }

        public override string ToString() => $"{Name} {Version} ({Path})";
    }
}
