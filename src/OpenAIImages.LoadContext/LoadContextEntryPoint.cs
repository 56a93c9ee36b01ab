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
        private static ModuleLoadContext? s_context;

        /// <summary>
        /// Creates the private context on the first import and (re)connects it to the default context's Resolving
        /// event. PowerShell calls OnImport again on Import-Module -Force and in every runspace that imports the
        /// module, so this must be safe to repeat; one context serves them all because the cmdlet assembly, and the
        /// engine it bound to, are loaded once per process.
        /// </summary>
        public static void Attach(string dependencyDirectory, string[] sharedWithDefaultContext)
        {
            lock (Gate)
            {
                s_context ??= new ModuleLoadContext(dependencyDirectory, sharedWithDefaultContext);
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

        private static Assembly? OnDefaultResolving(AssemblyLoadContext context, AssemblyName name) => s_context?.ResolveForDefaultContext(name);
    }
}
