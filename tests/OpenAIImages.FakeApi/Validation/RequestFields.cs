using System.Globalization;
using System.Text.Json;
using OpenAIImages.FakeApi.Http;
using OpenAIImages.FakeApi.Recording;

namespace OpenAIImages.FakeApi.Validation;

/// <summary>
/// The scalar fields of a request, from a JSON object or from form parts, with typed reads that fail the way the
/// API does (wrong JSON type, non-numeric form text). JSON <c>null</c> counts as absent: the spec marks these
/// fields nullable.
/// </summary>
internal sealed class RequestFields
{
    private readonly Dictionary<string, JsonElement>? _json;
    private readonly Dictionary<string, string>? _form;

    private RequestFields(Dictionary<string, JsonElement>? json, Dictionary<string, string>? form)
    {
        _json = json;
        _form = form;
    }

    public bool IsJson => _json is not null;

    public IEnumerable<string> Names => (IEnumerable<string>?)_json?.Keys ?? _form!.Keys;

    public static RequestFields FromJson(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
            throw new ApiErrorException(ApiError.Invalid(
                $"Invalid type for request body: expected an object, but got {Describe(root.ValueKind)} instead.", null, ErrorCodes.InvalidType));
        var fields = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in root.EnumerateObject())
        {
            if (fields.ContainsKey(property.Name))
                throw new ApiErrorException(ApiError.Invalid($"Duplicate parameter: '{property.Name}'.", property.Name, ErrorCodes.DuplicateParameter));
            fields[property.Name] = property.Value;
        }
        return new RequestFields(fields, null);
    }

    /// <summary>
    /// The text fields of a form, after rejecting the first part whose name is not in <paramref name="allowed"/>;
    /// file fields (those in <paramref name="fileFields"/>) are left to the caller.
    /// </summary>
    public static RequestFields FromForm(IReadOnlyList<MultipartPart> parts, IReadOnlySet<string> allowed, ISet<string> fileFields)
    {
        foreach (var part in parts)
            if (!allowed.Contains(part.Name))
                throw new ApiErrorException(ApiError.Invalid($"Unknown parameter: '{part.Name}'.", part.Name, ErrorCodes.UnknownParameter));
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var part in parts)
        {
            if (fileFields.Contains(part.Name)) continue;
            if (part.IsFile)
                throw new ApiErrorException(ApiError.Invalid(
                    $"Invalid type for '{part.Name}': expected a string, but got a file instead.", part.Name, ErrorCodes.InvalidType));
            if (fields.ContainsKey(part.Name))
                throw new ApiErrorException(ApiError.Invalid($"Duplicate parameter: '{part.Name}'.", part.Name, ErrorCodes.DuplicateParameter));
            fields[part.Name] = part.Text;
        }
        return new RequestFields(null, fields);
    }

    /// <summary>Rejects the first field not in <paramref name="allowed"/>, as the API does.</summary>
    public void RejectUnknown(IReadOnlySet<string> allowed)
    {
        foreach (string name in Names)
            if (!allowed.Contains(name))
                throw new ApiErrorException(ApiError.Invalid($"Unknown parameter: '{name}'.", name, ErrorCodes.UnknownParameter));
    }

    public bool Has(string name) =>
        _json is not null ? _json.TryGetValue(name, out var v) && v.ValueKind != JsonValueKind.Null : _form!.ContainsKey(name);

    public JsonElement? Raw(string name) =>
        _json is not null && _json.TryGetValue(name, out var v) && v.ValueKind != JsonValueKind.Null ? v : null;

    public string? String(string name)
    {
        if (_json is not null)
        {
            if (!_json.TryGetValue(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
            if (v.ValueKind != JsonValueKind.String) throw TypeError(name, "a string", Describe(v.ValueKind));
            return v.GetString();
        }
        return _form!.TryGetValue(name, out var text) ? text : null;
    }

    public int? Int(string name)
    {
        if (_json is not null)
        {
            if (!_json.TryGetValue(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
            if (v.ValueKind != JsonValueKind.Number) throw TypeError(name, "an integer", Describe(v.ValueKind));
            if (!v.TryGetInt32(out int value)) throw TypeError(name, "an integer", "a decimal");
            return value;
        }
        if (!_form!.TryGetValue(name, out var text)) return null;
        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int parsed))
            throw TypeError(name, "an integer", "a string");
        return parsed;
    }

    public bool? Bool(string name)
    {
        if (_json is not null)
        {
            if (!_json.TryGetValue(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
            if (v.ValueKind is JsonValueKind.True or JsonValueKind.False) return v.GetBoolean();
            throw TypeError(name, "a boolean", Describe(v.ValueKind));
        }
        if (!_form!.TryGetValue(name, out var text)) return null;
        // Form fields are text; the SDKs send "true"/"false". Case is forgiven, other spellings are not.
        if (string.Equals(text, "true", StringComparison.OrdinalIgnoreCase)) return true;
        if (string.Equals(text, "false", StringComparison.OrdinalIgnoreCase)) return false;
        throw TypeError(name, "a boolean", "a string");
    }

    private static ApiErrorException TypeError(string name, string expected, string got) =>
        new(ApiError.Invalid($"Invalid type for '{name}': expected {expected}, but got {got} instead.", name, ErrorCodes.InvalidType));

    public static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        JsonValueKind.Null => "null",
        _ => "an unknown value",
    };
}
