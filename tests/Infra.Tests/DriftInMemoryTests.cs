using Infra.Discovery;
using Infra.StackConfig;
using Infra.Tests.Harness;

namespace Infra.Tests;

/// <summary>
/// Drift on <see cref="LiveVpcZoo"/> without the emulator: the file discover writes is drift-clean
/// against the VPC it came from, and a change to what the file states is one finding at the key
/// to change (the moto tests do the same through EC2 for each kind of change).
/// </summary>
public sealed class DriftInMemoryTests
{
    private static (ValidatedEnvironment Env, StackFilePositions Positions) Discovered(LiveVpc vpc)
    {
        var dir = DiscoveryProject.Create("infra-drift-zoo-");
        var discovered = StackFileWriter.Write(vpc, "leadertools");
        File.WriteAllText(Path.Combine(dir, "Pulumi.zoo.yaml"), discovered.Text);
        var (spec, positions) = StackLoader.LoadLocated(new StackSource.StackFile(dir, "zoo"));
        return (ValidatedEnvironment.From(spec), positions);
    }

    public static TheoryData<string> Zoo() => [nameof(LiveVpcZoo.Everything), nameof(LiveVpcZoo.OneNatNodesThroughAppliance)];

    private static LiveVpc Vpc(string name) => name == nameof(LiveVpcZoo.Everything) ? LiveVpcZoo.Everything : LiveVpcZoo.OneNatNodesThroughAppliance;

    /// <summary>What discover left out (a second subnet, a third NAT gateway, routes to targets the format has no key for) is recorded and said, not drift.</summary>
    [Theory]
    [MemberData(nameof(Zoo))]
    public void The_file_discover_writes_is_drift_clean_against_its_vpc(string zoo)
    {
        var (env, positions) = Discovered(Vpc(zoo));

        var result = Drift.Compare(env, Vpc(zoo), positions);

        Assert.Empty(result.Findings);
        // What the file sets and the declarations say drift leaves alone is said, with why.
        Assert.Contains("vpc.name: a label: drift finds the VPC by its replicaOf id", result.NotCompared);
        Assert.Contains(result.NotCompared, n => n.StartsWith("securityGroups.*.description: EC2 cannot change a group's description", StringComparison.Ordinal));
        Assert.Contains(result.NotCompared, n => n.StartsWith("securityGroups.*.ingress[].description, securityGroups.*.egress[].description: a label", StringComparison.Ordinal));
        Assert.Contains(result.NotCompared, n => n.Contains("vpc.leftOut", StringComparison.Ordinal) && n.Contains("rtb-private-a:198.51.100.0/24", StringComparison.Ordinal));
    }

    /// <summary>A route the file left out is excused by its table and destination only: a new one of its kind is drift.</summary>
    [Fact]
    public void A_new_route_to_a_target_the_format_cannot_hold_is_still_drift()
    {
        var (env, _) = Discovered(LiveVpcZoo.Everything);
        var added = LiveVpcZoo.Everything with
        {
            RouteTables = [.. LiveVpcZoo.Everything.RouteTables.Select(t => t.Id == "rtb-private-b" ? t with { Routes = [.. t.Routes, new("198.51.100.0/24", LiveTargetKind.Unsupported, "cagw-0abc")] } : t)],
        };

        var finding = Assert.Single(Drift.Compare(env, added).Findings);

        Assert.Equal(("route-extra", "198.51.100.0/24 -> cagw-0abc", "leadertools:routeTables.private-b.routes"), (finding.Kind, finding.Live, finding.Key));
    }

    /// <summary>
    /// A route to an Outpost's local gateway keeps its id, as one to a transit gateway does: discover
    /// writes it (check then warns the new VPC must be associated with the local gateway's route
    /// table), the program routes to it by localGatewayId, and drift compares it.
    /// </summary>
    [Fact]
    public void A_route_to_a_local_gateway_is_written_emitted_and_compared()
    {
        var discovered = StackFileWriter.Write(LiveVpcZoo.Everything, "leadertools");
        Assert.Contains("- { destination: 198.18.0.0/15, target: lgw-0123456789abcdef0 }", discovered.Text, StringComparison.Ordinal);
        Assert.Contains("- { destination: \"2001:db8::/32\", target: tgw-0123456789abcdef0 }", discovered.Text, StringComparison.Ordinal);
        Assert.Contains("rtb-private-a:198.51.100.0/24", discovered.Text, StringComparison.Ordinal); // the carrier gateway's route: left out
        Assert.DoesNotContain("rtb-private-a:198.18.0.0/15", discovered.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("rtb-private-a:2001:db8::/32", discovered.Text, StringComparison.Ordinal);

        var (env, _) = Discovered(LiveVpcZoo.Everything);
        var route = Assert.Single(Infra.Emit.ProgramEmitter.Build(env).Resources, r => r.Type == "aws:ec2:Route" && r.Properties["localGatewayId"] is not null);
        Assert.Equal(new Infra.Emit.PString("lgw-0123456789abcdef0"), route.Properties["localGatewayId"]);
        Assert.Equal(new Infra.Emit.PString("198.18.0.0/15"), route.Properties["destinationCidrBlock"]);

        var moved = LiveVpcZoo.Everything with
        {
            RouteTables = [.. LiveVpcZoo.Everything.RouteTables.Select(t => t.Id == "rtb-private-a" ? t with { Routes = [.. t.Routes.Select(r => r.TargetId.StartsWith("lgw-", StringComparison.Ordinal) ? r with { TargetId = "lgw-0fedcba9876543210" } : r)] } : t)],
        };
        var finding = Assert.Single(Drift.Compare(env, moved).Findings);
        Assert.Contains("lgw-0fedcba9876543210", finding.Live, StringComparison.Ordinal);
        Assert.Equal("leadertools:routeTables.private-a.routes[5]", finding.Key);
    }

    /// <summary>An IPv6 route to an appliance is written by the gateway's name, emitted to its interface, and a retarget is one finding.</summary>
    [Fact]
    public void An_ipv6_route_to_an_appliance_is_written_emitted_and_compared()
    {
        var discovered = StackFileWriter.Write(LiveVpcZoo.Everything, "leadertools");
        Assert.Contains("- { destination: \"2001:db8:60::/48\", target: aviatrix-gw }", discovered.Text, StringComparison.Ordinal);

        var (env, _) = Discovered(LiveVpcZoo.Everything);
        var route = Assert.Single(Infra.Emit.ProgramEmitter.Build(env).Resources, r => r.Type == "aws:ec2:Route" && r.Properties["destinationIpv6CidrBlock"] == new Infra.Emit.PString("2001:db8:60::/48"));
        Assert.NotNull(route.Properties["networkInterfaceId"]);

        var moved = LiveVpcZoo.Everything with
        {
            RouteTables = [.. LiveVpcZoo.Everything.RouteTables.Select(t => t.Id == "rtb-private-a" ? t with { Routes = [.. t.Routes.Select(r => r.Destination == "2001:db8:60::/48" ? r with { TargetId = "eni-0f2f2f2f2f2f2f2f2" } : r)] } : t)],
        };
        var finding = Assert.Single(Drift.Compare(env, moved).Findings);
        Assert.Equal(("route-retargeted", "2001:db8:60::/48 -> eni-0f2f2f2f2f2f2f2f2"), (finding.Kind, finding.Live));
    }

    /// <summary>An IPv6 route to a stated Gateway Load Balancer endpoint is written as one to it, and compared by the endpoint's original.</summary>
    [Fact]
    public void An_ipv6_route_to_a_balancer_endpoint_is_written_and_compared()
    {
        var discovered = StackFileWriter.Write(LiveVpcZoo.Everything, "leadertools");
        var endpointName = discovered.Text.Split('\n').Select(l => l.Trim()).First(l => l.StartsWith("- { destination: 10.50.0.0/16, target: vpc-endpoint/", StringComparison.Ordinal)).Split("vpc-endpoint/")[1].TrimEnd('}', ' ');
        Assert.Contains($"- {{ destination: \"2001:db8:50::/48\", target: vpc-endpoint/{endpointName} }}", discovered.Text, StringComparison.Ordinal);

        var (env, _) = Discovered(LiveVpcZoo.Everything);
        var removed = LiveVpcZoo.Everything with
        {
            RouteTables = [.. LiveVpcZoo.Everything.RouteTables.Select(t => t.Id == "rtb-private-b" ? t with { Routes = [.. t.Routes.Where(r => r.Destination != "2001:db8:50::/48")] } : t)],
        };
        var finding = Assert.Single(Drift.Compare(env, removed).Findings);
        Assert.Equal(("route-missing", "2001:db8:50::/48 -> vpce-gwlb"), (finding.Kind, finding.Stack));
    }

    /// <summary>
    /// A private NAT gateway is written under privateNatGateways in its subnet, the route to it targets
    /// it by name, the program creates it without an Elastic IP, and drift sees it gone or moved.
    /// </summary>
    [Fact]
    public void A_private_nat_gateway_is_written_emitted_and_compared()
    {
        var discovered = StackFileWriter.Write(LiveVpcZoo.Everything, "leadertools");
        Assert.Contains("nat-0a0b0c0d0e0f01234: { subnet: nodes/us-west-2b, replicaOf: nat-0a0b0c0d0e0f01234 }", discovered.Text, StringComparison.Ordinal);
        Assert.Contains("- { destination: 10.60.0.0/16, target: private-nat-gateway/nat-0a0b0c0d0e0f01234 }", discovered.Text, StringComparison.Ordinal);

        var (env, _) = Discovered(LiveVpcZoo.Everything);
        var program = Infra.Emit.ProgramEmitter.Build(env);
        var nat = Assert.Single(program.Resources, r => r.Name == "private-nat-gateway--nat-0a0b0c0d0e0f01234");
        Assert.Equal(new Infra.Emit.PString("private"), nat.Properties["connectivityType"]);
        Assert.Null(nat.Properties["allocationId"]);
        Assert.Equal(new Infra.Emit.PString("${subnet-nodes-us-west-2b.id}"), nat.Properties["subnetId"]);
        var route = Assert.Single(program.Resources, r => r.Type == "aws:ec2:Route" && r.Properties["destinationCidrBlock"] == new Infra.Emit.PString("10.60.0.0/16"));
        Assert.Equal(new Infra.Emit.PString("${private-nat-gateway--nat-0a0b0c0d0e0f01234.id}"), route.Properties["natGatewayId"]);

        var gone = LiveVpcZoo.Everything with { NatGateways = [.. LiveVpcZoo.Everything.NatGateways.Where(n => !n.IsPrivate)] };
        Assert.Contains(Drift.Compare(env, gone).Findings, f => f.Kind == "nat-gateway" && f.Key == "leadertools:privateNatGateways.nat-0a0b0c0d0e0f01234.replicaOf");
        var moved = LiveVpcZoo.Everything with { NatGateways = [.. LiveVpcZoo.Everything.NatGateways.Select(n => n.IsPrivate ? n with { SubnetId = "subnet-node-a" } : n)] };
        var finding = Assert.Single(Drift.Compare(env, moved).Findings);
        Assert.Equal(("nat-gateway", "leadertools:privateNatGateways.nat-0a0b0c0d0e0f01234.subnet"), (finding.Kind, finding.Key));
        var added = LiveVpcZoo.Everything with { NatGateways = [.. LiveVpcZoo.Everything.NatGateways, new LiveNatGateway("nat-0fedcba9876543210", "subnet-node-a", IsPrivate: true)] };
        Assert.Equal(("nat-gateway", "leadertools:privateNatGateways"), (Assert.Single(Drift.Compare(env, added).Findings).Kind, Assert.Single(Drift.Compare(env, added).Findings).Key));
    }

    [Fact]
    public void An_appliance_in_another_subnet_is_one_finding_at_its_interface_subnet()
    {
        var (env, positions) = Discovered(LiveVpcZoo.Everything);
        var moved = LiveVpcZoo.Everything with
        {
            Gateways = [.. LiveVpcZoo.Everything.Gateways.Select(g => g.TargetId == "i-0f1f1f1f1f1f1f1f1" ? g with { SubnetId = "subnet-pub-b" } : g)],
        };

        var finding = Assert.Single(Drift.Compare(env, moved, positions).Findings);

        Assert.Equal("gateway", finding.Kind);
        Assert.Equal("leadertools:gateways.aviatrix-gw.interface.subnet", finding.Key);
        Assert.Equal("in public/us-west-2a (subnet-pub-a)", finding.Stack);
        Assert.Equal("in subnet-pub-b (10.0.1.0/24 in us-west-2b)", finding.Live);
        Assert.Equal("error", finding.Severity);
        Assert.NotNull(finding.Line);
    }

    /// <summary>A zone's second subnet of a role is stated (issue 29, item 2), so its deletion is drift, named at its list item.</summary>
    [Fact]
    public void A_zones_second_subnet_gone_is_one_finding_at_its_list_item()
    {
        var (env, positions) = Discovered(LiveVpcZoo.Everything);
        var gone = LiveVpcZoo.Everything with
        {
            Subnets = [.. LiveVpcZoo.Everything.Subnets.Where(s => s.Id != "subnet-node-a2")],
            RouteTables = [.. LiveVpcZoo.Everything.RouteTables.Select(t => t with { SubnetIds = [.. t.SubnetIds.Where(id => id != "subnet-node-a2")] })],
        };

        var findings = Drift.Compare(env, gone, positions).Findings;

        var subnet = Assert.Single(findings, f => f.Kind == "subnet");
        Assert.Equal(("leadertools:subnets.nodes.us-west-2a[1]", "subnet-node-a2", "(no such subnet in the VPC)"), (subnet.Key, subnet.LiveId, subnet.Live));
        Assert.Equal("leadertools:routeTables.private-a.subnets", Assert.Single(findings, f => f.Kind == "association").Key);
        Assert.Equal(2, findings.Count);
    }

    /// <summary>A route to a Gateway Load Balancer endpoint the stack states is compared by the endpoint's original: sent elsewhere, it is drift.</summary>
    [Fact]
    public void A_route_to_the_inspection_endpoint_sent_elsewhere_is_one_finding()
    {
        var (env, _) = Discovered(LiveVpcZoo.Everything);
        var retargeted = LiveVpcZoo.Everything with
        {
            RouteTables = [.. LiveVpcZoo.Everything.RouteTables.Select(t => t.Id == "rtb-private-b"
                ? t with { Routes = [.. t.Routes.Select(r => r.TargetId == "vpce-gwlb" && r.Family == LiveDestination.Ipv4 ? r with { Kind = LiveTargetKind.Appliance, TargetId = "i-0f1f1f1f1f1f1f1f1" } : r)] }
                : t)],
        };

        var finding = Assert.Single(Drift.Compare(env, retargeted).Findings);

        Assert.Equal(("route-retargeted", "10.50.0.0/16 -> vpce-gwlb", "leadertools:routeTables.private-b.routes[1]"), (finding.Kind, finding.Stack, finding.Key));
    }

    /// <summary>
    /// A subnet's IPv6 /64 is written as its place in the VPC's block, with its flags; each live
    /// change to them is one finding at the subnet's key, and a /64 of a block the stack does not
    /// ask for is left out and said as not compared.
    /// </summary>
    [Theory]
    [InlineData("subnet-pub-b", "2600:1f14:abc:de12::/64", true, true, "leadertools:subnets.public.us-west-2b.ipv6Index", "IPv6 /64 number 18 (2600:1f14:abc:de12::/64)")]
    [InlineData("subnet-pub-b", null, false, false, "leadertools:subnets.public.us-west-2b.ipv6Index", "no IPv6 block")]
    [InlineData("subnet-pub-b", "2600:1f14:abc:de11::/64", true, false, "leadertools:subnets.public.us-west-2b.dns64", "dns64: false")]
    [InlineData("subnet-node-a", "2600:1f14:abc:de00::/64", false, true, "leadertools:subnets.nodes.us-west-2a[0].assignIpv6", "assignIpv6: false")]
    [InlineData("subnet-node-b", "2600:1f14:abc:de07::/64", false, false, "leadertools:subnets.nodes.us-west-2b.ipv6Index", "IPv6 /64 number 7 (2600:1f14:abc:de07::/64)")]
    public void A_subnets_ipv6_block_and_flags_are_compared_by_their_place(string subnetId, string? block, bool assign, bool dns64, string key, string live)
    {
        var text = StackFileWriter.Write(LiveVpcZoo.Everything, "leadertools").Text;
        Assert.Contains("{ cidr: 10.0.1.0/24, replicaOf: subnet-pub-b, ipv6Index: 17, assignIpv6: true, dns64: true }", text, StringComparison.Ordinal);
        Assert.Contains("subnet-pod-a's IPv6 block 2600:1f14:abc:df05::/64: not a /64 of the VPC's first IPv6 block", text, StringComparison.Ordinal);
        // An IPv6-only subnet has no IPv4 block for the stack to hold: left out, named, recorded.
        Assert.Contains("left out: subnet-v6only in us-west-2b, IPv6 only (2600:1f14:abc:de20::/64)", text, StringComparison.Ordinal);
        Assert.Contains("    - subnet-v6only\n", text, StringComparison.Ordinal);
        var (env, positions) = Discovered(LiveVpcZoo.Everything);
        Assert.Contains(Drift.Compare(env, LiveVpcZoo.Everything, positions).NotCompared, n => n.StartsWith("1 subnet IPv6 block(s) the stack cannot state", StringComparison.Ordinal));
        var changed = LiveVpcZoo.Everything with
        {
            Subnets = [.. LiveVpcZoo.Everything.Subnets.Select(s => s.Id == subnetId ? s with { Ipv6Cidrs = block is null ? [] : [block], AssignIpv6OnCreation = assign, Dns64 = dns64 } : s)],
        };

        var finding = Assert.Single(Drift.Compare(env, changed).Findings);

        Assert.Equal(("subnet-ipv6", key, live), (finding.Kind, finding.Key, finding.Live));
    }

    /// <summary>
    /// NAT64: an IPv6 route to a NAT gateway the file keeps is written by the NAT gateway's name,
    /// emitted to it, and compared; pointed at another NAT gateway live, it is one finding.
    /// </summary>
    [Fact]
    public void A_nat64_route_is_written_emitted_and_compared()
    {
        var text = StackFileWriter.Write(LiveVpcZoo.Everything, "leadertools").Text;
        Assert.Contains("- { destination: \"64:ff9b::/96\", target: nat-gateway/us-west-2a }", text, StringComparison.Ordinal);
        var (env, _) = Discovered(LiveVpcZoo.Everything);
        var route = Assert.Single(Infra.Emit.ProgramEmitter.Build(env).Resources, r => r.Name == "route-ipv6--public--64-ff9b-96");
        Assert.Equal(new Infra.Emit.PString("${nat-gateway.id}"), route.Properties["natGatewayId"]);
        var program = Infra.Review.ProgramSnapshot.Parse(Infra.Emit.ProgramEmitter.Render(Infra.Emit.ProgramEmitter.Build(env)), "zoo");
        Assert.DoesNotContain(Infra.Review.PolicyCheck.Run(env, program).Findings, f => f.RuleId == "INFRA019");

        var retargeted = LiveVpcZoo.Everything with
        {
            RouteTables = [.. LiveVpcZoo.Everything.RouteTables.Select(t => t.Id == "rtb-public" ? t with { Routes = [.. t.Routes.Select(r => r.Destination == "64:ff9b::/96" ? r with { TargetId = "nat-b" } : r)] } : t)],
        };
        var finding = Assert.Single(Drift.Compare(env, retargeted).Findings);
        Assert.Equal(("route-retargeted", "leadertools:routeTables.public.ipv6Routes[0]"), (finding.Kind, finding.Key));
    }

    /// <summary>
    /// A zone's further public NAT gateway is written under publicNatGateways and compared: gone,
    /// it is one finding at its replicaOf; one more beside the zone's is one at publicNatGateways.
    /// </summary>
    [Fact]
    public void A_further_public_nat_gateway_is_written_and_compared()
    {
        var text = StackFileWriter.Write(LiveVpcZoo.Everything, "leadertools").Text;
        Assert.Contains("nat-ff0e0d0c0b0a05678: { subnet: public/us-west-2a, replicaOf: nat-ff0e0d0c0b0a05678 }", text, StringComparison.Ordinal);
        Assert.Contains("- { destination: 203.0.113.0/24, target: public-nat-gateway/nat-ff0e0d0c0b0a05678 }", text, StringComparison.Ordinal);
        var (env, _) = Discovered(LiveVpcZoo.Everything);

        var gone = LiveVpcZoo.Everything with { NatGateways = [.. LiveVpcZoo.Everything.NatGateways.Where(n => n.Id != "nat-ff0e0d0c0b0a05678")] };
        Assert.Contains(Drift.Compare(env, gone).Findings, f => (f.Kind, f.Key) == ("nat-gateway", "leadertools:publicNatGateways.nat-ff0e0d0c0b0a05678.replicaOf"));

        var added = LiveVpcZoo.Everything with { NatGateways = [.. LiveVpcZoo.Everything.NatGateways, new("nat-0123456789abcdef0", "subnet-pub-b")] };
        var finding = Assert.Single(Drift.Compare(env, added).Findings);
        Assert.Equal(("nat-gateway", "leadertools:publicNatGateways", "nat-0123456789abcdef0"), (finding.Kind, finding.Key, finding.LiveId));
    }
}
