namespace Infra.StackConfig.Keys;

/// <summary>The securityGroups key: groups stated rule by rule, as an original VPC has them.</summary>
internal static class SecurityGroupKeys
{
    private static readonly ConfigKey<IpProtocol?> Protocol = Declare.Choice(
        "protocol",
        "tcp, udp, icmp, icmpv6 or all",
        [("tcp", IpProtocol.Tcp), ("udp", IpProtocol.Udp), ("icmp", IpProtocol.Icmp), ("icmpv6", IpProtocol.Icmpv6), ("all", IpProtocol.All)],
        "expected tcp, udp, icmp, icmpv6 or all",
        required: true);

    private static readonly ConfigKey<int?> FromPort = Declare.Integer("fromPort", "the first port (tcp, udp), or the ICMP type (-1: any; the default for icmp)");

    private static readonly ConfigKey<int?> ToPort = Declare.Integer("toPort", "the last port (tcp, udp; default: fromPort), or the ICMP code (-1: any; the default for icmp)");

    private static readonly ConfigKey<Located<Cidr>?> RuleCidr = Declare.Cidr("cidr", "the peer: an IPv4 block");

    // The pattern is the schema's outline of an IPv6 block; the check, the exact shortest form EC2 writes.
    private static readonly ConfigKey<Located<string>?> RuleIpv6Cidr = Declare.Matching(
        "ipv6Cidr", "the peer: an IPv6 block", Declare.Ipv6BlockOutline, Ipv6Problem, text =>
        System.Net.IPNetwork.TryParse(text, out var network) && network.BaseAddress.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 && network.ToString() == text.ToLowerInvariant()
            ? null
            : Ipv6Problem);

    private const string Ipv6Problem = "expected an IPv6 block in its shortest form, as EC2 writes it (2001:db8::/32)";

    private static readonly ConfigKey<Located<string>?> RulePrefixList = Declare.Matching("prefixList", "the peer: a managed prefix list", "^pl-([0-9a-f]{8}|[0-9a-f]{17})$", "expected a prefix list id (pl- and 8 or 17 hexadecimal digits)");

    private static readonly ConfigKey<Located<string>?> RuleGroup = Declare.Text("group", "the peer: a group of securityGroups, by its name (the group itself included)");

    private static readonly ConfigKey<Located<string>?> RuleGroupId = Declare.Matching("groupId", "the peer: a group the stack does not own", "^sg-([0-9a-f]{8}|[0-9a-f]{17})$", "expected a security group id (sg- and 8 or 17 hexadecimal digits)");

    private static readonly ConfigKey<Located<string>?> RuleDescription = Declare.Text("description", "what the rule is for, written on it", maxLength: SecurityGroupRules.DescriptionLength)
        .NotCompared("a label: drift compares what a rule admits (protocol, ports, peer)");

    /// <summary>The peer keys, exactly one of which a rule gives.</summary>
    private static readonly string[] Peers = [RuleCidr.Name, RuleIpv6Cidr.Name, RulePrefixList.Name, RuleGroup.Name, RuleGroupId.Name];

    private static ConfigShape<SecurityRule?> Rule(TrafficDirection direction) => Declare.Object(
        [Protocol, FromPort, ToPort, RuleCidr, RuleIpv6Cidr, RulePrefixList, RuleGroup, RuleGroupId, RuleDescription],
        rule => BindRule(rule, direction),
        exactlyOneOf: Peers,
        conditions: [Declare.When(Protocol, ["tcp", "udp"], [FromPort], [], "a tcp or udp rule needs its ports (fromPort, and toPort for a range)")]);

    private static SecurityRule? BindRule(Section rule, TrafficDirection direction)
    {
        // The declaration holds the rule to exactly one peer.
        var peer = rule.Get(RuleCidr) is { } cidr ? Peer.Block(cidr.Value)
            : rule.Get(RuleIpv6Cidr) is { } v6 ? Peer.Ipv6Block(v6.Value)
            : rule.Get(RulePrefixList) is { } list ? Peer.PrefixList(list.Value)
            : rule.Get(RuleGroup) is { } group ? Peer.Group(group.Value)
            : Peer.ExistingGroup(rule.Get(RuleGroupId)!.Value);

        var protocol = rule.Required(Protocol);
        var from = rule.Get(FromPort);
        var to = rule.Get(ToPort);
        int first, last;
        if (protocol == IpProtocol.All)
        {
            (first, last) = (0, 0);
        }
        else if (protocol.HasIcmpTypes())
        {
            (first, last) = (from ?? -1, to ?? -1);
        }
        else
        {
            // The declaration holds a tcp or udp rule to its fromPort.
            (first, last) = (from!.Value, to ?? from.Value);
        }

        var description = rule.Get(RuleDescription)?.Value ?? "";
        return new SecurityRule("", direction, protocol, first, last, peer, description) { At = rule.At };
    }

    private static readonly ConfigKey<Located<string>?> GroupDescription = Declare.Text("description", "the group's description (EC2 requires one; it cannot change without replacing the group)", maxLength: SecurityGroupRules.DescriptionLength, required: true)
        .NotCompared("EC2 cannot change a group's description: a group with another is another group, whose original drift then reports gone");

    private static readonly ConfigKey<Located<string>?> GroupReplicaOf = Declare.ReplicaOf("security group");

    private static readonly ConfigKey<IReadOnlyList<SecurityRule>> Ingress = Declare.List("ingress", "what the group admits", Rule(TrafficDirection.Ingress));

    private static readonly ConfigKey<IReadOnlyList<SecurityRule>> Egress = Declare.List("egress", "what the group lets out (none given: nothing; the provider removes EC2's default allow-all)", Rule(TrafficDirection.Egress));

    private static readonly ConfigShape<SecurityGroupDesign?> Group = Declare.Object(
        [GroupDescription, GroupReplicaOf, Ingress, Egress],
        group => new SecurityGroupDesign(
            group.Name,
            SecurityGroupRole.Stated,
            group.Required(GroupDescription).Value,
            group.Get(GroupReplicaOf)?.Value,
            NameRules([.. group.Get(Ingress), .. group.Get(Egress)]))
        { At = group.At });

    public static ConfigKey<IReadOnlyList<SecurityGroupDesign>> SecurityGroups { get; } = Declare.Map(
        "securityGroups",
        "security groups stated rule by rule, as an original VPC has them (`infra discover` writes them); created in the VPC with exactly these rules, on no interface of the stack's",
        "name",
        Group,
        "a group: its description, its original, and its ingress and egress rules");

    /// <summary>
    /// Each rule named by what it is (direction, protocol, ports, peer), so that adding or removing
    /// one rule renames no other (a rule's resource name is its identity to Pulumi).
    /// </summary>
    private static IReadOnlyList<SecurityRule> NameRules(IReadOnlyList<SecurityRule> rules)
    {
        var taken = new HashSet<string>(StringComparer.Ordinal);
        return [.. rules.Select(r =>
        {
            var peer = r.Peer.GroupName is { } group ? $"group-{group}" : r.Peer.ToString();
            static string Port(int port) => port < 0 ? "any" : port.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var what = r.Protocol == IpProtocol.All ? "all" : $"{r.Protocol.Ec2Name()}-{Port(r.FromPort)}-{Port(r.ToPort)}";
            var stem = System.Text.RegularExpressions.Regex.Replace($"{(r.Direction == TrafficDirection.Ingress ? "in" : "out")}-{what}-{peer}", "[^a-zA-Z0-9-]+", "-").Trim('-').ToLowerInvariant();
            var name = stem;
            for (var n = 2; !taken.Add(name); n++)
            {
                name = $"{stem}-{n}";
            }

            return r with { Name = name };
        })];
    }
}
