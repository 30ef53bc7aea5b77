using System.Globalization;
using Infra.StackConfig;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Infra.Emit;

/// <summary>
/// Writes a program tree as YAML through YamlDotNet's emitter. Output depends on nothing but the
/// tree: "\n" line breaks, no line folding, invariant number formatting, and every string that a
/// YAML reader could take for a number, boolean or null is quoted.
/// </summary>
public static partial class YamlWriter
{
    public static string Write(PValue root, string? headerComment = null)
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        if (headerComment is not null)
        {
            foreach (var line in headerComment.Split('\n'))
            {
                text.Write(line.Length == 0 ? "#\n" : $"# {line}\n");
            }
        }

        var emitter = new Emitter(text, new EmitterSettings(2, int.MaxValue, false, 1024, false, true, "\n"));
        emitter.Emit(new StreamStart());
        emitter.Emit(new DocumentStart(null, null, true));
        WriteValue(emitter, root);
        emitter.Emit(new DocumentEnd(true));
        emitter.Emit(new StreamEnd());
        return text.ToString();
    }

    private static void WriteValue(IEmitter emitter, PValue value)
    {
        switch (value)
        {
            case PMap map:
                // YAML readers refuse a mapping that names a key twice (the type-check tool's does); so does the writer.
                var keys = new HashSet<string>(StringComparer.Ordinal);
                emitter.Emit(new MappingStart(null, null, true, MappingStyle.Block));
                foreach (var (key, item) in map.Entries)
                {
                    if (!keys.Add(key))
                    {
                        throw new InvalidOperationException($"the program names the key {key} twice in one mapping");
                    }

                    WriteString(emitter, key);
                    WriteValue(emitter, item);
                }

                emitter.Emit(new MappingEnd());
                break;
            case PList list when list.Items.Count == 0:
                emitter.Emit(new SequenceStart(null, null, true, SequenceStyle.Flow));
                emitter.Emit(new SequenceEnd());
                break;
            case PList list:
                emitter.Emit(new SequenceStart(null, null, true, SequenceStyle.Block));
                foreach (var item in list.Items)
                {
                    WriteValue(emitter, item);
                }

                emitter.Emit(new SequenceEnd());
                break;
            case PString s:
                WriteString(emitter, s.Value);
                break;
            case PNumber n:
                emitter.Emit(new Scalar(null, null, n.Value.ToString(CultureInfo.InvariantCulture), ScalarStyle.Plain, true, false));
                break;
            case PBool b:
                emitter.Emit(new Scalar(null, null, b.Value ? "true" : "false", ScalarStyle.Plain, true, false));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(value), value, "unknown program value");
        }
    }

    private static void WriteString(IEmitter emitter, string text)
    {
        // A block scalar normalises line breaks: a carriage return, a tab-led line or one of YAML
        // 1.1's other breaks (NEL, U+2028, U+2029) would reach Pulumi changed. Such text is double
        // quoted, where each is an escape; other multi-line text (user data) is a literal block,
        // which keeps every line as written.
        var style = YamlScalars.NeedsQuotes(text) || text.Any(c => (char.IsControl(c) && c != '\n') || c is '\u2028' or '\u2029')
            ? ScalarStyle.DoubleQuoted
            : text.Contains('\n', StringComparison.Ordinal) ? ScalarStyle.Literal : ScalarStyle.Any;
        emitter.Emit(new Scalar(null, null, text, style, true, true));
    }

}
