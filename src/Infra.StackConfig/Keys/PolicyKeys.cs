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
        Declare.ValueObject([Enabled], protection => protection.Required(Enabled), bindWhenAbsent: true))
        .NotLive("the stack's own guard against deletes, not the VPC's");

    /// <summary>A reason is words: at least three of two letters or more, and twenty letters in all (dots or zero-width spaces are not a reason).</summary>
    private static string? ReasonProblem(string reason)
    {
        var words = System.Text.RegularExpressions.Regex.Matches(reason, @"\p{L}{2,}").Count;
        var letters = reason.Count(char.IsLetter);
        return reason.Trim().Length >= ShortestWaiverReason && words >= 3 && letters >= ShortestWaiverReason
            ? null
            : $"a waiver needs a written reason, at least three words and {ShortestWaiverReason} letters: why the finding is accepted, and until when";
    }

    private static readonly ConfigShape<Located<string>?> Reason = Declare.TextShape(check: ReasonProblem);

    private static readonly ConfigKey<IReadOnlyDictionary<string, Located<string>>> Waivers = Declare.Key(
        "waivers",
        "`check` rules (INFRA...) this stack accepts, each with its reason: a waived error no longer fails the compiler (and so `pulumi preview`); a waived warning is reported as accepted, with the reason, instead of as a warning",
        new ConfigShape<IReadOnlyDictionary<string, Located<string>>>(
            new MapType("rule", Reason.Type, "why the finding is accepted (at least three words and 20 letters)"),
            (node, required) => new SortedDictionary<string, Located<string>>(
                node.Entries(required).Select(e => (e.Key, Reason: Reason.Read(e.Node, true))).Where(e => e.Reason is not null).ToDictionary(e => e.Key, e => e.Reason!),
                StringComparer.Ordinal)));

    /// <summary>The waivers by rule; absent, none.</summary>
    public static ConfigKey<IReadOnlyDictionary<string, Located<string>>?> Policy { get; } = Declare.Key(
        "policy", "the policy gate the compiler applies", Declare.Object([Waivers], policy => policy.Get(Waivers), bindWhenAbsent: true))
        .NotCompared("the reviewer's acceptance of findings, not the VPC's (discover writes a waiver only where the original's own groups admit the internet)");
}
