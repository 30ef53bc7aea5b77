using System.Text.Json.Nodes;
using Infra.Emit;
using Infra.Review;
using Infra.Tests.Harness;

namespace Infra.Tests;

/// <summary>
/// diff tells a replacement from an update (issue 19, item 1): per resource create, update,
/// replace or delete; for a replacement the property that forces it (from the providers' rules in
/// <see cref="Replacements"/>) and what it drags along; stateful replacements loudly; exit 4.
/// </summary>
public sealed class DiffReplacementTests
{
    private static string Golden => Repo.Path("tests", "Infra.Tests", "golden", "qas.yaml");

    private static (CompilerResult Result, JsonNode? Json) DiffEdited(string find, string replace, string format = "json")
    {
        using var project = new TempProject("diff-replace").WithStack("qas", TempProject.EditedStack("qas", find, replace));
        var result = InfraCli.Run("diff", "--stack", "qas", "--dir", project.Directory, "--base", Golden, "--format", format);
        return (result, format == "json" && result.Stdout.Length > 0 ? JsonNode.Parse(result.Stdout) : null);
    }

    private static JsonNode Resource(JsonNode diff, string name) => diff["resources"]!.AsArray().Single(r => r!["name"]!.GetValue<string>() == name)!;

    [Fact]
    public void Renaming_the_cluster_replaces_it_forced_by_its_name_and_exits_five_as_protected()
    {
        var (result, diff) = DiffEdited("name: leadertools-qas ", "name: leadertools-qas2 ");
        // Replacing a protected resource is refused at apply (APPLY007): exit 5 outranks 4.
        Assert.Equal(5, result.ExitCode);
        var cluster = Resource(diff!, "eks-cluster");
        Assert.Equal("replace", cluster["action"]!.GetValue<string>());
        Assert.True(cluster["stateful"]!.GetValue<bool>());
        Assert.Contains(cluster["replaceReasons"]!.AsArray(), r => r!["path"]!.GetValue<string>() == "name");
    }

    [Fact]
    public void Text_output_warns_loudly_of_a_stateful_replacement()
    {
        var (result, _) = DiffEdited("name: leadertools-qas ", "name: leadertools-qas2 ", "text");
        Assert.Contains("WARNING: ", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("eks-cluster (eks:Cluster) is REPLACED", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("-/+ eks-cluster (eks:Cluster) REPLACE (delete, then create) !! stateful", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void A_subnet_cidr_change_replaces_the_subnet_and_what_refers_to_it_by_a_forcing_input()
    {
        var (result, diff) = DiffEdited("us-west-2a: { cidr: 10.142.39.0/25", "us-west-2a: { cidr: 10.142.38.0/25");
        Assert.Equal(5, result.ExitCode);
        var subnet = Resource(diff!, "subnet-public-us-west-2a");
        Assert.Equal("replace", subnet["action"]!.GetValue<string>());
        Assert.Equal("cidrBlock", subnet["replaceReasons"]![0]!["path"]!.GetValue<string>());
        // The association's subnetId forces replacement (vpc_route_table_association.go ForceNew).
        var association = diff!["resources"]!.AsArray().First(r => r!["name"]!.GetValue<string>().StartsWith("route-table-association--public-hybrid--public-us-west-2a", StringComparison.Ordinal))!;
        Assert.Equal("replace", association["action"]!.GetValue<string>());
        Assert.Contains("subnet-public-us-west-2a", association["replaceReasons"]![0]!["why"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_new_route_target_is_an_update_in_place()
    {
        var (result, diff) = DiffEdited("{ destination: 64.47.4.88/32, target: aviatrix-primary, purpose: External Partner }\n        - { destination: 192.168.0.0/16, target: aviatrix-primary, purpose: RFC 1918 Private }\n        - { destination: 172.16.0.0/12, target: aviatrix-primary, purpose: RFC 1918 Private }\n        - { destination: 10.0.0.0/8, target: aviatrix-primary, purpose: RFC 1918 Private }\n        - { destination: 0.0.0.0/0, target: aviatrix-primary",
            "{ destination: 64.47.4.88/32, target: aviatrix-primary, purpose: External Partner }\n        - { destination: 192.168.0.0/16, target: aviatrix-primary, purpose: RFC 1918 Private }\n        - { destination: 172.16.0.0/12, target: aviatrix-primary, purpose: RFC 1918 Private }\n        - { destination: 10.0.0.0/8, target: aviatrix-primary, purpose: RFC 1918 Private }\n        - { destination: 0.0.0.0/0, target: aviatrix-secondary");
        Assert.Equal(2, result.ExitCode);
        var route = diff!["resources"]!.AsArray().Single(r => r!["name"]!.GetValue<string>().StartsWith("route--main--0-0-0-0-0", StringComparison.Ordinal))!;
        Assert.Equal("update", route["action"]!.GetValue<string>());
        Assert.Empty(route["replaceReasons"]!.AsArray());
    }

    [Fact]
    public void Created_resources_carry_no_plugin_version_row()
    {
        var old = ProgramSnapshot.Parse(TestStacks.Program("dev"), "dev");
        var @new = ProgramSnapshot.Parse(TestStacks.Program("qas"), "qas");
        var diff = ProgramDiff.Compare(old, @new, "dev", "qas");
        Assert.All(diff.Resources.Where(r => r.Action == "create"), r => Assert.DoesNotContain(r.Changes, c => c.Path == "(options).version"));
    }

    [Fact]
    public void A_provider_version_change_is_shown_once_as_an_upgrade()
    {
        var program = TestStacks.Program("qas");
        var upgraded = program.Replace("version: 7.48.0", "version: 7.50.0", StringComparison.Ordinal);
        var diff = ProgramDiff.Compare(ProgramSnapshot.Parse(program, "a"), ProgramSnapshot.Parse(upgraded, "b"), "a", "b");
        var upgrade = Assert.Single(diff.ProviderUpgrades);
        Assert.Equal(("aws", "7.48.0", "7.50.0"), (upgrade.Package, upgrade.From, upgrade.To));
        Assert.DoesNotContain(diff.Resources, r => r.Changes.Any(c => c.Path == "(options).version"));
        Assert.True(diff.HasChanges);
    }

    [Fact]
    public void Every_emitted_resource_type_has_a_cited_replacement_rule()
    {
        Assert.All(ResourceTypes.All, t => Assert.True(Replacements.ByType.ContainsKey(t.Token), $"{t.Token} has no replacement rule"));
        Assert.All(Replacements.ByType.Values, r => Assert.Matches(@"\.(go|ts)\b", r.Source));
    }

    [Theory]
    // terraform-provider-aws ForceNew / pulumi-eks / pulumi-kubernetes facts, one per row.
    [InlineData("aws:ec2:Vpc", "cidrBlock", true)]
    [InlineData("aws:ec2:Vpc", "tags.Name", false)]
    [InlineData("aws:ec2:Subnet", "availabilityZone", true)]
    [InlineData("aws:ec2:Route", "networkInterfaceId", false)]
    [InlineData("aws:ec2:Route", "destinationCidrBlock", true)]
    [InlineData("aws:ec2:RouteTableAssociation", "routeTableId", false)]
    [InlineData("aws:ec2:SecurityGroup", "description", true)]
    [InlineData("aws:iam:RolePolicy", "policy", false)]
    [InlineData("eks:Cluster", "name", true)]
    [InlineData("eks:Cluster", "version", false)]
    [InlineData("eks:Cluster", "subnetIds[0]", false)]
    [InlineData("eks:ManagedNodeGroup", "instanceTypes[0]", true)]
    [InlineData("eks:ManagedNodeGroup", "launchTemplate.version", false)]
    [InlineData("eks:ManagedNodeGroup", "scalingConfig.maxSize", false)]
    [InlineData("kubernetes:helm.sh/v3:Release", "version", false)]
    [InlineData("kubernetes:helm.sh/v3:Release", "namespace", true)]
    [InlineData("kubernetes:yaml/v2:ConfigGroup", "objs[1].metadata.name", true)]
    public void A_property_forces_replacement_as_its_provider_says(string type, string path, bool forces) =>
        Assert.Equal(forces, Replacements.ByType[type].Forcing.Any(f => Replacements.Covers(f, path)));
}
