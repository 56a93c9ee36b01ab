using System;
using System.Collections.Generic;
using System.Reflection;
using System.Runtime.Loader;

namespace OpenAIImages.Loading
{
    /// <summary>
    /// The private load context that holds OpenAIImages.Engine and its dependencies on PowerShell 7.
    /// </summary>
    /// <remarks>
    /// <para>
    /// Why a derived context with a <see cref="Load"/> override rather than a plain context fed by Resolving events:
    /// for a plain context the runtime asks the default context before raising any event, and the default context
    /// answers with whatever another module already loaded there (a System.Net.ServerSentEvents 8.0, say). Only an
    /// override runs first, so only an override can keep our versions ours.
    /// </para>
    /// <para>
    /// Why the override still defers some names to .NET: the engine's public API carries
    /// <see cref="ReadOnlySpan{T}"/>, which netstandard2.0 code gets from the System.Memory back-port. If the private
    /// context loaded that back-port, the engine's ReadOnlySpan would be a different type from the cmdlets' (which
    /// bind in the default context to .NET's own), and every such call would fail with MissingMethodException. So
    /// when the runtime ships an assembly at a strictly higher version than our file (System.Memory 8.0 against our
    /// 4.0.1.2), the runtime's copy is used, as .NET applications settle package-versus-platform conflicts. Only the
    /// runtime's own files count (see <see cref="RuntimeAssemblies"/>), never what other modules loaded.
    /// At an equal version our file wins: PowerShell 7.4's System.Text.Json 8.0.0.0 may be an older servicing
    /// release than the one we ship, and staying private costs nothing because no JSON type crosses the engine's API.
    /// </para>
    /// <para>
    /// Why System.Net.ServerSentEvents is always ours: the engine calls its <c>EnumerateAsync</c>, whose signature
    /// carries IAsyncEnumerable. netstandard2.0 code takes that type from Microsoft.Bcl.AsyncInterfaces, which .NET's
    /// own folder does not ship, so our copy of it loads here; .NET 9's and later's SseParser is built on .NET's own
    /// IAsyncEnumerable instead, and the engine's call would not find its method. Our SseParser, built against the
    /// same Microsoft.Bcl.AsyncInterfaces as the engine, always matches. Nothing of it crosses the engine's API.
    /// </para>
    /// </remarks>
    public sealed class ModuleLoadContext : AssemblyLoadContext
    {
        private static readonly HashSet<string> AlwaysPrivate = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "System.Net.ServerSentEvents" };

        private readonly DependencyDirectory _dependencies;
        private readonly Func<string, Version?> _runtimeVersionOf;
        private readonly HashSet<string> _sharedWithDefaultContext;

        /// <param name="dependencyDirectory">The module's dependencies folder.</param>
        /// <param name="sharedWithDefaultContext">
        /// Names the default context may take from this one: the module's own assemblies that the cmdlet assembly
        /// references (OpenAIImages.Engine). Nothing else is handed out, so other modules never receive our copies.
        /// </param>
        public ModuleLoadContext(string dependencyDirectory, IEnumerable<string> sharedWithDefaultContext)
            : this(new DependencyDirectory(dependencyDirectory), sharedWithDefaultContext, RuntimeAssemblies.Current.VersionOf)
        {
        }

        // runtimeVersionOf says what .NET ships under a name; tests stand in other runtimes (PowerShell 7.4's) with it.
        internal ModuleLoadContext(DependencyDirectory dependencies, IEnumerable<string> sharedWithDefaultContext, Func<string, Version?> runtimeVersionOf)
            : base("OpenAIImages", isCollectible: false)
        {
            _dependencies = dependencies;
            _runtimeVersionOf = runtimeVersionOf;
            _sharedWithDefaultContext = new HashSet<string>(sharedWithDefaultContext, StringComparer.OrdinalIgnoreCase);
        }

        public string DependencyDirectory => _dependencies.Path;

        /// <summary>
        /// The default context's Resolving handler: hands the cmdlet assembly its engine from this context. Returns
        /// null for every other name, and for a version newer than the one we ship.
        /// </summary>
        public Assembly? ResolveForDefaultContext(AssemblyName requested)
        {
            if (requested.Name == null || !_sharedWithDefaultContext.Contains(requested.Name)) return null;
            // Checked first so that a request we cannot answer never falls through this context's own chain.
            if (FileFor(requested) == null) return null;
            return LoadFromAssemblyName(requested);
        }

        protected override Assembly? Load(AssemblyName assemblyName)
        {
            DependencyFile? file = FileFor(assemblyName);
            // Null hands the request to the default context: .NET itself (netstandard, System.Runtime), and the names
            // the runtime ships at a higher version.
            return file == null ? null : LoadFromAssemblyPath(file.Path);
        }

        private DependencyFile? FileFor(AssemblyName requested)
        {
            DependencyFile? file = _dependencies.FindFor(requested);
            if (file == null) return null;
            if (AlwaysPrivate.Contains(file.Name)) return file;
            return RuntimeCopyWins(file.Version, _runtimeVersionOf(file.Name)) ? null : file;
        }

        /// <summary>The runtime's copy replaces ours only when it is strictly newer; see the remarks on this class.</summary>
        internal static bool RuntimeCopyWins(Version ours, Version? runtime) => runtime != null && runtime > ours;
    }
}
