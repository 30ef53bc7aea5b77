using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Infra.StackConfig;

/// <summary>
/// Changes scalar values of a stack file in its text, so that comments, order, flow mappings and
/// layout stay as the team wrote them: the value's characters are replaced where YamlDotNet found
/// them, nothing else is rewritten. A value read as a string stays a string (quoted when YAML would
/// read the new text as a number or a boolean).
/// </summary>
public static class StackFileEdit
{
    /// <summary>Sets the scalar at <paramref name="keyPath"/> ("leadertools:cluster.kubernetesVersion"), which must exist.</summary>
    public static string SetScalar(string text, string keyPath, string value)
    {
        var root = BoundedYaml.Load(text).Documents.FirstOrDefault()?.RootNode as YamlMappingNode
            ?? throw new ConfigException([new ConfigProblem(keyPath, "(not found)", "the stack file holds no mapping")]);
        var config = root.Children.TryGetValue(new YamlScalarNode("config"), out var c) ? c as YamlMappingNode : null;
        var node = Find(config, keyPath) as YamlScalarNode
            ?? throw new ConfigException([new ConfigProblem(keyPath, "(not found)", "the stack file sets no such value to change")]);
        var start = (int)node.Start.Index;
        var end = (int)node.End.Index;
        return text[..start] + Render(value, node.Style) + text[end..];
    }

    private static YamlNode? Find(YamlMappingNode? config, string keyPath)
    {
        if (config is null)
        {
            return null;
        }

        var key = PulumiConfigMap.KeyOf(keyPath);
        var project = key[..key.IndexOf(':', StringComparison.Ordinal)];
        var bare = key[(project.Length + 1)..];
        YamlNode? node = config.Children.TryGetValue(new YamlScalarNode(key), out var full) ? full
            : config.Children.TryGetValue(new YamlScalarNode(bare), out var plain) ? plain : null;
        foreach (System.Text.RegularExpressions.Match part in System.Text.RegularExpressions.Regex.Matches(keyPath[key.Length..], @"\.([^.\[]+)|\[([0-9]+)\]"))
        {
            node = part.Groups[1].Success
                ? node is YamlMappingNode m && m.Children.TryGetValue(new YamlScalarNode(part.Groups[1].Value), out var child) ? child : null
                : node is YamlSequenceNode s && int.Parse(part.Groups[2].Value, CultureInfo.InvariantCulture) is var i && i < s.Children.Count ? s.Children[i] : null;
        }

        return node;
    }

    /// <summary>In the value's own quoting where it had one; plain, or quoted where YAML would read it as something else, by the tool's one rule.</summary>
    private static string Render(string value, ScalarStyle style) => style switch
    {
        ScalarStyle.SingleQuoted => $"'{value.Replace("'", "''", StringComparison.Ordinal)}'",
        ScalarStyle.DoubleQuoted => JsonText.Quoted(value),
        _ => YamlScalars.PlainOrQuoted(value),
    };
}
