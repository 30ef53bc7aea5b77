using System.Text.RegularExpressions;

namespace Infra.StackConfig;

/// <summary>
/// The one rule for how the tool writes a YAML scalar, in programs and stack files, keys and values
/// alike: plain where every reader takes it back as the same string, quoted otherwise.
/// </summary>
public static partial class YamlScalars
{
    /// <summary>Strings a YAML 1.1 or 1.2 reader would resolve to something other than a string.</summary>
    public static bool NeedsQuotes(string text) => text.Length == 0 || NonStringPlainScalar().IsMatch(text);

    [GeneratedRegex(@"^([-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?|0x[0-9a-fA-F_]+|0o[0-7]+|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)|y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|null|Null|NULL|~|[0-9]+(:[0-9]{1,2})+)$")]
    private static partial Regex NonStringPlainScalar();

    /// <summary>
    /// A key or a text value: plain where every YAML reader takes it back as the same string,
    /// double-quoted otherwise (JSON's escapes are YAML's). A colon is plain only between letters or
    /// digits (`aws:region`), where no reader takes it for a mapping.
    /// </summary>
    public static string PlainOrQuoted(string text) => IsPlainText(text) ? text : JsonText.Quoted(text);

    private static bool IsPlainText(string text)
    {
        if (text.Length == 0 || char.IsWhiteSpace(text[0]) || char.IsWhiteSpace(text[^1]) || text.StartsWith("- ", StringComparison.Ordinal) || NeedsQuotes(text))
        {
            return false;
        }

        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var plain = char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '/' or ' ' or '(' or ')'
                || (c == ':' && i > 0 && i < text.Length - 1 && char.IsAsciiLetterOrDigit(text[i - 1]) && char.IsAsciiLetterOrDigit(text[i + 1]));
            if (!plain)
            {
                return false;
            }
        }

        return true;
    }
}
