using System.Globalization;
using Infra.Emit;

namespace Infra.Review;

public sealed record PlannedResource(string Name, string Type, ResourceRole Role);

public sealed record PlannedRoute(string Destination, string Target, string? Purpose);

public sealed record PlannedRouteTable(string Name, bool Main, string? ReplicaOf, IReadOnlyList<string> Subnets, IReadOnlyList<PlannedRoute> Routes);

public sealed record PlannedRule(string Direction, string Protocol, string Ports, string Peer, string Description);

public sealed record PlannedSecurityGroup(string Name, string Role, string? ReplicaOf, IReadOnlyList<PlannedRule> Rules);

public sealed record PlanResult(
    string Stack,
    int ResourceCount,
    IReadOnlyList<PlannedResource> Resources,
    IReadOnlyDictionary<string, int> CountsByType,
    IReadOnlyList<PlannedRouteTable> RouteTables,
    IReadOnlyList<PlannedSecurityGroup> SecurityGroups);

/// <summary>`infra plan`: what the stack will contain, grouped by role, with its routes and rules.</summary>
public static class Plan
{
    /// <summary>The catalogue's role for a type; a program of ours holds no type the catalogue lacks.</summary>
    public static ResourceRole RoleOf(string type) =>
        (ResourceTypes.Find(type) ?? throw new InvalidOperationException($"{type} is not in ResourceTypes: add it there with its role")).Role;

    public static PlanResult Compute(ValidatedEnvironment env, PulumiProgram program)
    {
        var resources = program.Resources.Select(r => new PlannedResource(r.Name, r.Type, RoleOf(r.Type))).ToList();
        var counts = new SortedDictionary<string, int>(resources.GroupBy(r => r.Type).ToDictionary(g => g.Key, g => g.Count()), StringComparer.Ordinal);
        var network = env.Network;
        var tables = network.RouteTables.Select(t => new PlannedRouteTable(
            t.Name,
            t.IsMain,
            t.ReplicaOf,
            t.IsMain
                ? network.OrderedSubnets.Where(s => env.RouteTableOf(s) == t).Select(s => s.Key).ToList()
                : t.SubnetKeys.Select(k => k.Value).Order(StringComparer.Ordinal).ToList(),
            RouteLookup.For(network, t).Routes.OrderByDescending(r => r.IsImplicit).ThenBy(r => r.Destination)
                .Select(r => new PlannedRoute(r.Destination.ToString(), r.Target.Kind == RouteTargetKind.Instance ? $"{r.Target.Name} ({env.GatewayOf(r.Target).Identity})" : r.Target.Name, r.Purpose))
                .Concat(env.GatewayEndpointRoutesOf(t).Select(g => new PlannedRoute($"{g.PrefixList} (prefix list)", $"{g.Endpoint} (gateway endpoint)", $"added by AWS for {g.Why}")))
                .ToList())).ToList();
        var groups = env.SecurityGroups.Select(g => new PlannedSecurityGroup(
            g.Name,
            g.Role.ToString(),
            g.ReplicaOf,
            g.Rules.Select(r => new PlannedRule(r.Direction.ToString().ToLowerInvariant(), r.Protocol.ToString().ToLowerInvariant(), r.PortText, r.Peer.ToString(), r.Description)).ToList())).ToList();
        return new PlanResult(env.Stack, resources.Count, resources, counts, tables, groups);
    }

    public static Report ToReport(PlanResult plan)
    {
        var byRole = plan.Resources.GroupBy(r => r.Role).OrderBy(g => g.Key)
            .Select(g => new TreeNode($"{g.Key.ToString().ToLowerInvariant()} ({g.Count()})", g.Select(r => new TreeNode($"{r.Name}  {r.Type}", [])).ToList()))
            .ToList();
        var blocks = new List<Block>
        {
            new Heading("Resources by role"),
            new TreeBlock(new TreeNode($"{plan.Stack}: {plan.ResourceCount} resources", byRole)),
            new Heading("Route tables"),
        };
        foreach (var table in plan.RouteTables)
        {
            var subnets = table.Subnets.Count == 0 ? "no subnets" : string.Join(", ", table.Subnets);
            blocks.Add(new Paragraph($"{table.Name}{(table.Main ? " (main)" : "")}{(table.ReplicaOf is null ? "" : $", replicates {table.ReplicaOf}")}: {subnets}"));
            blocks.Add(new TableBlock(["destination", "target", "purpose"], table.Routes.Select(r => (IReadOnlyList<string>)[r.Destination, r.Target, r.Purpose ?? ""]).ToList()));
        }

        if (plan.SecurityGroups.Count > 0)
        {
            blocks.Add(new Heading("Security groups"));
            foreach (var group in plan.SecurityGroups)
            {
                blocks.Add(new Paragraph($"{group.Name} ({group.Role}){(group.ReplicaOf is null ? "" : $", replicates {group.ReplicaOf}")}"));
                blocks.Add(new TableBlock(["direction", "protocol", "ports", "peer", "why"], group.Rules.Select(r => (IReadOnlyList<string>)[r.Direction, r.Protocol, r.Ports, r.Peer, r.Description]).ToList()));
            }
        }

        blocks.Add(new Heading("Resources per type"));
        blocks.Add(new TableBlock(["type", "count"], plan.CountsByType.Select(kv => (IReadOnlyList<string>)[kv.Key, kv.Value.ToString(CultureInfo.InvariantCulture)]).ToList()));
        return new Report($"plan for {plan.Stack}", blocks, ReportData.Of(plan, ReviewJson.Reports.PlanResult));
    }
}
