using Infra.Discovery;

namespace Infra.Tests.Harness;

/// <summary>
/// Live VPCs held in memory, without moto: every kind of object discover reads, each in the forms
/// the stack format holds and in forms it cannot (a second subnet of a role in a zone, a third NAT
/// gateway, an ESP rule, a Gateway Load Balancer endpoint, ...). For tests that need discover's
/// writer on everything at once (which keys it writes), not the EC2 round trip.
/// </summary>
internal static class LiveVpcZoo
{
    private static readonly IReadOnlyDictionary<string, string> NoTags = new Dictionary<string, string>();

    private static Dictionary<string, string> Named(string name, params (string Key, string Value)[] more) =>
        new[] { ("Name", name) }.Concat(more).ToDictionary(t => t.Item1, t => t.Item2, StringComparer.Ordinal);

    /// <summary>Two zones, every object kind, every rule and route target the format holds, and some it does not.</summary>
    public static LiveVpc Everything { get; } = new(
        "us-west-2",
        "vpc-0zoo",
        "zoo",
        "10.0.0.0/16",
        ["100.64.0.0/16"],
        [
            new("subnet-pub-a", "10.0.0.0/24", "us-west-2a", Named("public-a", ("kubernetes.io/role/elb", "1"))),
            new("subnet-pub-b", "10.0.1.0/24", "us-west-2b", Named("public-b", ("kubernetes.io/role/elb", "1"))) { Ipv6Cidrs = ["2600:1f14:abc:de11::/64"], AssignIpv6OnCreation = true, Dns64 = true },
            new("subnet-node-a", "10.0.10.0/24", "us-west-2a", Named("nodes-a", ("kubernetes.io/role/internal-elb", "1"))) { Ipv6Cidrs = ["2600:1f14:abc:de00::/64"], AssignIpv6OnCreation = true, Dns64 = true },
            new("subnet-node-b", "10.0.11.0/24", "us-west-2b", Named("nodes-b", ("kubernetes.io/role/internal-elb", "1"))),
            new("subnet-node-a2", "10.0.12.0/24", "us-west-2a", Named("nodes-a-second")),
            // A /64 of the VPC's second IPv6 block: the stack asks for one block, so it is left out, named.
            new("subnet-pod-a", "100.64.0.0/18", "us-west-2a", Named("pods-a")) { Ipv6Cidrs = ["2600:1f14:abc:df05::/64"] },
            new("subnet-pod-b", "100.64.64.0/18", "us-west-2b", Named("pods-b")),
            // IPv6 only (EC2 Ipv6Native): no IPv4 block, so it is left out, named, and drift does not count it.
            new("subnet-v6only", "", "us-west-2b", Named("v6-only")) { Ipv6Cidrs = ["2600:1f14:abc:de20::/64"] },
        ],
        "igw-zoo",
        [new("nat-a", "subnet-pub-a"), new("nat-b", "subnet-pub-b"), new("nat-ff0e0d0c0b0a05678", "subnet-pub-a"), new("nat-0a0b0c0d0e0f01234", "subnet-node-b", IsPrivate: true)],
        [
            new("rtb-main", true, "main", [], [
                new("10.0.0.0/16", LiveTargetKind.Local, "local"),
                new("0.0.0.0/0", LiveTargetKind.Appliance, "i-0f1f1f1f1f1f1f1f1"),
                new("pl-s3", LiveTargetKind.Unsupported, "vpce-s3", LiveDestination.PrefixList),
            ]),
            new("rtb-public", false, "public", ["subnet-pub-a", "subnet-pub-b"], [
                new("0.0.0.0/0", LiveTargetKind.InternetGateway, "igw-zoo"),
                new("::/0", LiveTargetKind.InternetGateway, "igw-zoo", LiveDestination.Ipv6),
                // NAT64 for the public subnets' IPv6-only clients (subnet-pub-b has DNS64 on).
                new("64:ff9b::/96", LiveTargetKind.NatGateway, "nat-a", LiveDestination.Ipv6),
            ]),
            new("rtb-private-a", false, "private-a", ["subnet-node-a", "subnet-pod-a", "subnet-node-a2"], [
                new("0.0.0.0/0", LiveTargetKind.NatGateway, "nat-a"),
                new("10.0.0.0/8", LiveTargetKind.Appliance, "i-0f1f1f1f1f1f1f1f1"),
                new("172.16.0.0/12", LiveTargetKind.Appliance, "eni-0f2f2f2f2f2f2f2f2"),
                new("192.168.0.0/16", LiveTargetKind.Unsupported, "tgw-0123456789abcdef0"),
                new("100.100.0.0/16", LiveTargetKind.Unsupported, "pcx-0123456789abcdef0"),
                new("198.51.100.0/24", LiveTargetKind.Unsupported, "cagw-0abc"),
                new("198.18.0.0/15", LiveTargetKind.Unsupported, "lgw-0123456789abcdef0"),
                new("203.0.113.0/24", LiveTargetKind.NatGateway, "nat-ff0e0d0c0b0a05678"),
                new("::/0", LiveTargetKind.Unsupported, "eigw-zoo", LiveDestination.Ipv6),
                new("64:ff9b::/96", LiveTargetKind.NatGateway, "nat-a", LiveDestination.Ipv6),
                new("2001:db8::/32", LiveTargetKind.Unsupported, "tgw-0123456789abcdef0", LiveDestination.Ipv6),
                new("2001:db8:60::/48", LiveTargetKind.Appliance, "i-0f1f1f1f1f1f1f1f1", LiveDestination.Ipv6),
                new("pl-s3", LiveTargetKind.Unsupported, "vpce-s3", LiveDestination.PrefixList),
                new("pl-corp", LiveTargetKind.Unsupported, "tgw-0123456789abcdef0", LiveDestination.PrefixList),
            ]),
            new("rtb-private-b", false, "private-b", ["subnet-node-b", "subnet-pod-b"], [
                new("0.0.0.0/0", LiveTargetKind.NatGateway, "nat-b"),
                new("10.50.0.0/16", LiveTargetKind.Unsupported, "vpce-gwlb"),
                new("2001:db8:50::/48", LiveTargetKind.Unsupported, "vpce-gwlb", LiveDestination.Ipv6),
                new("10.60.0.0/16", LiveTargetKind.NatGateway, "nat-0a0b0c0d0e0f01234"),
            ]),
        ],
        [
            new("i-0f1f1f1f1f1f1f1f1", "i-0f1f1f1f1f1f1f1f1", "eni-0f1f1f1f1f1f1f1f1", "subnet-pub-a", "vpc-0zoo", Named("aviatrix-gw", ("Description", "Aviatrix gateway, zone a"))),
            new("eni-0f2f2f2f2f2f2f2f2", null, "eni-0f2f2f2f2f2f2f2f2", "subnet-pub-b", "vpc-0zoo", Named("yes")),
        ],
        [
            new("sg-default", "default", "default VPC security group", NoTags, []),
            new("sg-web", "web", "web tier", NoTags, [
                new LiveRule("tcp", 443, 443, "0.0.0.0/0") { Description = "https" },
                new LiveRule("tcp", 443, 443, "::/0"),
                new LiveRule("tcp", 8080, 8080, "sg-app") { Description = "från webben" },
                new LiveRule("icmp", 8, -1, "10.0.0.0/8") { Description = "ping" },
                new LiveRule("icmpv6", -1, -1, "2001:db8::/32"),
                new LiveRule("udp", 53, 53, "pl-0123abcd"),
                new LiveRule("tcp", 9000, 9000, "sg-0123456789abcdef0"),
                new LiveRule("50", -1, -1, "10.0.0.0/8"),
            ]) { Egress = [new LiveRule("-1", -1, -1, "0.0.0.0/0"), new LiveRule("tcp", 5432, 5432, "sg-0123456789abcdef1"), new LiveRule("tcp", 443, 443, "::/0") { Description = "out" }, new LiveRule("tcp", 443, 443, "pl-0123abcd"), new LiveRule("tcp", 8080, 8080, "sg-app")] },
            new("sg-app", "app", "", NoTags, [new LiveRule("-1", -1, -1, "sg-web")]),
            new("sg-nodes", "nodes", "named as the design's", NoTags, [new LiveRule("tcp", 22, 22, "10.0.0.0/8")]),
            new("sg-eks", "eks-cluster-sg-zoo", "EKS created", Named("eks", ("aws:eks:cluster-name", "zoo")), []),
            new("sg-elb", "k8s-ingress", "controller made", new Dictionary<string, string> { ["elbv2.k8s.aws/cluster"] = "zoo" }, []),
        ])
    {
        FlowLogs = [new("fl-1", "REJECT", "cloud-watch-logs", "zoo-flows"), new("fl-2", "ALL", "s3", "arn:aws:s3:::zoo-flows")],
        Ipv6Cidrs = ["2600:1f14:abc:de00::/56", "2600:1f14:abc:df00::/56"],
        EgressOnlyGateways = ["eigw-zoo"],
        Endpoints =
        [
            new("vpce-s3", "Gateway", "com.amazonaws.us-west-2.s3") { RouteTableIds = ["rtb-main", "rtb-private-a"] },
            new("vpce-sts", "Interface", "com.amazonaws.us-west-2.sts") { SubnetIds = ["subnet-node-a", "subnet-node-b"], GroupIds = ["sg-app", "sg-unknown"], PrivateDns = true },
            new("vpce-ecr", "Interface", "com.amazonaws.us-west-2.ecr.api") { SubnetIds = ["subnet-node-a"] },
            new("vpce-gwlb", "GatewayLoadBalancer", "com.amazonaws.vpce.us-west-2.vpce-svc-0abc") { SubnetIds = ["subnet-pub-a"] },
        ],
    };

    /// <summary>An EKS cluster on <see cref="Everything"/>'s node subnets, with two node groups (nodeGroups) and what the format cannot hold.</summary>
    public static EksFacts Cluster { get; } = new(
        "zoo-eks",
        "1.33",
        "172.20.0.0/16",
        PublicAccess: true,
        PrivateAccess: false,
        ["203.0.113.0/24"],
        "sg-eks",
        "ABCDEF.gr7.us-west-2.eks.amazonaws.com",
        [
            new("general", ["m6i.large"], 2, 3, 6, "1.33.0-20250101") { KubernetesVersion = "1.32", DiskSizeGiB = 50, AmiType = "AL2023_x86_64_STANDARD" },
            new("true", ["m7g.large", "m6g.large"], 1, 1, 3, null) { AmiType = "BOTTLEROCKET_ARM_64", Labels = ["team=zoo"], Taints = ["dedicated=zoo:NoSchedule"], LaunchTemplate = "lt-0abc" },
        ])
    {
        LogTypes = ["api", "audit"],
        SecretsKmsKeyArn = "arn:aws:kms:us-west-2:123456789012:key/0123abcd-0123-4567-89ab-0123456789ab",
    };

    /// <summary>
    /// <see cref="Everything"/> with one NAT gateway (natGateway.zone), in the second zone, and the
    /// first zone's nodes routed out through an appliance (discover then writes bootstrap and private access).
    /// </summary>
    public static LiveVpc OneNatNodesThroughAppliance { get; } = Everything with
    {
        NatGateways = [new("nat-b", "subnet-pub-b")],
        RouteTables = [.. Everything.RouteTables.Select(t => t.Id == "rtb-private-a"
            ? t with { Routes = [new("0.0.0.0/0", LiveTargetKind.Appliance, "i-0f1f1f1f1f1f1f1f1"), .. t.Routes.Where(r => r.Destination != "0.0.0.0/0" && r.TargetId != "nat-ff0e0d0c0b0a05678")] }
            : t)],
    };

    /// <summary>The same cluster with one node group (nodeGroup) and no service CIDR given.</summary>
    public static EksFacts OneNodeGroup { get; } = Cluster with { ServiceCidr = null, PrivateAccess = true, NodeGroups = [Cluster.NodeGroups[0]], LogTypes = [] };
}
