namespace Infra.Emit;

internal static class Tags
{
    /// <summary>Name tag, the tags every resource carries, and the id of the original it replicates.</summary>
    public static PMap For(ValidatedEnvironment env, string name, string? replicaOf, params (string Key, string Value)[] extra)
    {
        var entries = new List<(string, PValue?)>
        {
            ("Name", P.Text(name)),
            ("Project", P.Text(env.Project)),
            ("Environment", P.Text(env.Stack)),
            ("ManagedBy", P.Text("pulumi")),
        };
        entries.AddRange(extra.Select(e => (e.Key, (PValue?)P.Text(e.Value))));
        if (replicaOf is not null)
        {
            entries.Add(("ReplicaOf", P.Text(replicaOf)));
        }

        return P.Map(entries);
    }
}
