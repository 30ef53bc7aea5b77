using System.Text.Json.Nodes;
using Infra.Tests.Harness;

namespace Infra.Tests;

/// <summary>
/// Where each gateway lives: a route in the VPC this program creates can only target an interface
/// in that VPC (EC2 rejects a route to another VPC's interface: "belong to different networks").
/// </summary>
public sealed class GatewayTests
{
    private static MockDeployment Qas => TestStacks.Qas;

    private static MockResource InterfaceReplicating(string instanceId) =>
        Qas.OfType("aws:ec2:NetworkInterface").Single(i => i.Tag("ReplicaOf") == instanceId);

    [Theory]
    [InlineData("i-0919b0c12ffebfc98", "10.142.39.0/25", "us-west-2a")]
    [InlineData("i-022003229928b80a1", "10.142.39.128/25", "us-west-2b")]
    public void Each_guide_gateway_gets_an_interface_in_a_public_subnet_of_this_vpc(string guideInstance, string publicCidr, string zone)
    {
        var eni = InterfaceReplicating(guideInstance);
        var subnet = Qas.ById(eni.Input("subnetId")!);
        Assert.Equal(publicCidr, subnet.Input("cidrBlock"));
        Assert.Equal(zone, subnet.Input("availabilityZone"));
        Assert.Equal(Qas.OfType("aws:ec2:Vpc").Single().Id, subnet.Input("vpcId"));
    }

    [Fact]
    public void Gateway_interfaces_forward_traffic_for_others()
    {
        // The guide's two Aviatrix gateways: an interface each.
        var interfaces = Qas.OfType("aws:ec2:NetworkInterface").ToList();
        Assert.Equal(2, interfaces.Count);
        Assert.All(interfaces, eni => Assert.Equal("false", eni.Input("sourceDestCheck")));
    }

    [Theory]
    [InlineData("10.142.32.0/21")]
    [InlineData("100.96.32.0/21")]
    public void Gateway_interfaces_admit_everything_the_vpc_routes_through_them(string vpcCidr)
    {
        var group = Qas.ById(InterfaceReplicating("i-0919b0c12ffebfc98").Inputs["securityGroups"]![0]!.GetValue<string>());
        Assert.Contains(Qas.OfType("aws:vpc:SecurityGroupIngressRule"), r => r.Input("securityGroupId") == group.Id && r.Input("cidrIpv4") == vpcCidr && r.Input("ipProtocol") == "-1");
        Assert.Contains(Qas.OfType("aws:vpc:SecurityGroupEgressRule"), r => r.Input("securityGroupId") == group.Id && r.Input("cidrIpv4") == "0.0.0.0/0");
    }

    [Fact]
    public void Interface_ids_are_exported_for_the_appliances_to_attach()
    {
        var ids = Qas.Outputs["gatewayInterfaceIds"]!.AsObject();
        Assert.Equal(InterfaceReplicating("i-0919b0c12ffebfc98").Id, ids["aviatrix-primary"]!.GetValue<string>());
        Assert.Equal(InterfaceReplicating("i-022003229928b80a1").Id, ids["aviatrix-secondary"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("qas")]
    [InlineData("dev")]
    public void Every_route_to_an_interface_targets_one_this_program_creates_in_its_own_vpc(string stack)
    {
        var deployment = TestStacks.Run(stack);
        var vpc = deployment.OfType("aws:ec2:Vpc").Single().Id;
        var routes = deployment.OfType("aws:ec2:Route").Where(r => r.Input("networkInterfaceId") is not null).ToList();
        Assert.NotEmpty(routes);
        Assert.All(routes, route =>
        {
            var eni = deployment.ById(route.Input("networkInterfaceId")!);
            Assert.Equal("aws:ec2:NetworkInterface", eni.Type);
            Assert.Equal(vpc, deployment.ById(eni.Input("subnetId")!).Input("vpcId"));
        });
    }

    [Fact]
    public void Second_phase_routes_to_the_appliance_the_user_states_is_in_this_vpc()
    {
        var config = PulumiRun.StackConfig("qas");
        config["leadertools:gateways"] = JsonNode.Parse("""{"aviatrix-primary":{"existing":{"instanceId":"i-0aaaaaaaaaaaaaaa1","inThisVpc":true}},"aviatrix-secondary":{"existing":{"networkInterfaceId":"eni-0bbbbbbbbbbbbbbb2","inThisVpc":true}}}""");
        var result = PulumiRun.Compile("qas", config);
        Assert.Equal(0, result.ExitCode);
        var deployment = MockEngine.Run(result.Stdout, config);
        var targets = deployment.OfType("aws:ec2:Route").Select(r => r.Input("networkInterfaceId")).Where(t => t is not null).ToHashSet();
        Assert.Equal(new HashSet<string?> { Mocks.EniOf("i-0aaaaaaaaaaaaaaa1"), "eni-0bbbbbbbbbbbbbbb2" }, targets);
        Assert.Empty(deployment.OfType("aws:ec2:NetworkInterface"));
    }
}

/// <summary>Who writes the routes to the gateways (issue 18, item 8).</summary>
public sealed class GatewayRouteOwnerTests
{
    private static MockDeployment WithOwner(string owner)
    {
        var config = PulumiRun.StackConfig("qas");
        config["leadertools:gatewayRoutes"] = System.Text.Json.Nodes.JsonNode.Parse($$"""{"managedBy":"{{owner}}"}""");
        var result = PulumiRun.Compile("qas", config);
        Assert.Equal(0, result.ExitCode);
        return MockEngine.Run(result.Stdout, config);
    }

    [Fact]
    public void With_the_appliance_owning_them_the_program_writes_no_route_to_a_gateway()
    {
        var routes = WithOwner("appliance").OfType("aws:ec2:Route").ToList();
        Assert.DoesNotContain(routes, r => r.Input("networkInterfaceId") is not null);
        // The internet routes stay the program's: 0.0.0.0/0 of public-internet and public-hybrid.
        Assert.Equal(2, routes.Count(r => r.Input("gatewayId") is not null));
    }

    [Fact]
    public void By_default_the_program_writes_all_thirteen_gateway_routes() =>
        // main: seven routes to the Aviatrix gateways; public-hybrid: six.
        Assert.Equal(13, WithOwner("stack").OfType("aws:ec2:Route").Count(r => r.Input("networkInterfaceId") is not null));
}
