using Infra.Tests.Harness;

namespace Infra.Tests;

/// <summary>The qas network of the guide, asserted on the program Pulumi would run, under mocks.</summary>
public sealed class NetworkTests
{
    private static MockDeployment Qas => TestStacks.Qas;

    [Fact]
    public void Vpc_has_the_guides_primary_cidr() =>
        Assert.Equal("10.142.32.0/21", Qas.OfType("aws:ec2:Vpc").Single().Input("cidrBlock"));

    [Fact]
    public void Vpc_is_named_as_in_the_guide() =>
        Assert.Equal("leadertools-qas-vpc", Qas.OfType("aws:ec2:Vpc").Single().Tag("Name"));

    [Fact]
    public void Vpc_has_dns_support_and_hostnames()
    {
        var vpc = Qas.OfType("aws:ec2:Vpc").Single();
        Assert.Equal("true", vpc.Input("enableDnsSupport"));
        Assert.Equal("true", vpc.Input("enableDnsHostnames"));
    }

    [Fact]
    public void Secondary_cidr_for_pods_is_associated_with_the_vpc()
    {
        var association = Qas.OfType("aws:ec2:VpcIpv4CidrBlockAssociation").Single();
        Assert.Equal("100.96.32.0/21", association.Input("cidrBlock"));
        Assert.Equal(Qas.OfType("aws:ec2:Vpc").Single().Id, association.Input("vpcId"));
    }

    [Theory]
    [InlineData("public", "us-west-2a", "10.142.39.0/25")]
    [InlineData("public", "us-west-2b", "10.142.39.128/25")]
    [InlineData("nodes", "us-west-2a", "10.142.36.0/24")]
    [InlineData("nodes", "us-west-2b", "10.142.37.0/24")]
    [InlineData("pods", "us-west-2a", "100.96.32.0/22")]
    [InlineData("pods", "us-west-2b", "100.96.36.0/22")]
    public void Subnet_has_the_guides_cidr_and_zone(string role, string zone, string cidr)
    {
        var subnet = Qas.OfType("aws:ec2:Subnet").Single(s => s.Input("cidrBlock") == cidr);
        Assert.Equal(zone, subnet.Input("availabilityZone"));
        Assert.Equal(role, subnet.Tag("Tier"));
        Assert.Equal($"leadertools-qas-vpc-{role}-{zone}", subnet.Tag("Name"));
        Assert.Equal(Qas.OfType("aws:ec2:Vpc").Single().Id, subnet.Input("vpcId"));
    }

    [Fact]
    public void There_are_exactly_the_six_subnets_of_the_guide() =>
        Assert.Equal(6, Qas.OfType("aws:ec2:Subnet").Count());

    [Theory]
    [InlineData("10.142.39.0/25", "subnet-0de9b50b551f454d0")]
    [InlineData("10.142.39.128/25", "subnet-03597db27bc94efd6")]
    [InlineData("100.96.32.0/22", "subnet-09d92cbf937adefe5")]
    [InlineData("100.96.36.0/22", "subnet-0282b6517b060ced4")]
    public void Subnet_records_the_id_of_the_subnet_it_replicates(string cidr, string id) =>
        Assert.Equal(id, Qas.OfType("aws:ec2:Subnet").Single(s => s.Input("cidrBlock") == cidr).Tag("ReplicaOf"));

    [Theory]
    [InlineData("10.142.39.0/25")]
    [InlineData("10.142.39.128/25")]
    public void Public_subnets_are_discoverable_for_internet_facing_load_balancers(string cidr)
    {
        var subnet = Qas.OfType("aws:ec2:Subnet").Single(s => s.Input("cidrBlock") == cidr);
        Assert.Equal("1", subnet.Tag("kubernetes.io/role/elb"));
        Assert.Null(subnet.Tag("kubernetes.io/role/internal-elb"));
        Assert.Equal("shared", subnet.Tag("kubernetes.io/cluster/leadertools-qas"));
    }

    [Theory]
    [InlineData("10.142.36.0/24")]
    [InlineData("10.142.37.0/24")]
    public void Node_subnets_are_discoverable_for_internal_load_balancers(string cidr)
    {
        var subnet = Qas.OfType("aws:ec2:Subnet").Single(s => s.Input("cidrBlock") == cidr);
        Assert.Equal("1", subnet.Tag("kubernetes.io/role/internal-elb"));
        Assert.Null(subnet.Tag("kubernetes.io/role/elb"));
        Assert.Equal("shared", subnet.Tag("kubernetes.io/cluster/leadertools-qas"));
    }

    [Theory]
    [InlineData("100.96.32.0/22")]
    [InlineData("100.96.36.0/22")]
    public void Pod_subnets_wait_for_the_secondary_cidr_and_carry_no_load_balancer_tags(string cidr)
    {
        var subnet = Qas.OfType("aws:ec2:Subnet").Single(s => s.Input("cidrBlock") == cidr);
        Assert.Contains(Qas.OfType("aws:ec2:VpcIpv4CidrBlockAssociation").Single().Name, subnet.DependsOn);
        Assert.Null(subnet.Tag("kubernetes.io/role/elb"));
        Assert.Null(subnet.Tag("kubernetes.io/role/internal-elb"));
    }

    [Fact]
    public void Internet_gateway_is_attached_to_the_vpc_and_replicates_the_guides()
    {
        var igw = Qas.OfType("aws:ec2:InternetGateway").Single();
        Assert.Equal(Qas.OfType("aws:ec2:Vpc").Single().Id, igw.Input("vpcId"));
        Assert.Equal("igw-0e74bf1068b4cd3dd", igw.Tag("ReplicaOf"));
    }

    [Fact]
    public void Nat_gateway_is_switched_off_in_qas()
    {
        Assert.Empty(Qas.OfType("aws:ec2:NatGateway"));
        Assert.Empty(Qas.OfType("aws:ec2:Eip"));
    }

    [Fact]
    public void Nat_gateway_when_switched_on_sits_in_a_public_subnet_with_its_eip()
    {
        var dev = TestStacks.Run("dev");
        var nat = dev.OfType("aws:ec2:NatGateway").Single();
        Assert.Equal(dev.OfType("aws:ec2:Eip").Single().Id, nat.Input("allocationId"));
        Assert.Equal("public", dev.ById(nat.Input("subnetId")!).Tag("Tier"));
    }

    [Fact]
    public void Outputs_give_the_vpc_id_and_subnet_ids_by_role_and_zone()
    {
        Assert.Equal(Qas.OfType("aws:ec2:Vpc").Single().Id, Qas.Outputs["vpcId"]!.GetValue<string>());
        var subnets = Qas.OfType("aws:ec2:Subnet").ToList();
        // The guide's six subnets: public, nodes and pods in each of two zones.
        Assert.Equal(6, subnets.Count);
        foreach (var subnet in subnets)
        {
            Assert.Equal(subnet.Id, Qas.Outputs["subnetIds"]![subnet.Tag("Tier")!]![subnet.Input("availabilityZone")!]!.GetValue<string>());
        }
    }

    [Fact]
    public void Outputs_give_every_route_table_id()
    {
        var ids = Qas.Outputs["routeTableIds"]!.AsObject().Select(kv => kv.Value!.GetValue<string>()).Order(StringComparer.Ordinal);
        var tables = Qas.OfType("aws:ec2:RouteTable").Concat(Qas.OfType("aws:ec2:DefaultRouteTable")).Select(t => t.Id).Order(StringComparer.Ordinal);
        Assert.Equal(tables, ids);
    }
}
