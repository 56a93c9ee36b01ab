using System;
using System.Collections.Generic;
using System.Reflection;
using System.Runtime.Loader;

namespace OpenAIImages.Loading
{
    /// <summary>
    /// What the module initializer in OpenAIImages.dll calls, by reflection, on PowerShell 7. The cmdlet assembly is
    /// netstandard2.0 and cannot name AssemblyLoadContext, so these two methods take nothing but strings.
    /// </summary>
    public static class LoadContextEntryPoint
    {
        private static readonly object Gate = new object();
        private static string? s_dependencyDirectory;
        private static HashSet<string>? s_shared;
        private static ModuleLoadContext? s_context;

        /// <summary>
        /// Connects the default context's Resolving event to the private context, which is created at the first
        /// request for one of <paramref name="sharedWithDefaultContext"/>: the first time a cmdlet needs the engine,
        /// not during Import-Module. Indexing the dependencies folder and the runtime's own folder reads some
        /// hundreds of files (about 10 ms of the import on 2026-12-06), which an import that runs no cmdlet never
        /// needs. PowerShell calls OnImport again on Import-Module -Force and in every runspace that imports the
        /// module, so this must be safe to repeat; one context serves them all because the cmdlet assembly, and the
        /// engine it bound to, are loaded once per process.
        /// </summary>
        public static void Attach(string dependencyDirectory, string[] sharedWithDefaultContext)
        {
            lock (Gate)
            {
                if (s_context == null)
                {
                    s_dependencyDirectory = dependencyDirectory;
                    s_shared = new HashSet<string>(sharedWithDefaultContext, StringComparer.OrdinalIgnoreCase);
                }
                AssemblyLoadContext.Default.Resolving -= OnDefaultResolving;
                AssemblyLoadContext.Default.Resolving += OnDefaultResolving;
            }
        }

        /// <summary>
        /// Stops answering the default context (Remove-Module). The private context stays: nothing loaded in a
        /// non-collectible context can be unloaded, and the cmdlet assembly remains bound to its engine.
        /// </summary>
        public static void Detach()
        {
            lock (Gate)
            {
                AssemblyLoadContext.Default.Resolving -= OnDefaultResolving;
            }
        }

        // Raised for every name the default context cannot find, other modules' too: only our own names create the
        // context, so another module's failed lookup costs a set lookup.
        private static Assembly? OnDefaultResolving(AssemblyLoadContext context, AssemblyName name)
        {
            ModuleLoadContext? privateContext;
            lock (Gate)
            {
                if (s_context == null)
                {
                    if (name.Name == null || s_shared == null || s_dependencyDirectory == null || !s_shared.Contains(name.Name)) return null;
                    s_context = new ModuleLoadContext(s_dependencyDirectory, s_shared);
                }
                privateContext = s_context;
            }
            return privateContext.ResolveForDefaultContext(name);
        }
    }
}
