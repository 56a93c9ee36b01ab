using System.Collections;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using OpenAIImages.Loading;

namespace OpenAIImages.Tests.Loading;

/// <summary>
/// OpenAIImages.Engine loaded from the module's dependencies folder into a fresh <see cref="ModuleLoadContext"/>,
/// the way the cmdlet assembly receives it on PowerShell 7. Its types are not this test's engine types (those live
/// in the default context), so everything here goes through reflection.
/// </summary>
internal sealed class PrivateEngine
{
    public const string EngineName = "OpenAIImages.Engine";

    private const BindingFlags AnyStatic = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static;

    public PrivateEngine(ModuleLoadContext context)
    {
        Context = context;
        Assembly = context.ResolveForDefaultContext(new AssemblyName(EngineName))
            ?? throw new InvalidOperationException("The load context did not hand out the engine.");
    }

    /// <summary>The engine in a context that compares our files with this test process's .NET.</summary>
    public static PrivateEngine Load() => new(new ModuleLoadContext(ModuleUnderTest.Instance.DependencyDirectory, CmdletAssemblyReferences()));

    /// <summary>The engine in a context that compares our files with another runtime, e.g. PowerShell 7.4's .NET 8.</summary>
    public static PrivateEngine Load(Func<string, Version?> runtimeVersionOf) => new(new ModuleLoadContext(
        new DependencyDirectory(ModuleUnderTest.Instance.DependencyDirectory), CmdletAssemblyReferences(), runtimeVersionOf));

    public ModuleLoadContext Context { get; }
    public Assembly Assembly { get; }

    /// <summary>What the module initializer passes as the names the default context may take: the cmdlet assembly's references.</summary>
    public static string[] CmdletAssemblyReferences()
    {
        using var stream = File.OpenRead(ModuleUnderTest.Instance.CmdletAssemblyPath);
        using var pe = new PEReader(stream);
        MetadataReader metadata = pe.GetMetadataReader();
        return metadata.AssemblyReferences.Select(handle => metadata.GetString(metadata.GetAssemblyReference(handle).Name)).ToArray();
    }

    /// <summary>
    /// The assembly the engine's reference to <paramref name="name"/> binds to: the runtime resolves an assembly's
    /// references in that assembly's own load context, which is exactly this call.
    /// </summary>
    public Assembly SeenByEngine(string name) =>
        Context.LoadFromAssemblyName(Assembly.GetReferencedAssemblies().Single(reference => reference.Name == name));

    public Type Type(string fullName) => Assembly.GetType(fullName, throwOnError: true)!;

    public object? Call(string type, string method, params object?[] arguments) =>
        Type(type).GetMethod(method, AnyStatic)!.Invoke(null, arguments);

    /// <summary>A static method as a delegate: the only way to pass a ReadOnlySpan, which reflection cannot box.</summary>
    public TDelegate Delegate<TDelegate>(string type, string method) where TDelegate : Delegate
    {
        // Overloads are told apart by the delegate's own parameter list.
        var parameters = typeof(TDelegate).GetMethod("Invoke")!.GetParameters().Select(p => p.ParameterType).ToArray();
        return Type(type).GetMethod(method, AnyStatic, binder: null, parameters, modifiers: null)!.CreateDelegate<TDelegate>();
    }

    public static object? Get(object target, string property) => target.GetType().GetProperty(property)!.GetValue(target);

    public static void Set(object target, string property, object? value) => target.GetType().GetProperty(property)!.SetValue(target, value);

    /// <summary>POST images/generations through OpenAIImageClient, as New-OpenAIImage does, and the images it returns.</summary>
    public async Task<IReadOnlyList<object>> GenerateAsync(Uri baseUri, string model, string prompt)
    {
        Type kindType = Type("OpenAIImages.Engine.Http.CredentialKind");
        object credential = Call("OpenAIImages.Engine.Http.ApiCredential", "FromString", "test-key", Enum.Parse(kindType, "BearerApiKey"))!;
        object connection = Activator.CreateInstance(Type("OpenAIImages.Engine.Http.OpenAIConnection"), baseUri, credential)!;
        object client = Activator.CreateInstance(Type("OpenAIImages.Engine.OpenAIImageClient"), connection)!;
        object request = Activator.CreateInstance(Type("OpenAIImages.Engine.Requests.ImageGenerationRequest"))!;
        Set(request, "Model", model);
        Set(request, "Prompt", prompt);

        object prepared = Type("OpenAIImages.Engine.Validation.ImageRequestValidator").GetMethod("Prepare", new[] { request.GetType() })!.Invoke(null, new[] { request })!;
        var pending = (Task)client.GetType().GetMethod("GenerateAsync")!.Invoke(client, new object?[] { prepared, null, CancellationToken.None, null })!;
        await pending.WaitAsync(TimeSpan.FromSeconds(30));
        var images = (IEnumerable)pending.GetType().GetProperty("Result")!.GetValue(pending)!;
        return images.Cast<object>().ToList();
    }
}
