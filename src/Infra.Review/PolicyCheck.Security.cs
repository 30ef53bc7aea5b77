using System.Globalization;
using Infra.Emit;

namespace Infra.Review;

/// <summary>check's security rules: INFRA001 (only load balancers admit the internet, on 443) and INFRA002 (no SSH or RDP from anywhere), over every form of ingress a program can declare.</summary>
public static partial class PolicyCheck
{
    /// <summary>The security group a rule's `securityGroupId` refers to; a literal id stays as given.</summary>
    private static string GroupOf(string? value) => ProgramSnapshot.ReferencedName(value) ?? value ?? "";

    /// <summary>One source admitted on a group's ports, whichever resource form declared it.</summary>
    private sealed record IngressGrant(string Resource, string Group, string Protocol, int From, int To, string Source);

    /// <summary>
    /// Ingress as the program declares it in any of the three forms the aws provider offers: the
    /// standalone aws:vpc:SecurityGroupIngressRule, the older aws:ec2:SecurityGroupRule (type
    /// ingress), and inline `ingress` blocks on aws:ec2:SecurityGroup; IPv4 and IPv6 sources; a
    /// source given through a variable resolved; protocol numbers and names normalised.
    /// </summary>
    private static List<IngressGrant> IngressGrants(ProgramSnapshot program)
    {
        var grants = new List<IngressGrant>();
        string? Resolve(string? value)
        {
            // "${name}" where name is a program variable holding a plain value.
            if (ProgramSnapshot.ReferencedName(value) is { } name && value == $"${{{name}}}" && program.Variables.TryGetValue(name, out var resolved))
            {
                return resolved;
            }

            return value;
        }

        void Add(string resource, string group, string? protocol, string? from, string? to, IEnumerable<string?> sources)
        {
            var normalised = NormaliseProtocol(Resolve(protocol));
            var low = int.TryParse(Resolve(from), NumberStyles.Integer, CultureInfo.InvariantCulture, out var f) ? f : 0;
            var high = int.TryParse(Resolve(to), NumberStyles.Integer, CultureInfo.InvariantCulture, out var t) ? t : 65535;
            if (normalised == "all" || low < 0)
            {
                (low, high) = (0, 65535);
            }

            foreach (var source in sources.Select(Resolve).OfType<string>())
            {
                grants.Add(new IngressGrant(resource, group, normalised, low, high, source));
            }
        }

        static IEnumerable<string?> Indexed(SnapshotResource resource, string prefix) =>
            resource.Properties.Where(kv => kv.Key.StartsWith(prefix + "[", StringComparison.Ordinal) && kv.Key.IndexOf('.', prefix.Length) < 0).Select(kv => (string?)kv.Value);

        foreach (var rule in program.OfType(ResourceTypes.SecurityGroupIngressRule))
        {
            Add(rule.Name, GroupOf(rule["securityGroupId"]), rule["ipProtocol"], rule["fromPort"], rule["toPort"], [rule["cidrIpv4"], rule["cidrIpv6"]]);
        }

        foreach (var rule in program.OfType(ResourceTypes.SecurityGroupRule).Where(r => r["type"] == "ingress"))
        {
            Add(rule.Name, GroupOf(rule["securityGroupId"]), rule["protocol"], rule["fromPort"], rule["toPort"], [.. Indexed(rule, "cidrBlocks"), .. Indexed(rule, "ipv6CidrBlocks")]);
        }

        foreach (var group in program.OfType(ResourceTypes.SecurityGroup))
        {
            var blocks = group.Properties.Keys.Where(k => k.StartsWith("ingress[", StringComparison.Ordinal)).Select(k => k[..(k.IndexOf(']', StringComparison.Ordinal) + 1)]).Distinct(StringComparer.Ordinal);
            foreach (var block in blocks)
            {
                Add(group.Name, group.Name, group[$"{block}.protocol"], group[$"{block}.fromPort"], group[$"{block}.toPort"],
                    [.. Indexed(group, $"{block}.cidrBlocks"), .. Indexed(group, $"{block}.ipv6CidrBlocks")]);
            }
        }

        return grants;
    }

    private static string NormaliseProtocol(string? protocol) => protocol?.ToLowerInvariant() switch
    {
        null or "-1" or "all" => "all",
        "6" => "tcp",
        "17" => "udp",
        "1" => "icmp",
        var named => named,
    };

    /// <summary>The whole IPv4 or IPv6 space.</summary>
    private static bool IsAnywhereSource(string source) =>
        System.Net.IPNetwork.TryParse(source, out var network) && network.PrefixLength == 0;

    private static void CheckIngress(ValidatedEnvironment env, ProgramSnapshot program, List<Finding> findings)
    {
        var loadBalancerGroups = env.Cluster is null ? [] : SecurityDesign.Build(env.Network, env.Cluster)
            .Where(g => g.Role == SecurityGroupRole.LoadBalancer).Select(g => ResourceNames.SecurityGroup(g.Name)).ToHashSet(StringComparer.Ordinal);

        // A load balancer's group is one loadBalancers entry; every other group follows from the cluster's design.
        var appKeys = env.Cluster?.Applications.ToDictionary(a => ResourceNames.SecurityGroup(SecurityDesign.LoadBalancerGroup(a.Name)), a => a.At.Path, StringComparer.Ordinal) ?? [];
        // A group the stack file states rule by rule is its securityGroups entry.
        foreach (var stated in env.Network.SecurityGroups.Where(g => g.At is not null))
        {
            appKeys[ResourceNames.SecurityGroup(stated.Name)] = stated.At!.Value.Path;
        }

        string? KeyOf(string group) => appKeys.TryGetValue(group, out var key) ? key : env.Cluster?.Cluster.At.Path;
        var grants = IngressGrants(program);

        // Sources that are the whole internet together (0.0.0.0/1 plus 128.0.0.0/1) count as anywhere.
        var anywhere = grants.Where(g => IsAnywhereSource(g.Source)).ToList();
        foreach (var set in grants.GroupBy(g => (g.Group, g.Protocol, g.From, g.To)))
        {
            var blocks = set.Select(g => Cidr.TryParse(g.Source, out var c, out _) ? c : (Cidr?)null).OfType<Cidr>().ToList();
            if (!set.Any(g => IsAnywhereSource(g.Source)) && blocks.Count > 1 && Cidr.TryParse("0.0.0.0/0", out var all, out _) && Covered(all, blocks))
            {
                anywhere.Add(set.First() with { Source = string.Join(" + ", set.Select(g => g.Source)) });
            }
        }

        foreach (var grant in anywhere)
        {
            bool Covers(int port) => grant.Protocol == "all" || (port >= grant.From && port <= grant.To);
            foreach (var (port, name) in new[] { (22, "SSH"), (3389, "RDP") })
            {
                if (Covers(port) && grant.Protocol is "tcp" or "all")
                {
                    findings.Add(Found("INFRA002", grant.Resource, $"{name} (port {port}) is open to the internet ({grant.Source}) on {grant.Group}.", "Remove the rule, or limit it to a bastion or corporate range; reach nodes with SSM Session Manager instead.", KeyOf(grant.Group)));
                }
            }

            var httpsOnly = grant.Protocol == "tcp" && grant.From == SecurityDesign.Https && grant.To == SecurityDesign.Https;
            if (!httpsOnly || !loadBalancerGroups.Contains(grant.Group))
            {
                var ports = grant.Protocol == "all" ? "all ports" : $"{grant.Protocol} {grant.From}-{grant.To}";
                findings.Add(Found("INFRA001", grant.Resource, $"{grant.Group} admits {grant.Source} on {ports}; only load balancer groups may admit the internet, and only on 443.", "Narrow the source to the networks that need it, or put the service behind a load balancer.", KeyOf(grant.Group)));
            }
        }
    }
}
