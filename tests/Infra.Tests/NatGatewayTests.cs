using Infra.Review;
using Infra.Tests.Harness;

namespace Infra.Tests;

/// <summary>
/// A NAT gateway per zone (issue 29, item 2): `natGateway.zones` puts one in each zone's public
/// subnet, routes name theirs `nat-gateway/ZONE`, and the first zone's keeps the one NAT gateway's
/// resource names, so that moving dev from `zone` to `zones` only adds.
/// </summary>
public sealed class NatGatewayTests
{
    /// <summary>dev with a NAT gateway in each zone, and a table of its own for the second zone's private subnets.</summary>
    private static string DevPerZone(string natTarget = "nat-gateway/us-east-1a") =>
        TempProject.Edited(
            TempProject.Edited(
                TempProject.EditedStack("dev", "    zone: us-east-1a\n", "    zones: [us-east-1a, us-east-1b]\n"),
                "        - { destination: 0.0.0.0/0, target: nat-gateway, purpose: Internet via NAT }\n",
                $"        - {{ destination: 0.0.0.0/0, target: {natTarget}, purpose: Internet via NAT }}\n"),
            "    public:\n      subnets:",
            "    private-b:\n      subnets: [nodes/us-east-1b, pods/us-east-1b]\n      routes:\n        - { destination: 10.0.0.0/8, target: transit, purpose: Corporate }\n        - { destination: 0.0.0.0/0, target: nat-gateway/us-east-1b, purpose: Internet via the zone's NAT }\n    public:\n      subnets:");

    private static (int ExitCode, ProgramSnapshot? Program, string Stderr) Compile(string stackText)
    {
        using var project = new TempProject("nat").WithStack("dev", stackText);
        var result = InfraCli.Run("compile", "--stack", "dev", "--dir", project.Directory);
        return (result.ExitCode, result.ExitCode == 0 ? ProgramSnapshot.Parse(result.Stdout, "program") : null, result.Stderr);
    }

    [Fact]
    public void Each_zone_gets_its_nat_gateway_and_each_tables_default_route_its_zones()
    {
        var (exit, program, stderr) = Compile(DevPerZone());
        Assert.True(exit == 0, stderr);
        var nats = program!.Resources.Where(r => r.Type == "aws:ec2:NatGateway").ToDictionary(r => r.Name, r => r.Properties["subnetId"]);
        Assert.Equal(new Dictionary<string, string>
        {
            // The first zone's keeps the single NAT gateway's name; the second is named by its zone.
            ["nat-gateway"] = "${subnet-public-us-east-1a.id}",
            ["nat-gateway--us-east-1b"] = "${subnet-public-us-east-1b.id}",
        }, nats);
        Assert.Equal(2, program.Resources.Count(r => r.Type == "aws:ec2:Eip"));
        string DefaultRouteOf(string table) => program.Resources.Single(r => r.Type == "aws:ec2:Route" && r.Properties.GetValueOrDefault("destinationCidrBlock") == "0.0.0.0/0"
            && r.Properties["routeTableId"].Contains(table, StringComparison.Ordinal)).Properties["natGatewayId"];
        Assert.Equal("${nat-gateway--us-east-1b.id}", DefaultRouteOf("private-b"));
        Assert.Equal("${nat-gateway.id}", DefaultRouteOf("main"));
    }

    [Fact]
    public void Moving_from_zone_to_zones_keeps_the_first_nat_gateway()
    {
        var before = ProgramSnapshot.Parse(TestStacks.Program("dev"), "base");
        var (_, after, _) = Compile(DevPerZone());
        var diff = ProgramDiff.Compare(before, after!, "base", "head");
        Assert.DoesNotContain(diff.Resources, c => c.Name is "nat-gateway" or "nat-eip");
        Assert.Contains(diff.Resources, c => c.Name == "nat-gateway--us-east-1b" && c.Action == "create");
        Assert.Equal(0, diff.Replaced + diff.Deleted);
    }

    [Theory]
    [InlineData("nat-gateway", "with a NAT gateway in each of several zones, name the zone's: nat-gateway/us-east-1a, nat-gateway/us-east-1b")]
    [InlineData("nat-gateway/us-east-1c", "no NAT gateway in us-east-1c (natGateway zones: us-east-1a, us-east-1b)")]
    public void A_route_names_a_nat_gateway_the_stack_has(string target, string message)
    {
        var (exit, program, stderr) = Compile(DevPerZone(target));
        Assert.Equal(1, exit);
        Assert.Null(program);
        Assert.Contains("leadertools:routeTables.main.routes[1].target", stderr, StringComparison.Ordinal);
        Assert.Contains(message, stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Zone_and_zones_together_are_one_message()
    {
        var (exit, _, stderr) = Compile(TempProject.EditedStack("dev", "    zone: us-east-1a\n", "    zone: us-east-1a\n    zones: [us-east-1a, us-east-1b]\n"));
        Assert.Equal(1, exit);
        Assert.Contains("leadertools:natGateway.zones", stderr, StringComparison.Ordinal);
        Assert.Contains("give `zone` or `zones`, not both", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Trace_leaves_through_the_zones_own_nat_gateway()
    {
        using var project = new TempProject("nat-trace").WithStack("dev", DevPerZone());
        var result = InfraCli.Run("trace", "--stack", "dev", "--dir", project.Directory, "--from", "pods/us-east-1b", "--to", "8.8.8.8", "--format", "json");
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("nat-gateway/us-east-1b", System.Text.Json.Nodes.JsonNode.Parse(result.Stdout)!["target"]!.GetValue<string>());
    }

    /// <summary>
    /// A public NAT gateway stated by name (publicNatGateways) beside the zone's: its own Elastic IP,
    /// made after the internet gateway, routes to it by name, and trace says the packet leaves with
    /// that gateway's address.
    /// </summary>
    [Fact]
    public void A_public_nat_gateway_stated_by_name_has_its_own_address_and_routes()
    {
        var stack = DevWithPartnerNat();
        using var project = new TempProject("nat").WithStack("dev", stack);
        var compiled = InfraCli.Run("compile", "--stack", "dev", "--dir", project.Directory);
        Assert.True(compiled.ExitCode == 0, compiled.Stderr);
        var program = ProgramSnapshot.Parse(compiled.Stdout, "program");
        var nat = program.Resources.Single(r => r.Name == "public-nat-gateway--partner");
        Assert.Equal("${public-nat-eip--partner.id}", nat["allocationId"]);
        Assert.Equal("${subnet-public-us-east-1b.id}", nat["subnetId"]);
        Assert.Equal("nat-0123456789abcdef0", nat["tags.ReplicaOf"]);
        Assert.Equal("vpc", program.Resources.Single(r => r.Name == "public-nat-eip--partner")["domain"]);
        Assert.Equal("${public-nat-gateway--partner.id}", program.Resources.Single(r => r.Type == "aws:ec2:Route" && r["destinationCidrBlock"] == "203.0.113.0/24")["natGatewayId"]);

        var trace = TraceSteps(project.Directory, "203.0.113.5");
        Assert.StartsWith("public NAT gateway partner in public/us-east-1b: the source is rewritten to its address", trace["target"], StringComparison.Ordinal);
        Assert.Equal("public, the route table of public/us-east-1b, where the NAT gateway sits", trace["onward table"]);
        Assert.Equal("internet gateway: out to the internet from the NAT gateway's Elastic IP", trace["onward target"]);
    }

    /// <summary>trace from dev's nodes in us-east-1a to <paramref name="to"/>: each step's detail, by step, and whether it arrives.</summary>
    private static Dictionary<string, string> TraceSteps(string directory, string to)
    {
        var result = InfraCli.Run("trace", "--stack", "dev", "--dir", directory, "--from", "nodes/us-east-1a", "--to", to, "--port", "443", "--format", "json");
        Assert.True(result.Stdout.Length > 0, result.Stderr);
        var json = System.Text.Json.Nodes.JsonNode.Parse(result.Stdout)!;
        var steps = json["path"]!.AsArray().ToDictionary(h => h!["step"]!.GetValue<string>(), h => h!["detail"]!.GetValue<string>());
        steps["reachable"] = json["reachable"]!.GetValue<bool>() ? "yes" : "no";
        return steps;
    }

    /// <summary>
    /// A NAT gateway whose own subnet's table sends the destination to an appliance: the packet goes
    /// there from the NAT gateway's private address, not its Elastic IP, and trace says so.
    /// </summary>
    [Fact]
    public void A_nat_gateways_own_table_decides_where_the_packet_goes_on()
    {
        var stack = TempProject.Edited(
            TempProject.EditedStack(
                "dev",
                "        - { destination: 0.0.0.0/0, target: nat-gateway, purpose: Internet via NAT }\n",
                "        - { destination: 0.0.0.0/0, target: nat-gateway, purpose: Internet via NAT }\n        - { destination: 172.20.0.0/16, target: nat-gateway, purpose: The lab network through NAT }\n"),
            "        - { destination: 0.0.0.0/0, target: internet-gateway, purpose: Internet }\n",
            "        - { destination: 0.0.0.0/0, target: internet-gateway, purpose: Internet }\n        - { destination: 172.20.0.0/16, target: transit, purpose: The lab network }\n");
        using var project = new TempProject("nat").WithStack("dev", stack);

        var trace = TraceSteps(project.Directory, "172.20.0.10");

        Assert.Equal("172.20.0.0/16 -> transit (The lab network), longest matching prefix", trace["onward route"]);
        Assert.EndsWith("the packet comes from the NAT gateway's private address (only the internet gateway gives it the Elastic IP)", trace["onward target"], StringComparison.Ordinal);
        Assert.Equal("yes", trace["reachable"]);
    }

    /// <summary>
    /// A NAT gateway moved to another subnet is replaced, and its successor needs the same Elastic
    /// IP, which serves one NAT gateway at a time: the program deletes the old one first, and the
    /// review says so (made first, the successor would fail: pulumi/pulumi-aws issue 1483).
    /// </summary>
    [Fact]
    public void A_nat_gateway_moved_to_another_subnet_is_deleted_before_its_successor_is_made()
    {
        var before = ProgramSnapshot.Parse(TestStacks.Program("dev"), "base");
        var (exit, after, stderr) = Compile(TempProject.EditedStack("dev", "    zone: us-east-1a\n", "    zone: us-east-1b\n"));
        Assert.True(exit == 0, stderr);

        var nat = Assert.Single(ProgramDiff.Compare(before, after!, "base", "head").Resources, c => c.Name == "nat-gateway");

        Assert.Equal("replace", nat.Action);
        Assert.True(nat.Order!.DeleteFirst);
        Assert.Contains("Elastic IP serves one NAT gateway at a time", nat.Order.Why, StringComparison.Ordinal);
    }

    /// <summary>dev with a public NAT gateway stated by name, <paramref name="name"/>, in us-east-1b, and a partner's network routed through it.</summary>
    private static string DevWithPartnerNat(string name = "partner") =>
        TempProject.Edited(
            TempProject.EditedStack("dev", "  leadertools:gateways:\n", $"  leadertools:publicNatGateways:\n    {name}: {{ subnet: public/us-east-1b, replicaOf: nat-0123456789abcdef0 }}\n  leadertools:gateways:\n"),
            "        - { destination: 0.0.0.0/0, target: nat-gateway, purpose: Internet via NAT }\n",
            $"        - {{ destination: 0.0.0.0/0, target: nat-gateway, purpose: Internet via NAT }}\n        - {{ destination: 203.0.113.0/24, target: public-nat-gateway/{name}, purpose: The partner allows this gateway's address only }}\n");

    /// <summary>An Elastic IP deleted (here by renaming its NAT gateway) is said to give up the address partners allow.</summary>
    [Fact]
    public void An_elastic_ip_deleted_is_said_to_change_the_address_traffic_leaves_with()
    {
        var (_, before, _) = Compile(DevWithPartnerNat());
        var (_, after, _) = Compile(DevWithPartnerNat("vendor"));

        var released = Assert.Single(ProgramDiff.Compare(before!, after!, "base", "head").Resources, c => c.Name == "public-nat-eip--partner");

        Assert.Equal("delete", released.Action);
        Assert.Contains(released.Effects, e => e.StartsWith("its public address is released for good", StringComparison.Ordinal));
    }
}
