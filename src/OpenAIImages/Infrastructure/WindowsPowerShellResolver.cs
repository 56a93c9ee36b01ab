using System;
using System.IO;
using System.Reflection;
using OpenAIImages.Loading;

namespace OpenAIImages.Infrastructure
{
    /// <summary>
    /// Windows PowerShell 5.1's half of dependency isolation: an AppDomain.AssemblyResolve handler over the
    /// dependencies folder.
    /// </summary>
    /// <remarks>
    /// .NET Framework loads strong-named assemblies of different versions side by side, so another module's
    /// System.Text.Json 6.0 and our 8.0 coexist without any help. What it cannot do alone is find our files:
    /// it probes the folder of the assembly that makes a request, which finds most of the dependencies once the
    /// engine is loaded from that folder, but not the engine itself (the cmdlet assembly sits one folder up), and
    /// not a file whose version differs from the reference (System.Memory asks for System.Runtime.CompilerServices.Unsafe
    /// 4.0.4.1, we ship 6.0.0.0; a module gets no binding redirects). Binding then fails and raises this event.
    /// </remarks>
    internal static class WindowsPowerShellResolver
    {
        private static readonly object Gate = new object();
        private static DependencyDirectory? s_dependencies;

        public static void Attach(string dependencyFolder)
        {
            lock (Gate)
            {
                s_dependencies ??= new DependencyDirectory(dependencyFolder);
                // OnImport runs again on Import-Module -Force and in each runspace: one subscription only.
                AppDomain.CurrentDomain.AssemblyResolve -= OnAssemblyResolve;
                AppDomain.CurrentDomain.AssemblyResolve += OnAssemblyResolve;
            }
        }

        public static void Detach()
        {
            lock (Gate)
            {
                AppDomain.CurrentDomain.AssemblyResolve -= OnAssemblyResolve;
            }
        }

        private static Assembly? OnAssemblyResolve(object? sender, ResolveEventArgs args)
        {
            DependencyDirectory? dependencies = s_dependencies;
            if (dependencies == null) return null;

            Assembly? requester = args.RequestingAssembly;
            string? location = requester == null ? null : requester.IsDynamic ? "" : requester.Location;
            if (!dependencies.Serves(location)) return null;

            DependencyFile? file;
            try
            {
                file = dependencies.FindFor(new AssemblyName(args.Name));
            }
            catch (Exception e) when (e is ArgumentException || e is FileLoadException)
            {
                return null; // a malformed display name is not a request we can answer
            }
            // LoadFrom, as Windows PowerShell loads modules: the file's own references then probe its folder too.
            return file == null ? null : Assembly.LoadFrom(file.Path);
        }
    }
}
