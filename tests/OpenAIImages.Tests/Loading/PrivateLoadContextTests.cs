using System.Collections;
using System.Reflection;
using System.Runtime.Loader;
using System.Text;
using OpenAIImages.Loading;
using Xunit;

namespace OpenAIImages.Tests.Loading;

internal delegate byte[] EncodeRgba(int width, int height, ReadOnlySpan<byte> rgba);

internal delegate object? TryReadImage(ReadOnlySpan<byte> data);

/// <summary>
/// The PowerShell 7 path: the engine and its dependencies load from the module's dependencies folder into the
/// module's own load context, next to a default context that already holds other copies of the same assemblies
/// (this test process's own engine, Microsoft.Bcl.AsyncInterfaces and .NET 10's System.Text.Json), and work there.
/// </summary>
public class PrivateLoadContextTests
{
    private static ModuleUnderTest Module => ModuleUnderTest.Instance;

    /// <summary>
    /// The runtime as PowerShell 7.4 presents it to our dependencies: .NET 8's System.Text.Json, System.Text.Encodings.Web
    /// and System.Diagnostics.DiagnosticSource at 8.0.0.0, no Microsoft.* packages, and the back-ports
    /// (System.Memory and the like) far above the netstandard2.0 versions we ship, as on any .NET since 5.
    /// </summary>
    internal static Version? PowerShell74Runtime(string name) => name switch
    {
        "System.Text.Json" or "System.Text.Encodings.Web" or "System.Diagnostics.DiagnosticSource" => new Version(8, 0, 0, 0),
        _ when name.StartsWith("Microsoft.", StringComparison.Ordinal) => null,
        _ => RuntimeAssemblies.Current.VersionOf(name),
    };

    private static PrivateEngine LoadFor(string runtime) => runtime switch
    {
        "this runtime" => PrivateEngine.Load(),
        "PowerShell 7.4" => PrivateEngine.Load(PowerShell74Runtime),
        _ => throw new ArgumentOutOfRangeException(nameof(runtime), runtime, null),
    };

    [Fact]
    public void EngineLoadsFromDependenciesIntoThePrivateContext()
    {
        var engine = PrivateEngine.Load();

        Assert.Same(engine.Context, AssemblyLoadContext.GetLoadContext(engine.Assembly));
        Assert.NotSame(AssemblyLoadContext.Default, engine.Context);
        Assert.Equal(Module.EnginePath, engine.Assembly.Location);
        // This process already has an OpenAIImages.Engine of the same version in the default context; it is not reused.
        Assert.NotSame(typeof(OpenAIImages.Engine.Models.ModelCatalog).Assembly, engine.Assembly);
    }

    [Fact]
    public void PackageAssembliesStayPrivateBesideTheDefaultContextsCopies()
    {
        // Another module's copy, as far as the engine is concerned: this test project's own Microsoft.Bcl.AsyncInterfaces,
        // a package .NET does not ship, so ours is always the one the engine gets.
        Assembly defaultCopy = AssemblyLoadContext.Default.LoadFromAssemblyName(new AssemblyName("Microsoft.Bcl.AsyncInterfaces"));
        Assert.Same(AssemblyLoadContext.Default, AssemblyLoadContext.GetLoadContext(defaultCopy));

        var engine = PrivateEngine.Load();
        // The engine's one HTTP pipeline, made in the private context.
        object systemProxy = engine.Type("OpenAIImages.Engine.Http.ProxySettings").GetField("System")!.GetValue(null)!;
        var client = (HttpClient)engine.Call("OpenAIImages.Engine.Http.HttpClientProvider", "Get", systemProxy)!;
        Assert.NotNull(client);

        foreach (string name in new[] { "Microsoft.Bcl.AsyncInterfaces", "System.Net.ServerSentEvents" })
        {
            Assembly seen = engine.SeenByEngine(name);
            Assert.Same(engine.Context, AssemblyLoadContext.GetLoadContext(seen));
            Assert.Equal(Path.Combine(Module.DependencyDirectory, name + ".dll"), seen.Location);
        }
        Assert.NotSame(defaultCopy, engine.SeenByEngine("Microsoft.Bcl.AsyncInterfaces"));
    }

    [Fact]
    public void SystemTextJsonStaysPrivateWhereTheRuntimeShipsTheSameVersion()
    {
        // .NET 10's System.Text.Json, loaded in the default context: what a PowerShell session already has.
        Assembly defaultCopy = typeof(System.Text.Json.JsonSerializer).Assembly;
        var engine = PrivateEngine.Load(PowerShell74Runtime);

        Assembly seen = engine.SeenByEngine("System.Text.Json");
        Assert.Same(engine.Context, AssemblyLoadContext.GetLoadContext(seen));
        Assert.Equal(Path.Combine(Module.DependencyDirectory, "System.Text.Json.dll"), seen.Location);
        Assert.NotSame(defaultCopy, seen);
        Assert.NotEqual(defaultCopy.GetName().Version, seen.GetName().Version);
        // And the serializer the engine generated at build time runs on that private copy.
        Assert.Same(seen, engine.Type("OpenAIImages.Engine.Json.EngineJsonContext").BaseType!.Assembly);
        Assert.Equal("""{prompt: "a fox", n: 2}""", DescribeJson(engine, """{"prompt":"a fox","n":2}"""));
    }

    [Fact]
    public void SystemTextJsonComesFromTheRuntimeWhenTheRuntimeShipsANewerOne()
    {
        var engine = PrivateEngine.Load();

        Assert.Same(typeof(System.Text.Json.JsonSerializer).Assembly, engine.SeenByEngine("System.Text.Json"));
        Assert.DoesNotContain(engine.Context.Assemblies, a => a.GetName().Name == "System.Text.Json");
    }

    [Theory]
    [InlineData("this runtime")]
    [InlineData("PowerShell 7.4")]
    public void BackPortsResolveToTheRuntimesOwnTypes(string runtime)
    {
        var engine = LoadFor(runtime);

        // ReadOnlySpan<byte> in the engine's API is .NET's own, so code in the default context can call it.
        Type parameter = engine.Type("OpenAIImages.Engine.Imaging.PngEncoder").GetMethod("EncodeRgba", new[] { typeof(int), typeof(int), typeof(ReadOnlySpan<byte>) })!.GetParameters()[2].ParameterType;
        Assert.Equal(typeof(ReadOnlySpan<byte>), parameter);
        foreach (string backPort in new[] { "System.Memory", "System.Buffers", "System.Runtime.CompilerServices.Unsafe", "System.Threading.Tasks.Extensions" })
        {
            Assert.DoesNotContain(engine.Context.Assemblies, a => a.GetName().Name == backPort);
        }
        Assert.Same(AssemblyLoadContext.Default, AssemblyLoadContext.GetLoadContext(engine.SeenByEngine("System.Memory")));
    }

    [Fact]
    public void EngineWorksInThePrivateContext()
    {
        var engine = PrivateEngine.Load();

        object model = engine.Call("OpenAIImages.Engine.Models.ModelCatalog", "Find", "gpt-image-2")!;
        Assert.Equal("gpt-image-2", PrivateEngine.Get(model, "Name"));

        byte[] png = engine.Delegate<EncodeRgba>("OpenAIImages.Engine.Imaging.PngEncoder", "EncodeRgba")(3, 2, new byte[3 * 2 * 4]);
        object info = engine.Delegate<TryReadImage>("OpenAIImages.Engine.Imaging.ImageInfo", "TryRead")(png)!;
        Assert.Equal(3, PrivateEngine.Get(info, "Width"));
        Assert.Equal(2, PrivateEngine.Get(info, "Height"));
        Assert.Equal(true, PrivateEngine.Get(info, "HasAlpha"));

        Assert.Equal("""{prompt: "a fox", n: 2}""", DescribeJson(engine, """{"prompt":"a fox","n":2}"""));
    }

    [Theory]
    [InlineData("this runtime")]
    [InlineData("PowerShell 7.4")]
    public async Task EngineGeneratesAnImageThroughItsHttpPipelineInThePrivateContext(string runtime)
    {
        var engine = LoadFor(runtime);
        byte[] png = engine.Delegate<EncodeRgba>("OpenAIImages.Engine.Imaging.PngEncoder", "EncodeRgba")(4, 4, new byte[4 * 4 * 4]);
        using var server = new LoopbackJsonServer(
            $$"""{"created":1767225600,"data":[{"b64_json":"{{Convert.ToBase64String(png)}}","revised_prompt":"a small clear square"}]}""");

        IReadOnlyList<object> images = await engine.GenerateAsync(server.BaseUri, "gpt-image-2", "a small square");

        object image = Assert.Single(images);
        Assert.Same(engine.Assembly, image.GetType().Assembly);
        Assert.Equal(png, (byte[]?)PrivateEngine.Get(image, "Bytes"));
        Assert.Equal(4, PrivateEngine.Get(image, "Width"));
        Assert.Equal("a small clear square", PrivateEngine.Get(image, "RevisedPrompt"));
        // The body was written by the engine's source-generated serializer, on whichever System.Text.Json it bound.
        string body = Assert.Single(server.RequestBodies);
        Assert.Contains("\"model\":\"gpt-image-2\"", body);
        Assert.Contains("\"prompt\":\"a small square\"", body);
    }

    [Theory]
    [InlineData("this runtime")]
    [InlineData("PowerShell 7.4")]
    public async Task EngineReadsAnEventStreamWithItsOwnSseParser(string runtime)
    {
        // .NET 10 ships a newer System.Net.ServerSentEvents, built on .NET's own IAsyncEnumerable; the engine's call
        // into the parser only binds to the copy built on the same Microsoft.Bcl.AsyncInterfaces as the engine.
        Assert.NotNull(RuntimeAssemblies.Current.VersionOf("System.Net.ServerSentEvents"));
        var engine = LoadFor(runtime);
        byte[] png = engine.Delegate<EncodeRgba>("OpenAIImages.Engine.Imaging.PngEncoder", "EncodeRgba")(4, 4, new byte[4 * 4 * 4]);
        object request = Activator.CreateInstance(engine.Type("OpenAIImages.Engine.Requests.ImageGenerationRequest"))!;
        PrivateEngine.Set(request, "Model", "gpt-image-2");
        PrivateEngine.Set(request, "Prompt", "a small square");
        PrivateEngine.Set(request, "Stream", true);
        object prepared = engine.Type("OpenAIImages.Engine.Validation.ImageRequestValidator").GetMethod("Prepare", new[] { request.GetType() })!.Invoke(null, new[] { request })!;
        object reader = Activator.CreateInstance(engine.Type("OpenAIImages.Engine.Streaming.ImageStreamReader"), prepared, "req_alc")!;
        string sse = "event: image_generation.completed\ndata: {\"type\":\"image_generation.completed\",\"b64_json\":\"" + Convert.ToBase64String(png) + "\"}\n\n";
        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(sse));

        var pending = (Task)reader.GetType().GetMethod("ReadAsync")!.Invoke(reader, new object?[] { stream, null, CancellationToken.None })!;
        await pending.WaitAsync(TimeSpan.FromSeconds(30));
        var images = ((IEnumerable)pending.GetType().GetProperty("Result")!.GetValue(pending)!).Cast<object>().ToList();

        Assert.Equal(png, (byte[]?)PrivateEngine.Get(Assert.Single(images), "Bytes"));
        Assembly parser = engine.SeenByEngine("System.Net.ServerSentEvents");
        Assert.Same(engine.Context, AssemblyLoadContext.GetLoadContext(parser));
        Assert.Equal(Path.Combine(Module.DependencyDirectory, "System.Net.ServerSentEvents.dll"), parser.Location);
    }

    [Fact]
    public void DefaultContextIsHandedTheEngineAndNothingElse()
    {
        var engine = PrivateEngine.Load();

        Assert.Same(engine.Assembly, engine.Context.ResolveForDefaultContext(new AssemblyName("OpenAIImages.Engine, Version=0.0.0.1")));
        Assert.Null(engine.Context.ResolveForDefaultContext(new AssemblyName("OpenAIImages.Engine, Version=99.0.0.0")));
        // Other modules fail to bind these in the default context too; they must not receive our private copies.
        foreach (string name in new[] { "Microsoft.Bcl.AsyncInterfaces", "System.Net.ServerSentEvents", "System.Text.Json", "OpenAIImages.LoadContext" })
        {
            Assert.Null(engine.Context.ResolveForDefaultContext(new AssemblyName(name)));
        }
    }

    private static string DescribeJson(PrivateEngine engine, string json) =>
        (string)engine.Call("OpenAIImages.Engine.Http.RequestRedactor", "DescribeJson", Encoding.UTF8.GetBytes(json))!;
}
