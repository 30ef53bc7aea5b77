using System.Text;

namespace Infra.Review;

/// <summary>`infra diagram`: a Mermaid flowchart of the stack, generated from the model.</summary>
public static class Diagram
{
    public static string Mermaid(ValidatedEnvironment env)
    {
        var network = env.Network;
        var m = new StringBuilder();
        m.Append("flowchart TB\n");
        m.Append("  internet((Internet))\n");
        m.Append($"  igw[\"internet gateway{Replica(network.InternetGatewayReplicaOf)}\"]\n");
        m.Append("  internet --- igw\n");
        m.Append($"  subgraph vpc[\"{network.Vpc.Name}: {string.Join(" + ", network.VpcCidrs)}\"]\n");
        foreach (var zone in network.Zones.Select(z => z.Value).Order(StringComparer.Ordinal))
        {
            m.Append($"    subgraph {Id(zone)}[\"{zone}\"]\n");
            foreach (var subnet in network.OrderedSubnets.Where(s => s.Zone == zone))
            {
                m.Append($"      {SubnetId(subnet)}[\"{subnet.Role.Key()} {subnet.Cidr}{Replica(subnet.ReplicaOf)}\"]\n");
            }

            m.Append("    end\n");
        }

        foreach (var zone in network.Nat.ActiveZones)
        {
            m.Append($"    {NatId(network.Nat, zone)}[\"NAT gateway{(network.Nat.PerZone ? $" {zone}" : "")}\"]\n");
        }

        // A NAT gateway stated by name, by the name routes give it, so the routes to it end at this node.
        foreach (var nat in network.NamedNatGateways)
        {
            m.Append($"    {Id(nat.Target.Name)}[\"{(nat.IsPublic ? "public" : "private")} NAT gateway {nat.Name}{Replica(nat.ReplicaOf)}\"]\n");
        }

        foreach (var table in network.RouteTables)
        {
            m.Append($"    {TableId(table)}{{\"{table.Name}{(table.IsMain ? " (main)" : "")}{Replica(table.ReplicaOf)}\"}}\n");
        }

        if (env.Cluster is { } cluster)
        {
            m.Append($"    eks[[\"EKS {cluster.Cluster.Name} {cluster.Cluster.KubernetesVersion}, services {cluster.Cluster.ServiceCidr.Value}\"]]\n");
        }

        m.Append("  end\n");
        foreach (var gateway in network.Gateways)
        {
            m.Append($"  {Id(gateway.Name)}[/\"{gateway.Description} ({gateway.Identity})\"/]\n");
        }

        foreach (var subnet in network.OrderedSubnets)
        {
            m.Append($"  {SubnetId(subnet)} -.-> {TableId(env.RouteTableOf(subnet))}\n");
        }

        foreach (var table in network.RouteTables)
        {
            foreach (var group in NetworkSpec.Ordered(table.Routes).GroupBy(r => r.Target.Name))
            {
                var target = group.First().Target.Kind switch
                {
                    RouteTargetKind.InternetGateway => "igw",
                    RouteTargetKind.NatGateway => NatId(network.Nat, group.First().Target.NatZone(network.Nat)!),
                    _ => Id(group.Key),
                };
                m.Append($"  {TableId(table)} -- \"{string.Join(", ", group.Select(r => r.Destination))}\" --> {target}\n");
            }
        }

        foreach (var natSubnet in env.NatSubnets)
        {
            m.Append($"  {NatId(network.Nat, natSubnet.Zone)} --- {SubnetId(natSubnet)}\n");
        }

        foreach (var nat in network.NamedNatGateways)
        {
            m.Append($"  {Id(nat.Target.Name)} --- {SubnetId(env.SubnetOf(nat))}\n");
        }

        if (env.Cluster is not null)
        {
            foreach (var subnet in network.OrderedSubnets.Where(s => s.Role.Policy().ClusterUse != ClusterUse.None))
            {
                m.Append($"  eks --- {SubnetId(subnet)}\n");
            }
        }

        return m.ToString();
    }

    public static Report ToReport(ValidatedEnvironment env) =>
        new($"diagram of {env.Stack}", [new CodeBlock("mermaid", Mermaid(env))], ReportData.Of(new DiagramData(env.Stack, Mermaid(env)), ReviewJson.Reports.DiagramData));

    private static string Replica(string? replicaOf) => replicaOf is null ? "" : $"<br>{replicaOf}";

    private static string Id(string name) => new(name.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_').ToArray());

    private static string SubnetId(SubnetSpec subnet) => Id($"subnet_{subnet.Role.Key()}_{subnet.Zone}");

    private static string TableId(RouteTableSpec table) => Id($"rt_{table.Name}");

    /// <summary>The README section that holds a stack's diagram.</summary>
    public static string ReadmeSectionName(string stack) => $"diagram:{stack}";

    /// <summary>Replaces the README's embedded copy (between the markers) with a fresh one.</summary>
    public static string EmbedInReadme(string readme, string stack, string mermaid) =>
        ReadmeSection.Replace(readme, ReadmeSectionName(stack), Fenced(mermaid), stack);

    public static string? EmbeddedIn(string readme, string stack) =>
        ReadmeSection.Content(readme, ReadmeSectionName(stack)) is { } block && block.StartsWith(Fence, StringComparison.Ordinal) && block.EndsWith("```\n", StringComparison.Ordinal)
            ? block[Fence.Length..^4]
            : null;

    private const string Fence = "```mermaid\n";

    private static string Fenced(string mermaid) => Fence + mermaid + "```\n";

    /// <summary>A NAT gateway's node: "nat" for the first (or only) one, as before; "nat_ZONE" for the others.</summary>
    private static string NatId(NatGatewaySpec nat, string zone) => zone == nat.Zone ? "nat" : Id($"nat-{zone}");
}
