using System.Text;

namespace Infra.Tests.Harness;

/// <summary>One piece of a string as the YAML runtime reads it: literal text, then optionally a reference.</summary>
public sealed record InterpolationPart(string Text, string? Root, IReadOnlyList<object> Accessors);

/// <summary>
/// The rules of the Pulumi YAML runtime that a type check cannot see, written from its source
/// (pulumi/pulumi-yaml v1.38.1, commit 36f271cf). Each rule names the file it models.
/// </summary>
public static class YamlRuntimeRules
{
    /// <summary>
    /// pkg/pulumiyaml/packages.go: kubernetesResourceNames ("not supported in YAML at this time") and
    /// helmResourceNames ("Helm Chart resources are not supported in YAML"), checked in ResolveResource
    /// before any package is loaded.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> RefusedTypes = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["kubernetes:apiextensions.k8s.io:CustomResource"] = "is not supported in YAML at this time",
        ["kubernetes:kustomize:Directory"] = "is not supported in YAML at this time",
        ["kubernetes:yaml:ConfigFile"] = "is not supported in YAML at this time",
        ["kubernetes:yaml:ConfigGroup"] = "is not supported in YAML at this time",
        ["kubernetes:helm.sh/v2:Chart"] = "Helm Chart resources are not supported in YAML",
        ["kubernetes:helm.sh/v3:Chart"] = "Helm Chart resources are not supported in YAML",
    };

    /// <summary>pkg/pulumiyaml/sort.go, checkUniqueNode: "uses the reserved name pulumi".</summary>
    public const string ReservedName = "pulumi";

    /// <summary>
    /// pkg/pulumiyaml/run.go, getConfNodesFromMap: every stack config key becomes a named value, with
    /// the project's own prefix stripped ("leadertools:vpc" is `vpc`, "aws:region" stays as it is).
    /// In sort.go config nodes are placed first and marked visited, and a resource of the same name
    /// raises nothing (checkUniqueNode returns early for config nodes): the resource is silently never
    /// evaluated and ${name...} resolves to the config value. The harness makes that an error.
    /// </summary>
    public static string ConfigNamedValue(string project, string key) =>
        key.StartsWith(project + ":", StringComparison.Ordinal) ? key[(project.Length + 1)..] : key;

    /// <summary>
    /// run.go (lines 2415-2424) and sort.go: a reference's root is looked up among resources, then
    /// config by its exact name, then variables, then config with the project's prefix removed, so
    /// `${leadertools:cluster.accessEntries}` reaches the stack key `leadertools:cluster`.
    /// </summary>
    public static string ConfigReference(string project, string root, IReadOnlySet<string> configNames) =>
        !configNames.Contains(root) && root.StartsWith(project + ":", StringComparison.Ordinal) && configNames.Contains(root[(project.Length + 1)..])
            ? root[(project.Length + 1)..]
            : root;

    /// <summary>
    /// pkg/pulumiyaml/ast/interpolation.go parseInterpolate and ast/property.go parsePropertyAccess:
    /// "$$" is one literal "$" anywhere in a string, "${" opens a property access that runs to "}";
    /// a name ends at '.', '[' or '}'; ["key"] and [0] are subscripts.
    /// </summary>
    public static IReadOnlyList<InterpolationPart> Parse(string value)
    {
        var parts = new List<InterpolationPart>();
        var text = new StringBuilder();
        var i = 0;
        while (i < value.Length)
        {
            if (string.CompareOrdinal(value, i, "$$", 0, 2) == 0)
            {
                text.Append('$');
                i += 2;
            }
            else if (string.CompareOrdinal(value, i, "${", 0, 2) == 0)
            {
                i += 2;
                var accessors = new List<object>();
                while (true)
                {
                    if (i >= value.Length)
                    {
                        throw new MockEngineException($"unterminated interpolation in '{value}'");
                    }

                    var c = value[i];
                    if (c == '}')
                    {
                        i++;
                        break;
                    }

                    if (c == '.')
                    {
                        i++;
                    }
                    else if (c == '[')
                    {
                        var close = value.IndexOf(']', i);
                        if (close < 0)
                        {
                            throw new MockEngineException($"missing closing bracket in '{value}'");
                        }

                        var inner = value[(i + 1)..close];
                        accessors.Add(inner.StartsWith('"') ? inner.Trim('"') : int.Parse(inner, System.Globalization.CultureInfo.InvariantCulture));
                        i = close + 1;
                    }
                    else
                    {
                        var start = i;
                        while (i < value.Length && value[i] is not ('.' or '[' or '}'))
                        {
                            i++;
                        }

                        accessors.Add(value[start..i]);
                    }
                }

                if (accessors.Count == 0 || accessors[0] is not string root)
                {
                    throw new MockEngineException($"the root of an interpolation in '{value}' must be a name");
                }

                parts.Add(new InterpolationPart(text.ToString(), root, accessors.Skip(1).ToList()));
                text.Clear();
            }
            else
            {
                text.Append(value[i]);
                i++;
            }
        }

        if (text.Length > 0)
        {
            parts.Add(new InterpolationPart(text.ToString(), null, []));
        }

        return parts;
    }
}
