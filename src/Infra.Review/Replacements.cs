using Infra.Emit;

namespace Infra.Review;

/// <summary>
/// For every resource type the project emits, the inputs whose change makes Pulumi replace the
/// resource: for aws types the attributes terraform-provider-aws marks ForceNew (or
/// RequiresReplace), which pulumi-aws bridges; for the eks components the component inputs that
/// flow into such attributes of the resources they create; for kubernetes the provider's own Diff.
/// Every regional aws resource is also replaced when its `region` input changes (pulumi-aws v7,
/// forceNewIfRegionChanges); the program never sets it. `tags` never force replacement.
/// A test fails when an emitted type has no entry.
/// </summary>
public static class Replacements
{
    /// <summary>Every type's rule, by token (the rules live with the types, in <see cref="ResourceTypes"/>).</summary>
    public static IReadOnlyDictionary<string, ReplacementRule> ByType { get; } =
        ResourceTypes.All.Where(t => t.Replacement is not null).ToDictionary(t => t.Token, t => t.Replacement!, StringComparer.Ordinal);

    /// <summary>Whether a changed property path is one a rule's path covers (itself, a part of it, or an item of a list it names).</summary>
    public static bool Covers(string rulePath, string propertyPath)
    {
        var normalised = System.Text.RegularExpressions.Regex.Replace(propertyPath, @"\[\d+\]", "[]");
        return normalised == rulePath
            || normalised.StartsWith(rulePath + ".", StringComparison.Ordinal)
            || normalised.StartsWith(rulePath + "[]", StringComparison.Ordinal)
            || rulePath.StartsWith(normalised + ".", StringComparison.Ordinal);
    }
}
