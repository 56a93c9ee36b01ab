using System.Reflection;

namespace OpenAIImages.Tests.Contract;

/// <summary>One parameter as PowerShell would see it, read from attributes without loading PowerShell.</summary>
public sealed record ParameterContract(
    string Name,
    string Type,
    bool Mandatory = false,
    int? Position = null,
    bool FromPipeline = false,
    bool FromPipelineByPropertyName = false,
    string[]? Aliases = null,
    string[]? Sets = null,
    bool SupportsWildcards = false,
    bool HasCompleter = false)
{
    /// <summary>How the parameter binds in each of its parameter sets, as compiled; null in hand-written contracts.</summary>
    public IReadOnlyList<ParameterSetBinding>? Bindings { get; init; }

    /// <summary>Where the property comes in reflection order, which is the order PowerShell keeps for named parameters.</summary>
    public int DeclarationOrder { get; init; }

    /// <summary>The values of a [ValidateSet], or null.</summary>
    public IReadOnlyList<string>? ValidValues { get; init; }
}

/// <summary>One [Parameter] attribute: the set it names (__AllParameterSets when none) and how it binds there.</summary>
public sealed record ParameterSetBinding(string Set, bool Mandatory, int? Position, bool FromPipeline, bool FromPipelineByPropertyName);

/// <summary>A cmdlet's public surface.</summary>
public sealed record CmdletContract(
    string Name,
    string ClassName,
    bool SupportsShouldProcess,
    string? DefaultParameterSet,
    string[] OutputTypes,
    IReadOnlyList<ParameterContract> Parameters)
{
    /// <summary>The named parameter sets in the order PowerShell numbers them (first use in reflection order); empty when there are none.</summary>
    public IReadOnlyList<string> ParameterSets { get; init; } = Array.Empty<string>();
}

/// <summary>
/// Reads the compiled cmdlet assembly with MetadataLoadContext: attributes become data, and neither the module nor
/// System.Management.Automation is ever loaded for execution.
/// </summary>
public static class CmdletMetadata
{
    private const string Sma = "System.Management.Automation.";

    public static IReadOnlyList<CmdletContract> Read(string assemblyPath)
    {
        var runtime = Directory.GetFiles(System.Runtime.InteropServices.RuntimeEnvironment.GetRuntimeDirectory(), "*.dll");
        var local = Directory.GetFiles(Path.GetDirectoryName(assemblyPath)!, "*.dll");
        var engine = Path.Combine(AppContext.BaseDirectory, "OpenAIImages.Engine.dll");
        var paths = runtime.Concat(local).Append(engine).GroupBy(Path.GetFileName).Select(g => g.Last());
        using var context = new MetadataLoadContext(new PathAssemblyResolver(paths));
        var assembly = context.LoadFromAssemblyPath(assemblyPath);
        var result = new List<CmdletContract>();
        foreach (var type in assembly.GetTypes())
        {
            var cmdlet = type.GetCustomAttributesData().FirstOrDefault(a => a.AttributeType.FullName == Sma + "CmdletAttribute");
            if (cmdlet == null) continue;
            string verb = (string)cmdlet.ConstructorArguments[0].Value!;
            string noun = (string)cmdlet.ConstructorArguments[1].Value!;
            bool shouldProcess = Named<bool>(cmdlet, "SupportsShouldProcess");
            string? defaultSet = Named<string?>(cmdlet, "DefaultParameterSetName");
            var outputs = type.GetCustomAttributesData()
                .Where(a => a.AttributeType.FullName == Sma + "OutputTypeAttribute")
                .SelectMany(a => a.ConstructorArguments)
                .SelectMany(arg => arg.Value is IEnumerable<CustomAttributeTypedArgument> many ? many.Select(m => m.Value) : new[] { arg.Value })
                .Select(v => v is Type t ? t.FullName! : v?.ToString() ?? "")
                .ToArray();
            var parameters = new List<ParameterContract>();
            var setOrder = new List<string>();
            int declarationOrder = 0;
            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                var attributes = property.GetCustomAttributesData();
                var parameterAttributes = attributes.Where(a => a.AttributeType.FullName == Sma + "ParameterAttribute").ToList();
                if (parameterAttributes.Count == 0) continue;
                var bindings = parameterAttributes.Select(a => new ParameterSetBinding(
                    Named<string?>(a, "ParameterSetName") ?? "__AllParameterSets",
                    Named<bool>(a, "Mandatory"),
                    Named<int?>(a, "Position") is int at && at != int.MinValue ? at : null,
                    Named<bool>(a, "ValueFromPipeline"),
                    Named<bool>(a, "ValueFromPipelineByPropertyName"))).ToList();
                foreach (var binding in bindings)
                {
                    if (binding.Set != "__AllParameterSets" && !setOrder.Contains(binding.Set)) setOrder.Add(binding.Set);
                }
                var validValues = attributes.Where(a => a.AttributeType.FullName == Sma + "ValidateSetAttribute")
                    .SelectMany(a => a.ConstructorArguments)
                    .SelectMany(arg => arg.Value is IEnumerable<CustomAttributeTypedArgument> many ? many.Select(m => (string)m.Value!) : new[] { (string)arg.Value! })
                    .ToArray();
                var sets = parameterAttributes.Select(a => Named<string?>(a, "ParameterSetName") ?? "__AllParameterSets").Distinct().OrderBy(s => s).ToArray();
                var first = parameterAttributes[0];
                int position = Named<int?>(first, "Position") ?? int.MinValue;
                var aliases = attributes.Where(a => a.AttributeType.FullName == Sma + "AliasAttribute")
                    .SelectMany(a => a.ConstructorArguments)
                    .SelectMany(arg => arg.Value is IEnumerable<CustomAttributeTypedArgument> many ? many.Select(m => (string)m.Value!) : new[] { (string)arg.Value! })
                    .OrderBy(s => s).ToArray();
                parameters.Add(new ParameterContract(
                    property.Name,
                    TypeName(property.PropertyType),
                    parameterAttributes.Any(a => Named<bool>(a, "Mandatory")),
                    position == int.MinValue ? null : position,
                    parameterAttributes.Any(a => Named<bool>(a, "ValueFromPipeline")),
                    parameterAttributes.Any(a => Named<bool>(a, "ValueFromPipelineByPropertyName")),
                    aliases.Length == 0 ? null : aliases,
                    sets.SequenceEqual(new[] { "__AllParameterSets" }) ? null : sets,
                    attributes.Any(a => a.AttributeType.FullName == Sma + "SupportsWildcardsAttribute"),
                    attributes.Any(a => a.AttributeType.FullName == Sma + "ArgumentCompleterAttribute"))
                {
                    Bindings = bindings,
                    DeclarationOrder = declarationOrder++,
                    ValidValues = validValues.Length == 0 ? null : validValues,
                });
            }
            result.Add(new CmdletContract($"{verb}-{noun}", type.FullName!, shouldProcess, defaultSet, outputs, parameters.OrderBy(p => p.Name).ToList())
            {
                ParameterSets = setOrder,
            });
        }
        return result;
    }

    private static string TypeName(Type type)
    {
        if (type.IsArray) return TypeName(type.GetElementType()!) + "[]";
        if (type.IsGenericType && type.GetGenericTypeDefinition().FullName == "System.Nullable`1") return TypeName(type.GetGenericArguments()[0]) + "?";
        return type.FullName switch
        {
            "System.String" => "string",
            "System.Int32" => "int",
            "System.Object" => "object",
            "System.Byte" => "byte",
            "System.Management.Automation.SwitchParameter" => "switch",
            _ => type.FullName!,
        };
    }

    private static T Named<T>(CustomAttributeData attribute, string name)
    {
        foreach (var argument in attribute.NamedArguments)
        {
            if (argument.MemberName == name) return (T)argument.TypedValue.Value!;
        }
        return default!;
    }
}
