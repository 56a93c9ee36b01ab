using System.Reflection;
using System.Runtime.InteropServices;
using OpenAIImages.Loading;
using Xunit;

namespace OpenAIImages.Tests.Loading;

/// <summary>
/// The boundary between the cmdlet assembly, which PowerShell loads into its default context, and the assemblies in
/// dependencies/, read from metadata. The Pester suite imports and runs the module in PowerShell 7.6 for real (the
/// layout, the initializer, Import-Module -Force and Remove-Module are checked there); these stay because they hold
/// for every PowerShell the module supports, and Windows PowerShell 5.1 and PowerShell 7.4 do not run here.
/// </summary>
public class ModuleLayoutTests
{
    private const string InitializerInterface = "System.Management.Automation.IModuleAssemblyInitializer";
    private const string CleanupInterface = "System.Management.Automation.IModuleAssemblyCleanup";

    private static ModuleUnderTest Module => ModuleUnderTest.Instance;

    private static HashSet<string> DependencyNames =>
        new DependencyDirectory(Module.DependencyDirectory).Files.Select(f => f.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Dependencies that every supported PowerShell 7 takes from .NET rather than from dependencies/ (the back-ports of
    /// Span, ValueTask and the like), so their types are .NET's own on both sides of the engine's API.
    /// </summary>
    private static HashSet<string> AlwaysTheRuntimes => new DependencyDirectory(Module.DependencyDirectory).Files
        .Where(f => ModuleLoadContext.RuntimeCopyWins(f.Version, RuntimeAssemblies.Current.VersionOf(f.Name))
                    && ModuleLoadContext.RuntimeCopyWins(f.Version, PrivateLoadContextTests.PowerShell74Runtime(f.Name)))
        .Select(f => f.Name)
        .ToHashSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Import-Module loads every public type of the cmdlet assembly before it calls OnImport. Loading a type loads its
    /// base types, interfaces and the types it holds by value, so none of those may come from dependencies/: there is
    /// no resolver yet to find them.
    /// </summary>
    // Kept: Windows PowerShell 5.1 loads these types before OnImport too, and no 5.1 runs here to show a failure.
    [Fact]
    public void PublicTypesNeedNothingFromDependenciesToLoad()
    {
        using var metadata = OpenMetadata();
        Assembly cmdlets = metadata.LoadFromAssemblyPath(Module.CmdletAssemblyPath);
        var dependencies = DependencyNames;
        var problems = new List<string>();
        foreach (Type exported in cmdlets.GetExportedTypes())
        {
            for (Type? type = exported; type != null && type.Assembly == cmdlets; type = type.BaseType)
            {
                if (type.BaseType != null && Mentions(type.BaseType, dependencies)) problems.Add($"{type}: base type {type.BaseType}");
                problems.AddRange(type.GetInterfaces().Where(i => Mentions(i, dependencies)).Select(i => $"{type}: interface {i}"));
                problems.AddRange(type.GetFields(BindingFlags.DeclaredOnly | BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic)
                    .Where(f => f.FieldType.IsValueType && Mentions(f.FieldType, dependencies))
                    .Select(f => $"{type}: field {f.Name} of value type {f.FieldType}"));
            }
        }
        Assert.Empty(problems.Distinct());
    }

    // Kept: the signature rule is for Windows PowerShell 5.1, whose AssemblyResolve handler is not attached yet when
    // the initializer's types load; PowerShell 7.6 in Pester would not show a breach of it.
    [Fact]
    public void ModuleInitializerIsThePublicClassPowerShellLooksFor()
    {
        using var metadata = OpenMetadata();
        Assembly cmdlets = metadata.LoadFromAssemblyPath(Module.CmdletAssemblyPath);

        Type initializer = Assert.Single(cmdlets.GetExportedTypes(),
            t => !t.IsAbstract && t.GetInterfaces().Any(i => i.FullName == InitializerInterface));
        Assert.Contains(initializer.GetInterfaces(), i => i.FullName == CleanupInterface);
        Assert.NotNull(initializer.GetConstructor(Type.EmptyTypes));

        // Its fields and signatures are loaded before OnImport runs; none may name a type from dependencies/.
        var dependencies = DependencyNames;
        const BindingFlags declared = BindingFlags.DeclaredOnly | BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic;
        var signatureTypes = initializer.GetFields(declared).Select(f => f.FieldType)
            .Concat(initializer.GetMethods(declared).SelectMany(m => m.GetParameters().Select(p => p.ParameterType).Append(m.ReturnType)));
        Assert.DoesNotContain(signatureTypes, t => Mentions(t, dependencies));
    }

    /// <summary>
    /// The default context is handed only what the cmdlet assembly references from dependencies/. That must be the
    /// engine and nothing else private: a System.Text.Json or System.Net.ServerSentEvents reference here would bind to a
    /// different copy than the engine's.
    /// </summary>
    // Kept: which copy binds depends on the runtime's versions, and only 7.6's can be seen in Pester here.
    [Fact]
    public void CmdletAssemblyTakesOnlyTheEngineFromDependencies()
    {
        var fromDependencies = PrivateEngine.CmdletAssemblyReferences()
            .Where(DependencyNames.Contains)
            .Except(AlwaysTheRuntimes, StringComparer.OrdinalIgnoreCase);
        Assert.Equal(new[] { "OpenAIImages.Engine" }, fromDependencies);
    }

    /// <summary>
    /// Types in the engine's public API are used by the cmdlet assembly from the default context, so they must be the
    /// same types on both sides: the engine's own, .NET's, or back-ports .NET always supplies. A private dependency's
    /// type there (IAsyncEnumerable from Microsoft.Bcl.AsyncInterfaces, JsonElement, an IHttpClientFactory) would be
    /// a different type for the cmdlets, or not found at all.
    /// </summary>
    // Kept: a private type in the engine's API fails only on the code path that touches it, on some runtimes.
    [Fact]
    public void EngineApiExposesNoPrivateDependencyType()
    {
        using var metadata = OpenMetadata();
        Assembly engine = metadata.LoadFromAssemblyPath(Module.EnginePath);
        var privateOnes = DependencyNames;
        privateOnes.ExceptWith(AlwaysTheRuntimes);
        privateOnes.Remove("OpenAIImages.Engine");

        var problems = new List<string>();
        foreach (Type type in engine.GetExportedTypes())
        {
            var used = new List<Type>();
            if (type.BaseType != null) used.Add(type.BaseType);
            used.AddRange(type.GetInterfaces());
            foreach (MemberInfo member in type.GetMembers(BindingFlags.DeclaredOnly | BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public))
            {
                switch (member)
                {
                    case FieldInfo field: used.Add(field.FieldType); break;
                    case PropertyInfo property: used.Add(property.PropertyType); used.AddRange(property.GetIndexParameters().Select(p => p.ParameterType)); break;
                    case MethodBase method:
                        used.AddRange(method.GetParameters().Select(p => p.ParameterType));
                        if (method is MethodInfo info) used.Add(info.ReturnType);
                        break;
                    case EventInfo @event: used.Add(@event.EventHandlerType!); break;
                }
            }
            problems.AddRange(used.Where(t => Mentions(t, privateOnes)).Select(t => $"{type}: {t}"));
        }
        Assert.Empty(problems.Distinct());
    }

    /// <summary>Whether a type, or any type it is built from (element, generic argument), comes from one of the named assemblies.</summary>
    private static bool Mentions(Type type, ISet<string> assemblyNames)
    {
        if (type.IsGenericParameter) return false;
        if (type.HasElementType) return Mentions(type.GetElementType()!, assemblyNames);
        if (assemblyNames.Contains(type.Assembly.GetName().Name!)) return true;
        return type.IsConstructedGenericType && type.GetGenericArguments().Any(a => Mentions(a, assemblyNames));
    }

    /// <summary>The module's files as metadata, with .NET's and PowerShell's reference assemblies to resolve base types.</summary>
    private static MetadataLoadContext OpenMetadata()
    {
        var paths = Directory.GetFiles(RuntimeEnvironment.GetRuntimeDirectory(), "*.dll")
            .Concat(Directory.GetFiles(Module.ModuleDirectory, "*.dll"))
            .Concat(Directory.GetFiles(Module.DependencyDirectory, "*.dll"))
            .Append(ModuleUnderTest.Metadata("PowerShellReferenceAssembly"));
        return new MetadataLoadContext(new PathAssemblyResolver(paths), typeof(object).Assembly.GetName().Name);
    }
}
