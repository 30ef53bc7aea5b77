namespace Infra.StackConfig;

/// <summary>The policy key: error-level check findings the stack accepts, each with a written reason.</summary>
public static partial class StackConfigReader
{
    /// <summary>The shortest reason a waiver may give: a sentence, not "ok".</summary>
    public const int ShortestWaiverReason = 20;

    private static IReadOnlyDictionary<string, Located<string>> ReadWaivers(ConfigNode node)
    {
        var waivers = new SortedDictionary<string, Located<string>>(StringComparer.Ordinal);
        if (!node.IsObject(required: false))
        {
            return waivers;
        }

        var waiversNode = node.Child("waivers");
        foreach (var (rule, reasonNode) in waiversNode.Entries(required: false))
        {
            if (reasonNode.String() is not { } reason)
            {
                continue;
            }

            if (reason.Trim().Length < ShortestWaiverReason)
            {
                reasonNode.Problem($"a waiver needs a written reason of at least {ShortestWaiverReason} characters: why the finding is accepted, and until when");
                continue;
            }

            waivers[rule] = new Located<string>(reason, reasonNode.At);
        }

        node.RejectUnknownKeys();
        return waivers;
    }
}
