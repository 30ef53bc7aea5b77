using Infra.Tests.Harness;

namespace Infra.Tests;

/// <summary>
/// What adopted VPCs have (issue 29, item 2), on the adopted example under the mock engine:
/// several subnets of a role in a zone (two node subnets in us-east-1b: the second is created in
/// its zone, tagged by role and routed as its table says; the zone's first is the one the design
/// uses, the one the load balancer controller finds), and a Gateway Load Balancer endpoint a route
/// sends traffic to for inspection.
/// </summary>
public sealed class AdoptedExampleTests
{
    private static readonly Lazy<MockDeployment> Adopted = new(() =>
    {
        var result = InfraCli.Run("compile", "--stack", "adopted", "--dir", Repo.Path("examples"));
        Assert.True(result.ExitCode == 0, result.Stderr);
        return MockEngine.Run(result.Stdout, PulumiRun.StackConfigAt("examples/Pulumi.adopted.yaml"));
    });

    private static MockResource First => Adopted.Value.Named("subnet-nodes-us-east-1b");

    private static MockResource Second => Adopted.Value.Named("subnet-nodes-us-east-1b--2");

    [Fact]
    public void The_second_subnet_is_created_in_its_zone_with_its_block_and_original()
    {
        Assert.Equal(("10.160.2.0/24", "us-east-1b"), (Second.Input("cidrBlock"), Second.Input("availabilityZone")));
        Assert.Equal("subnet-0a1b2c3d4e5f60725", Second.Input("tags.ReplicaOf"));
        Assert.Equal("leadertools-adopted-vpc-nodes-us-east-1b-2", Second.Input("tags.Name"));
    }

    [Fact]
    public void Only_the_zones_first_carries_the_load_balancer_controllers_tag()
    {
        Assert.Equal("1", First.Inputs["tags"]!["kubernetes.io/role/internal-elb"]?.GetValue<string>());
        Assert.False(Second.Inputs["tags"]!.AsObject().ContainsKey("kubernetes.io/role/internal-elb"));
        Assert.Equal("nodes", Second.Input("tags.Tier"));
    }

    [Fact]
    public void The_second_subnet_is_associated_with_the_table_that_names_it()
    {
        var association = Adopted.Value.Named("route-table-association--private-b--nodes-us-east-1b--2");
        Assert.Equal(Second.Id, association.Input("subnetId"));
        Assert.Equal(Adopted.Value.Named("route-table--private-b").Id, association.Input("routeTableId"));
    }

    [Fact]
    public void The_subnet_ids_output_names_it_by_zone_and_place()
    {
        var nodes = Adopted.Value.Outputs["subnetIds"]!["nodes"]!.AsObject();
        Assert.Equal(["us-east-1a", "us-east-1b", "us-east-1b/2"], nodes.Select(kv => kv.Key));
        Assert.Equal(Second.Id, nodes["us-east-1b/2"]!.GetValue<string>());
    }

    /// <summary>
    /// trace leaves from a zone's second subnet through its own table, and hands what the table
    /// sends to a Gateway Load Balancer endpoint to the appliances behind it, said as assumed.
    /// </summary>
    [Fact]
    public void Trace_leaves_a_zones_second_subnet_through_its_table_and_hands_off_to_the_inspection_endpoint()
    {
        var result = InfraCli.Run("trace", "--stack", "adopted", "--dir", Repo.Path("examples"), "--from", "nodes/us-east-1b/2", "--to", "192.168.1.1", "--port", "443", "--format", "json");
        Assert.True(result.ExitCode == 0, result.Stderr);
        var trace = System.Text.Json.Nodes.JsonNode.Parse(result.Stdout)!;
        Assert.Equal(("nodes/us-east-1b/2", "private-b", "vpc-endpoint/inspection", true),
            (trace["sourceSubnet"]!.GetValue<string>(), trace["routeTable"]!.GetValue<string>(), trace["target"]!.GetValue<string>(), trace["reachable"]!.GetValue<bool>()));
        Assert.Contains("assumed to pass it on", trace["path"]!.AsArray().Last()!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_inspection_endpoint_is_an_interface_in_one_subnet_that_the_route_targets()
    {
        var endpoint = Adopted.Value.Named("endpoint--inspection");
        Assert.Equal(("GatewayLoadBalancer", "com.amazonaws.vpce.us-east-1.vpce-svc-0a1b2c3d4e5f60726"), (endpoint.Input("vpcEndpointType"), endpoint.Input("serviceName")));
        Assert.Equal([Adopted.Value.Named("subnet-public-us-east-1b").Id], endpoint.Inputs["subnetIds"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.Null(endpoint.Input("privateDnsEnabled"));
        var route = Assert.Single(Adopted.Value.OfType("aws:ec2:Route"), r => r.Input("destinationCidrBlock") == "192.168.0.0/16");
        Assert.Equal(endpoint.Id, route.Input("vpcEndpointId"));
        var ipv6 = Assert.Single(Adopted.Value.OfType("aws:ec2:Route"), r => r.Input("destinationIpv6CidrBlock") == "2001:db8:50::/48");
        Assert.Equal(endpoint.Id, ipv6.Input("vpcEndpointId"));
        Assert.Equal(Adopted.Value.Named("route-table--private-b").Id, ipv6.Input("routeTableId"));
        var corporate = Assert.Single(Adopted.Value.OfType("aws:ec2:Route"), r => r.Input("destinationIpv6CidrBlock") == "2001:db8:10::/48");
        Assert.Equal("tgw-0a1b2c3d4e5f60719", corporate.Input("transitGatewayId"));
    }

    /// <summary>The partner route leaves through the private NAT gateway, which sits in a subnet the main table sends on to the transit gateway.</summary>
    [Fact]
    public void The_partner_network_goes_through_the_private_nat_gateway_in_its_own_subnet()
    {
        var nat = Adopted.Value.Named("private-nat-gateway--partner");
        Assert.Equal("private", nat.Input("connectivityType"));
        Assert.Null(nat.Input("allocationId"));
        Assert.Equal(Adopted.Value.Named("subnet-nodes-us-east-1a").Id, nat.Input("subnetId"));
        var route = Assert.Single(Adopted.Value.OfType("aws:ec2:Route"), r => r.Input("destinationCidrBlock") == "10.70.0.0/16");
        Assert.Equal(nat.Id, route.Input("natGatewayId"));
    }

    /// <summary>trace follows the private NAT gateway one hop: its own subnet's table sends the partner network on to the transit gateway.</summary>
    [Fact]
    public void Trace_follows_the_private_nat_gateway_to_its_subnets_route()
    {
        var result = InfraCli.Run("trace", "--stack", "adopted", "--dir", Repo.Path("examples"), "--from", "nodes/us-east-1b", "--to", "10.70.1.1", "--port", "443", "--format", "json");
        Assert.True(result.ExitCode == 0, result.Stderr);
        var trace = System.Text.Json.Nodes.JsonNode.Parse(result.Stdout)!;
        Assert.Equal(("private-nat-gateway/partner", true), (trace["target"]!.GetValue<string>(), trace["reachable"]!.GetValue<bool>()));
        var hops = trace["path"]!.AsArray().ToDictionary(h => h!["step"]!.GetValue<string>(), h => h!["detail"]!.GetValue<string>());
        Assert.StartsWith("main (rtb-0a1b2c3d4e5f60718), the route table of nodes/us-east-1a", hops["onward table"], StringComparison.Ordinal);
        Assert.StartsWith("10.0.0.0/8 -> tgw-0a1b2c3d4e5f60719", hops["onward route"], StringComparison.Ordinal);
        Assert.StartsWith("transit gateway tgw-0a1b2c3d4e5f60719", hops["onward target"], StringComparison.Ordinal);
    }

    /// <summary>The partner NAT gateway's own subnet sends the partner network on to the transit gateway: INFRA018 stays silent.</summary>
    [Fact]
    public void Check_finds_the_private_nat_gateway_sends_somewhere()
    {
        var result = InfraCli.Run("check", "--stack", "adopted", "--dir", Repo.Path("examples"), "--format", "json");
        var findings = System.Text.Json.Nodes.JsonNode.Parse(result.Stdout)!["findings"]!.AsArray();
        Assert.DoesNotContain(findings, f => f!["ruleId"]!.GetValue<string>() == "INFRA018");
        Assert.Contains(findings, f => f!["ruleId"]!.GetValue<string>() == "INFRA017");
    }

    /// <summary>The diagram draws the private NAT gateway in its subnet, where the partner route ends.</summary>
    [Fact]
    public void The_diagram_draws_the_private_nat_gateway_where_its_route_ends()
    {
        var result = InfraCli.Run("diagram", "--stack", "adopted", "--dir", Repo.Path("examples"));
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Contains("private_nat_gateway_partner[\"private NAT gateway partner<br>nat-0a1b2c3d4e5f60727\"]", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("-- \"10.70.0.0/16\" --> private_nat_gateway_partner", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("private_nat_gateway_partner --- subnet_nodes_us_east_1a", result.Stdout, StringComparison.Ordinal);
    }
}
