using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Reflection;
using System.Runtime.ExceptionServices;
using OpenAIImages.Loading;

namespace OpenAIImages.Infrastructure
{
    /// <summary>
    /// Connects the module to its <c>dependencies</c> folder on import, so that the engine and its third-party
    /// assemblies load from there and nowhere else, beside modules that carry other versions of them.
    /// </summary>
    /// <remarks>
    /// <para>
    /// Why OnImport is early enough: Import-Module loads this assembly's public types (Assembly.ExportedTypes), then
    /// calls OnImport, and only afterwards reads the cmdlet attributes (OutputType names engine types), builds
    /// parameter metadata and runs cmdlets. Loading a type needs its base types, interfaces and value-type fields and
    /// nothing more, so no public type here may derive from, implement or hold by value an engine type; a test
    /// checks that. For the same reason this class never mentions an engine type: a method is compiled, and the
    /// types it names are loaded, before its first line runs.
    /// </para>
    /// <para>
    /// PowerShell 7 (.NET 8 or later): the engine goes into a private AssemblyLoadContext that resolves the engine's
    /// own references from the dependencies folder before anything else, so a different System.Text.Json or
    /// System.Net.ServerSentEvents already loaded by another module is never used. That context lives in
    /// OpenAIImages.LoadContext.dll (net8.0) because this assembly is netstandard2.0, where AssemblyLoadContext cannot
    /// be derived from; it is loaded and called by reflection. The price: PowerShell 7 resolves type names written in
    /// scripts only among default-context assemblies, so <c>[OpenAIImages.Engine.Results.GeneratedImage]</c> does not
    /// resolve there; output objects still carry that name in PSTypeNames, which formatting and scripts can match on.
    /// </para>
    /// <para>
    /// Why the cmdlet assembly itself stays in the default context, and with it the rule above, rather than loading
    /// into the private context behind a small loader module as PowerShell-OpenAuthenticode does: the rule is
    /// load-bearing (a cmdlet given an ImageSize property fails Import-Module on PowerShell 7.6 with
    /// FileNotFoundException for OpenAIImages.Engine, tried on 2026-12-06), but what it costs is small: -Size stays a
    /// string, which is also what lets an empty CSV cell mean the default, and ConvertTo-AlphaMask has its own
    /// two-member MaskResamplingMode. A loader would move the help file, format and type data and the module's
    /// identity onto a nested assembly, and its Windows PowerShell 5.1 path could not be run here to be shown working.
    /// Revisit when a parameter needs an engine type that a string or a module-side enum cannot stand in for.
    /// </para>
    /// <para>
    /// Windows PowerShell 5.1 (.NET Framework): there is no load context to isolate in, and none is needed, because
    /// strong-named assemblies of different versions load side by side. There an AssemblyResolve handler answers
    /// what .NET Framework's probing cannot find: see <see cref="WindowsPowerShellResolver"/>.
    /// </para>
    /// </remarks>
    public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
    {
        private const string LoadContextFile = "OpenAIImages.LoadContext.dll";
        private const string EntryPointTypeName = "OpenAIImages.Loading.LoadContextEntryPoint";

        // The oldest PowerShell 7 still supported (7.4) runs on .NET 8, and OpenAIImages.LoadContext targets it.
        private const int MinimumDotNetMajor = 8;

        private static readonly Assembly Self = typeof(ModuleInitializer).Assembly;

        private static readonly string DependencyFolder =
            Path.Combine(Path.GetDirectoryName(Self.Location) ?? ".", DependencyDirectory.FolderName);

        // On .NET Framework this type does not exist; on .NET 5 and later it lives in the core library.
        private static readonly bool IsDotNetCore =
            typeof(object).Assembly.GetType("System.Runtime.Loader.AssemblyLoadContext") != null;

        // The entry point's Detach, kept once Attach has run: Remove-Module detaches what was attached without going
        // back to the module folder, whose files may be gone by then (uninstalled or rebuilt while the module was loaded).
        private static MethodInfo? s_detach;

        public void OnImport()
        {
            if (!IsDotNetCore)
            {
                WindowsPowerShellResolver.Attach(DependencyFolder);
                return;
            }
            if (Environment.Version.Major < MinimumDotNetMajor)
            {
                throw new PlatformNotSupportedException(
                    $"OpenAIImages needs PowerShell 7.4 or later, or Windows PowerShell 5.1. This PowerShell runs on .NET {Environment.Version}.");
            }
            Type entryPoint = LoadEntryPoint();
            MethodInfo detach = EntryPointMethod(entryPoint, "Detach");
            Invoke(EntryPointMethod(entryPoint, "Attach"), DependencyFolder, ReferencedAssemblyNames());
            s_detach = detach;
        }

        public void OnRemove(PSModuleInfo psModuleInfo)
        {
            if (!IsDotNetCore) WindowsPowerShellResolver.Detach();
            else if (s_detach != null) Invoke(s_detach);
        }

        // Every name this assembly references; the load context hands the default context only those it holds
        // itself (OpenAIImages.Engine), so framework and PowerShell names in the list are harmless.
        private static string[] ReferencedAssemblyNames() =>
            Self.GetReferencedAssemblies().Select(name => name.Name).Where(name => !string.IsNullOrEmpty(name)).ToArray();

        private static Type LoadEntryPoint()
        {
            string path = Path.Combine(DependencyFolder, LoadContextFile);
            if (!File.Exists(path))
                throw new FileNotFoundException($"OpenAIImages is incomplete: {path} is missing. Reinstall the module.", path);

            // Into the default context, beside this assembly: the entry point hooks the default context's events.
            return Assembly.LoadFrom(path).GetType(EntryPointTypeName, throwOnError: true)!;
        }

        private static MethodInfo EntryPointMethod(Type entryPoint, string method) =>
            entryPoint.GetMethod(method, BindingFlags.Public | BindingFlags.Static)
            ?? throw new MissingMethodException(EntryPointTypeName, method);

        private static void Invoke(MethodInfo target, params object[] arguments)
        {
            try
            {
                target.Invoke(null, arguments);
            }
            catch (TargetInvocationException e) when (e.InnerException != null)
            {
                ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            }
        }
    }
}
