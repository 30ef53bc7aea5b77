using System.Globalization;
using System.Text;

namespace Infra.Model.Validation;

/// <summary>
/// Text from the user, made safe to echo on a terminal: one line (a newline in a value must not
/// forge a second error line), no control or bidirectional-override characters (escape sequences
/// must not reach the terminal), and bounded (a 1 MB value must not make a 1 MB message).
/// </summary>
public static class Printable
{
    public static string Of(string text, int maxLength)
    {
        var escaped = new StringBuilder(Math.Min(text.Length, maxLength) + 8);
        var shown = 0;
        foreach (var c in text)
        {
            if (escaped.Length >= maxLength)
            {
                break;
            }

            shown++;
            escaped.Append(c switch
            {
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ when char.IsControl(c) || IsInvisibleFormat(c) => "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture),
                _ => c.ToString(),
            });
        }

        var left = text.Length - shown;
        return left > 0 ? $"{escaped}... ({left.ToString(CultureInfo.InvariantCulture)} more characters)" : escaped.ToString();
    }

    /// <summary>A value cut to <paramref name="maxLength"/> characters, with "..." where it was cut, for a one-line echo in a problem.</summary>
    public static string Short(string text, int maxLength = 60) => text.Length <= maxLength ? text : text[..(maxLength - 3)] + "...";

    /// <summary>Bidirectional overrides and isolates, and zero-width characters, which reorder or hide text.</summary>
    private static bool IsInvisibleFormat(char c) =>
        c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069' or >= '\u200B' and <= '\u200F' or '\uFEFF'
            // Line and paragraph separators break a line in terminals and in YAML 1.1.
            or '\u2028' or '\u2029';
}
