namespace Infra.Model;

/// <summary>One stack's whole environment: the network and, when configured, the cluster on it.</summary>
public sealed record EnvironmentSpec(string Project, string Stack, NetworkSpec Network, ClusterDesign? Cluster, GuideClaims? Claims)
{
    /// <summary>Name prefix for resources, e.g. "leadertools-qas".</summary>
    public string Prefix => $"{Project}-{Stack}";

    /// <summary>
    /// Every configuration key the project's namespace accepts (set in this stack or not): a program
    /// must not give anything these names.
    /// </summary>
    public IReadOnlySet<string> ConfigKeyNames { get; init; } = new HashSet<string>();

    /// <summary>Every text value the stack's config gives, with its key path: what a derived value too long for AWS is traced back to.</summary>
    public IReadOnlyList<Located<string>> ConfigStrings { get; init; } = [];

    /// <summary>The aws provider's default tags (aws:defaultTags.tags), which it puts on every resource it creates, those inside components included.</summary>
    public IReadOnlyDictionary<string, string> ProviderDefaultTags { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// Every `aws:` setting of the stack, in key order: what configures the default aws provider, and
    /// what the program's own aws provider (the one the eks components get) is given too.
    /// </summary>
    public IReadOnlyList<ProviderSetting> AwsProviderSettings { get; init; } = [];

    /// <summary>Stateful resources carry Pulumi's protect and the cluster its deletion protection (leadertools:protection.enabled).</summary>
    public bool Protection { get; init; } = true;

    /// <summary>Error-level policy rules (by id) the stack accepts, each with its written reason.</summary>
    public IReadOnlyDictionary<string, Located<string>> Waivers { get; init; } = new Dictionary<string, Located<string>>();
}

/// <summary>One provider setting of the stack ("region" of aws:region).</summary>
/// <param name="Json">The value as JSON of the type the provider takes ("\"us-west-2\"", "true", "{...}"); null for a secret, which the program refers to instead of holding.</param>
public sealed record ProviderSetting(string Name, string? Json, bool Secret);
