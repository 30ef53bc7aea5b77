using System.Text.Json;
using System.Text.Json.Nodes;

namespace Infra.StackConfig;

/// <summary>
/// JSON as this tool accepts it: no duplicate keys (System.Text.Json's JsonObject would otherwise
/// throw on the second one, deep inside a reader), at most 64 levels, and strings that are valid
/// UTF-16 (a lone surrogate such as "\ud800" decodes lazily and would throw wherever it is read).
/// Every failure is a <see cref="JsonException"/> with a sentence a user can act on.
/// </summary>
public static class StrictJson
{
    public const int MaxDepth = 64;

    private static readonly JsonDocumentOptions Options = new() { MaxDepth = MaxDepth };

    public static JsonNode? Parse(string json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, Options);
        }
        catch (JsonException e)
        {
            // The runtime's own messages may be resource keys in a trimmed build; say it plainly.
            throw new JsonException($"not valid JSON, or nested deeper than {MaxDepth} levels, at line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}");
        }

        using (document)
        {
            try
            {
                Check(document.RootElement);
            }
            catch (InvalidOperationException)
            {
                throw new JsonException("a string holds an unpaired UTF-16 surrogate (such as \\ud800), which is no text");
            }
        }

        return JsonNode.Parse(json, documentOptions: Options);
    }

    private static void Check(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var seen = new HashSet<string>(StringComparer.Ordinal);
                foreach (var property in element.EnumerateObject())
                {
                    if (!seen.Add(property.Name))
                    {
                        throw new JsonException($"the key \"{property.Name}\" appears twice in one object");
                    }

                    Check(property.Value);
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    Check(item);
                }

                break;
            case JsonValueKind.String:
                _ = element.GetString();
                break;
        }
    }
}
