using Infra.Tests.Harness;

namespace Infra.Tests;

/// <summary>Routes of the guide's route tables, and where packets go because of them.</summary>
public sealed class RoutingTests
{
    /// <summary>The interface in this VPC that stands for the guide's primary Aviatrix instance.</summary>
    private static string Primary => InterfaceReplicating("i-0919b0c12ffebfc98");

    private static string Secondary => InterfaceReplicating("i-022003229928b80a1");

    private static string InterfaceReplicating(string instanceId) =>
        Qas.OfType("aws:ec2:NetworkInterface").Single(i => i.Tag("ReplicaOf") == instanceId).Id;

    /// <summary>The guide's corporate and RFC 1918 routes of the main table, to the Aviatrix gateways.</summary>
    private static (string Destination, string Target)[] CorporateRoutes =>
    [
        ("208.75.9.40/32", Primary),
        ("208.75.11.75/32", Secondary),
        ("64.47.4.88/32", Primary),
        ("192.168.0.0/16", Primary),
        ("172.16.0.0/12", Primary),
        ("10.0.0.0/8", Primary),
    ];

    private static MockDeployment Qas => TestStacks.Qas;

    private static string InternetGateway => Qas.OfType("aws:ec2:InternetGateway").Single().Id;

    private static MockResource TableReplicating(string id) =>
        Qas.OfType("aws:ec2:RouteTable").Concat(Qas.OfType("aws:ec2:DefaultRouteTable")).Single(t => t.Tag("ReplicaOf") == id);

    [Fact]
    public void Main_table_manages_the_vpcs_default_route_table()
    {
        var main = TableReplicating("rtb-0af593cb336560f42");
        Assert.Equal("aws:ec2:DefaultRouteTable", main.Type);
        Assert.Equal(Qas.OfType("aws:ec2:Vpc").Single().Outputs["defaultRouteTableId"]!.GetValue<string>(), main.Input("defaultRouteTableId"));
    }

    [Fact]
    public void Main_table_has_every_route_of_the_guide_and_nothing_else()
    {
        (string, string)[] guide = [.. CorporateRoutes, ("0.0.0.0/0", Primary)];
        Assert.Equal(guide.Order(), DeployedRouting.RoutesOf(Qas, TableReplicating("rtb-0af593cb336560f42")).Order());
    }

    [Fact]
    public void Public_internet_table_has_only_the_default_route_to_the_internet_gateway() =>
        Assert.Equal([("0.0.0.0/0", InternetGateway)], DeployedRouting.RoutesOf(Qas, TableReplicating("rtb-0f638339c9e32354e")));

    [Fact]
    public void Public_hybrid_table_routes_corporate_networks_to_aviatrix_and_the_rest_to_the_internet_gateway()
    {
        (string, string)[] expected = [.. CorporateRoutes, ("0.0.0.0/0", InternetGateway)];
        Assert.Equal(expected.Order(), DeployedRouting.RoutesOf(Qas, TableReplicating("rtb-0c706da088d700de3")).Order());
    }

    [Fact]
    public void Both_public_subnets_are_associated_with_the_hybrid_table_and_nothing_else_is_associated()
    {
        var hybrid = TableReplicating("rtb-0c706da088d700de3");
        var associated = Qas.OfType("aws:ec2:RouteTableAssociation").Select(a => (Subnet: Qas.ById(a.Input("subnetId")!).Tag("ReplicaOf"), Table: a.Input("routeTableId"))).Order();
        Assert.Equal([("subnet-03597db27bc94efd6", hybrid.Id), ("subnet-0de9b50b551f454d0", hybrid.Id)], associated);
    }

    [Theory]
    [InlineData("100.96.32.10", "208.75.11.75")]
    [InlineData("100.96.36.20", "208.75.11.75")]
    [InlineData("10.142.36.15", "208.75.11.75")]
    public void Corporate_backup_route_goes_through_the_secondary_gateway(string source, string destination) =>
        Assert.Equal(Secondary, DeployedRouting.NextHop(Qas, source, destination));

    [Theory]
    [InlineData("100.96.32.10", "8.8.8.8")]
    [InlineData("100.96.32.10", "208.75.9.40")]
    [InlineData("100.96.32.10", "64.47.4.88")]
    [InlineData("100.96.32.10", "10.1.2.3")]
    [InlineData("100.96.32.10", "172.31.0.1")]
    [InlineData("100.96.32.10", "192.168.1.1")]
    [InlineData("10.142.37.200", "8.8.8.8")]
    public void Pods_and_nodes_reach_everything_outside_the_vpc_through_the_primary_gateway(string source, string destination) =>
        Assert.Equal(Primary, DeployedRouting.NextHop(Qas, source, destination));

    [Theory]
    [InlineData("10.142.39.10", "8.8.8.8")]
    [InlineData("10.142.39.200", "1.1.1.1")]
    public void Public_subnets_default_route_is_the_internet_gateway(string source, string destination) =>
        Assert.Equal(InternetGateway, DeployedRouting.NextHop(Qas, source, destination));

    [Theory]
    [InlineData("10.142.39.10", "10.0.0.1", "i-0919b0c12ffebfc98")]
    [InlineData("10.142.39.200", "208.75.9.40", "i-0919b0c12ffebfc98")]
    [InlineData("10.142.39.200", "208.75.11.75", "i-022003229928b80a1")]
    public void Public_subnets_send_corporate_traffic_to_aviatrix(string source, string destination, string aviatrixInstance) =>
        Assert.Equal(InterfaceReplicating(aviatrixInstance), DeployedRouting.NextHop(Qas, source, destination));

    [Theory]
    [InlineData("100.96.32.10", "100.96.36.20")]
    [InlineData("10.142.36.10", "100.96.32.11")]
    [InlineData("10.142.39.10", "10.142.36.10")]
    public void Traffic_inside_the_vpc_stays_local_whatever_the_cidr(string source, string destination) =>
        Assert.Equal(DeployedRouting.Local, DeployedRouting.NextHop(Qas, source, destination));

    [Fact]
    public void Routes_to_the_aviatrix_gateways_use_the_network_interface_looked_up_from_the_instance()
    {
        var targets = Qas.OfType("aws:ec2:Route").Select(r => r.Input("networkInterfaceId")).OfType<string>().Distinct().Order(StringComparer.Ordinal);
        Assert.Equal(new[] { Primary, Secondary }.Order(StringComparer.Ordinal), targets);
    }

    /// <summary>
    /// A route to a transit gateway or peering connection the stack does not own names it by its id
    /// (issue 29, item 2), on the property the aws provider's Route has for it, and `check` warns
    /// that AWS needs the VPC attached or peered first (INFRA017).
    /// </summary>
    [Theory]
    [InlineData("tgw-0123456789abcdef0", "transitGatewayId")]
    [InlineData("pcx-0123abcd", "vpcPeeringConnectionId")]
    public void A_route_to_a_transit_gateway_or_peering_connection_names_it_by_id(string id, string property)
    {
        using var project = new TempProject("existing-target").WithStack("dev", TempProject.EditedStack("dev", "destination: 10.0.0.0/8, target: transit", $"destination: 10.0.0.0/8, target: {id}"));
        var compiled = InfraCli.Run("compile", "--stack", "dev", "--dir", project.Directory);
        Assert.True(compiled.ExitCode == 0, compiled.Stderr);
        var route = Infra.Review.ProgramSnapshot.Parse(compiled.Stdout, "program").Resources
            .Single(r => r.Type == "aws:ec2:Route" && r.Properties.TryGetValue("destinationCidrBlock", out var d) && d == "10.0.0.0/8");
        Assert.Equal(id, route.Properties[property]);
        Assert.DoesNotContain("networkInterfaceId", route.Properties.Keys);
        var check = InfraCli.Run("check", "--stack", "dev", "--dir", project.Directory);
        Assert.Contains($"INFRA017", check.Stdout, StringComparison.Ordinal);
        Assert.Contains(id, Prose.Flat(check.Stdout), StringComparison.Ordinal);
    }

    [Fact]
    public void A_malformed_transit_gateway_id_is_one_message_naming_the_key()
    {
        using var project = new TempProject("existing-target-bad").WithStack("dev", TempProject.EditedStack("dev", "destination: 10.0.0.0/8, target: transit", "destination: 10.0.0.0/8, target: tgw-xyz"));
        var compiled = InfraCli.Run("compile", "--stack", "dev", "--dir", project.Directory);
        Assert.Equal(1, compiled.ExitCode);
        Assert.Equal("", compiled.Stdout);
        Assert.Contains("leadertools:routeTables.main.routes[0].target", compiled.Stderr, StringComparison.Ordinal);
        Assert.Contains("not a transit gateway, peering connection or local gateway id", compiled.Stderr, StringComparison.Ordinal);
    }
}
