using System.Text.Json;
using System.Text.Json.Serialization;

namespace Infra.StackConfig;

/// <summary>
/// JSON text of plain values, through metadata generated at build time (the compiler runs Native
/// AOT, where reflection-based serialisation is off). Default options: the escapes are
/// System.Text.Json's defaults, which every program and stack file written so far used.
/// </summary>
public static class JsonText
{
    /// <summary>A string as a JSON string literal, which is also a YAML double-quoted scalar (JSON's escapes are YAML's).</summary>
    public static string Quoted(string text) => JsonSerializer.Serialize(text, PlainJson.Default.String);

    /// <summary>A map of strings as one JSON object, keys in the map's order.</summary>
    public static string Object(Dictionary<string, string> values) => JsonSerializer.Serialize(values, PlainJson.Default.DictionaryStringString);
}

[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class PlainJson : JsonSerializerContext;
