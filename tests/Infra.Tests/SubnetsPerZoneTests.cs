using Infra.Tests.Harness;

namespace Infra.Tests;

/// <summary>
/// Several subnets of a role in a zone (issue 29, item 2), as adopted VPCs have them: on the
/// adopted example (two node subnets in us-east-1b) under the mock engine. The second is created
/// in its zone, tagged by role and routed as its table says; the zone's first is the one the
/// design uses, the one the load balancer controller finds.
/// </summary>
public sealed class SubnetsPerZoneTests
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
}
