using Infra.Emit;
using Infra.Review;
using Infra.Tests.Harness;

namespace Infra.Tests;

/// <summary>The one catalogue of resource types, and how check reads references back.</summary>
public sealed class ResourceTypeTests
{
    [Theory]
    [InlineData("qas")]
    [InlineData("dev")]
    public void Every_resource_pins_the_version_of_its_catalogued_package(string stack)
    {
        var program = ProgramSnapshot.Parse(TestStacks.Program(stack), stack);
        Assert.NotEmpty(program.Resources);
        foreach (var resource in program.Resources.Where(r => r["(options).provider"] is null))
        {
            var type = ResourceTypes.Find(resource.Type);
            Assert.True(type is { Emitted: true }, $"{resource.Name}: {resource.Type} is not an emitted type of the catalogue");
            // The versions pulumi-typecheck verifies the program against (its README), not the catalogue's own.
            var expected = resource.Type.Split(':')[resource.Type.StartsWith("pulumi:providers:", StringComparison.Ordinal) ? 2 : 0] switch
            {
                "aws" => "7.48.0",
                "eks" => "4.3.0",
                "kubernetes" => "4.34.2",
                var other => throw new InvalidOperationException($"no pinned version known for package {other}"),
            };
            Assert.Equal(expected, resource["(options).version"]);
        }
    }

    [Theory]
    [InlineData("aws:ec2:Route", ResourceRole.Routing)]
    [InlineData("aws:vpc:SecurityGroupIngressRule", ResourceRole.Security)]
    [InlineData("aws:iam:Role", ResourceRole.Security)]
    [InlineData("eks:ManagedNodeGroup", ResourceRole.Cluster)]
    [InlineData("kubernetes:helm.sh/v3:Release", ResourceRole.Cluster)]
    [InlineData("aws:ec2:Subnet", ResourceRole.Network)]
    public void Plan_takes_each_types_role_from_the_catalogue(string token, ResourceRole role) =>
        Assert.Equal(role, Plan.RoleOf(token));

    [Fact]
    public void Tokens_are_unique_and_name_their_package()
    {
        Assert.Equal(ResourceTypes.All.Count, ResourceTypes.All.Select(t => t.Token).Distinct().Count());
        Assert.All(ResourceTypes.All, t => Assert.True(t.Token.StartsWith(t.Package.Name + ":", StringComparison.Ordinal) || t.Token == $"pulumi:providers:{t.Package.Name}", t.Token));
    }

    [Theory]
    [InlineData("${security-group--nodes}", "security-group--nodes")]
    [InlineData("${security-group--nodes.id}", "security-group--nodes")]
    [InlineData("${eks-cluster.eksCluster.vpcConfig.clusterSecurityGroupId}", "eks-cluster")]
    [InlineData("${subnets[0]}", "subnets")]
    [InlineData("$${security-group--nodes}", null)]
    [InlineData("sg-0da734f201fa4ca64", null)]
    [InlineData("${a}-${b}", null)]
    [InlineData("${a.id}x", null)]
    [InlineData("${}", null)]
    [InlineData(null, null)]
    public void A_reference_is_read_as_the_yaml_runtime_reads_it(string? value, string? name) =>
        Assert.Equal(name, ProgramSnapshot.ReferencedName(value));
}
