namespace Infra.StackConfig.Keys;

/// <summary>The protection and policy keys: what guards the running environment, and the check findings a stack accepts.</summary>
internal static class PolicyKeys
{
    /// <summary>The shortest reason a waiver may give: a sentence, not "ok".</summary>
    public const int ShortestWaiverReason = 20;

    private static readonly ConfigKey<bool?> Enabled = Declare.Boolean(
        "enabled",
        "stateful resources (VPC, subnets, cluster, node group, gateway interfaces) carry Pulumi's `protect`, gateway interfaces `retainOnDelete`, and the cluster EKS's deletion protection; set false, `pulumi up`, then replace or destroy deliberately",
        @default: true);

    /// <summary>Absent: protected.</summary>
    public static ConfigKey<bool?> Protection { get; } = Declare.Key(
        "protection",
        "what stops one careless `pulumi up` or `destroy` from deleting what runs the environment",
        Declare.ValueObject([Enabled], protection => protection.Required(Enabled), bindWhenAbsent: true));

    private static readonly ConfigShape<Located<string>?> Reason = Declare.TextShape(check: reason => reason.Trim().Length >= ShortestWaiverReason
        ? null
        : $"a waiver needs a written reason of at least {ShortestWaiverReason} characters: why the finding is accepted, and until when");

    private static readonly ConfigKey<IReadOnlyDictionary<string, Located<string>>> Waivers = Declare.Key(
        "waivers",
        "error-level `check` rules (INFRA...) this stack accepts; without a waiver an error-level finding fails the compiler, and so `pulumi preview`",
        new ConfigShape<IReadOnlyDictionary<string, Located<string>>>(
            new MapType("rule", Reason.Type, "why the finding is accepted (at least 20 characters)"),
            (node, required) => new SortedDictionary<string, Located<string>>(
                node.Entries(required).Select(e => (e.Key, Reason: Reason.Read(e.Node, true))).Where(e => e.Reason is not null).ToDictionary(e => e.Key, e => e.Reason!),
                StringComparer.Ordinal)));

    /// <summary>The waivers by rule; absent, none.</summary>
    public static ConfigKey<IReadOnlyDictionary<string, Located<string>>?> Policy { get; } = Declare.Key(
        "policy", "the policy gate the compiler applies", Declare.Object([Waivers], policy => policy.Get(Waivers), bindWhenAbsent: true));
}
