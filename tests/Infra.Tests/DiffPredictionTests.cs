using System.Text.Json.Nodes;
using Infra.Review;
using Infra.Tests.Harness;

namespace Infra.Tests;

/// <summary>
/// diff says what `pulumi up` will do (issue 28, items 1-4): node rolls, provider configuration,
/// replacement order and exact accounting. Each expectation cites the provider, bridge, component or
/// engine source it comes from.
/// </summary>
public sealed class DiffPredictionTests
{
    private static string Golden => Repo.Path("tests", "Infra.Tests", "golden", "qas.yaml");

    private static (CompilerResult Result, JsonNode? Json) DiffEdited(string find, string replace, string format = "json")
    {
        using var project = new TempProject("diff-predict").WithStack("qas", TempProject.EditedStack("qas", find, replace));
        var result = InfraCli.Run("diff", "--stack", "qas", "--dir", project.Directory, "--base", Golden, "--format", format);
        return (result, format == "json" && result.Stdout.Length > 0 ? JsonNode.Parse(result.Stdout) : null);
    }

    private static JsonNode Resource(JsonNode diff, string name) => diff["resources"]!.AsArray().Single(r => r!["name"]!.GetValue<string>() == name)!;

    private static IEnumerable<string> Strings(JsonNode? node) => node?.AsArray().Select(x => x!.GetValue<string>()) ?? [];

    private static DiffResult SnapshotDiff(Func<string, string> edit)
    {
        var golden = File.ReadAllText(Golden);
        return ProgramDiff.Compare(ProgramSnapshot.Parse(golden, "a"), ProgramSnapshot.Parse(edit(golden), "b"), "a", "b");
    }

    [Fact]
    public void The_golden_program_against_itself_says_nothing()
    {
        var diff = SnapshotDiff(p => p);
        Assert.False(diff.HasChanges);
        Assert.Empty(diff.Resources);
        Assert.Empty(diff.Values);
    }

    /// <summary>
    /// terraform-provider-aws ec2/ec2_launch_template.go: CustomizeDiff ComputedIf("latest_version")
    /// on any change but name, description and the default version; the node group's
    /// launchTemplate.version refers to it, and EKS replaces every node for a new template version,
    /// one at a time by default (EKS User Guide, "Understand each phase of node updates": maxUnavailable
    /// defaults to one node; pulumi-eks v4.3.0 offers no updateConfig input).
    /// </summary>
    [Fact]
    public void A_new_ami_release_rolls_every_node_and_says_how()
    {
        var (_, diff) = DiffEdited("amiReleaseVersion: \"1.36.2-20260714\"", "amiReleaseVersion: \"1.36.2-20260801\"");
        Assert.Equal("update", Resource(diff!, "node-launch-template")["action"]!.GetValue<string>());
        var nodeGroup = Resource(diff!, "node-group");
        Assert.Equal("update", nodeGroup["action"]!.GetValue<string>());
        Assert.Contains(nodeGroup["changes"]!.AsArray(), c => c!["path"]!.GetValue<string>().StartsWith("launchTemplate.version", StringComparison.Ordinal));
        Assert.Equal(["rolls all 2 nodes (max unavailable 1): each is drained, its pods rescheduled, and replaced by a node from the new launch template version"], Strings(nodeGroup["effects"]));
    }

    [Fact]
    public void A_root_volume_change_rolls_the_nodes_too()
    {
        var diff = SnapshotDiff(p => p.Replace("volumeSize: 20", "volumeSize: 40", StringComparison.Ordinal));
        var nodeGroup = diff.Resources.Single(r => r.Name == "node-group");
        Assert.StartsWith("rolls all 2 nodes", Assert.Single(nodeGroup.Effects), StringComparison.Ordinal);
    }

    /// <summary>
    /// pulumi-aws provider/tags.go merges the provider's default tags into each tagged resource's
    /// tagsAll during Check: a new default tag updates every tagged aws resource, those the eks
    /// components create included. A template's tags alone make no new version (tags are not among
    /// ec2_launch_template.go's update keys), though preview shows its latest version unknown.
    /// </summary>
    [Fact]
    public void A_new_default_tag_updates_every_tagged_resource_and_rolls_no_node()
    {
        var (_, diff) = DiffEdited("      ManagedBy: pulumi\n", "      ManagedBy: pulumi\n      CostCenter: cc-42\n");
        var program = ProgramSnapshot.Parse(File.ReadAllText(Golden), "golden");
        var tagged = program.Resources.Where(r => Infra.Emit.ResourceTypes.Find(r.Type) is { } t && (t.Taggable && r.Type.StartsWith("aws:", StringComparison.Ordinal) || t.Package == Infra.Emit.PulumiPackage.Eks)).Select(r => r.Name).ToHashSet();
        var updated = diff!["resources"]!.AsArray().Where(r => r!["changes"]!.AsArray().Any(c => c!["path"]!.GetValue<string>().StartsWith("tagsAll", StringComparison.Ordinal))).Select(r => r!["name"]!.GetValue<string>()).ToHashSet();
        Assert.Equal(tagged.Order(), updated.Order());
        Assert.Contains("no node is expected to roll", Strings(Resource(diff!, "node-group")["effects"]).Single(), StringComparison.Ordinal);
    }

    /// <summary>
    /// pulumi-aws v7 provider/region.go copies the provider's region into each resource, whose
    /// forceNewIfRegionChanges replaces it; the provider itself is not replaced (pulumi-aws#5656).
    /// </summary>
    [Fact]
    public void A_new_region_replaces_every_aws_resource_and_updates_the_provider()
    {
        var diff = SnapshotDiff(p => p.Replace("      region: us-west-2\n    options:\n      version: 7.48.0", "      region: us-east-2\n    options:\n      version: 7.48.0", StringComparison.Ordinal));
        Assert.Equal("update", diff.Resources.Single(r => r.Type == "pulumi:providers:aws").Action);
        var aws = diff.Resources.Where(r => r.Type.StartsWith("aws:", StringComparison.Ordinal)).ToList();
        Assert.Equal(ProgramSnapshot.Parse(File.ReadAllText(Golden), "g").Resources.Count(r => r.Type.StartsWith("aws:", StringComparison.Ordinal)), aws.Count);
        Assert.All(aws, r => Assert.Equal("replace", r.Action));
        Assert.Contains(aws, r => r.ReplaceReasons.Any(x => x.Path == "(provider) region"));
    }

    /// <summary>
    /// pulumi-terraform-bridge pkg/tfbridge nameRequiresDeleteBeforeReplace: a name the provider would
    /// auto-name, given by the program, makes the replacement delete first; pulumi-eks v4.3.0 passes
    /// the cluster's name to aws:eks:Cluster, which pulumi-aws auto-names.
    /// </summary>
    [Fact]
    public void A_service_cidr_change_deletes_the_cluster_before_its_successor_exists()
    {
        var (result, diff) = DiffEdited("serviceCidr: 172.20.0.0/16", "serviceCidr: 172.21.0.0/16");
        Assert.Equal(5, result.ExitCode);
        var cluster = Resource(diff!, "eks-cluster");
        Assert.Equal("replace", cluster["action"]!.GetValue<string>());
        Assert.True(cluster["order"]!["deleteFirst"]!.GetValue<bool>());
        Assert.Contains("nothing of it exists in between", cluster["order"]!["why"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    /// <summary>An auto-named resource (an IAM role the program names by tag only) is replaced the default way: its successor first.</summary>
    [Fact]
    public void An_auto_named_resource_is_replaced_successor_first()
    {
        var diff = SnapshotDiff(p => p.Replace("description: EKS worker nodes and pod ENIs", "description: EKS nodes", StringComparison.Ordinal));
        var group = diff.Resources.Single(r => r.Name == "security-group--nodes");
        Assert.Equal("replace", group.Action);
        Assert.False(group.Order!.DeleteFirst);
    }

    /// <summary>AWS refuses a second private-DNS interface endpoint for one service in a VPC (terraform-provider-aws#17535): the program deletes first.</summary>
    [Fact]
    public void A_replaced_private_dns_endpoint_is_deleted_first_because_the_program_says_so()
    {
        Assert.All(ProgramSnapshot.Parse(File.ReadAllText(Golden), "g").Resources.Where(r => r["privateDnsEnabled"] == "true"), r => Assert.Equal("true", r["(options).deleteBeforeReplace"]));
        var diff = SnapshotDiff(p => p.Replace("serviceName: com.amazonaws.us-west-2.ssm\n", "serviceName: com.amazonaws.us-west-2.ssm-fips\n", StringComparison.Ordinal));
        var endpoint = diff.Resources.Single(r => r.Name == "vpc-endpoint--ssm");
        Assert.True(endpoint.Order!.DeleteFirst);
        Assert.Contains("conflicting DNS domain", endpoint.Order.Why, StringComparison.Ordinal);
    }

    /// <summary>
    /// pulumi pkg/resource/deploy/step_generator.go: a resource whose inputs are the same is a same
    /// step, its new protect and dependencies written to the state; display.go shows a protect change
    /// and hides a dependsOn-only one. Neither is an update.
    /// </summary>
    [Fact]
    public void Protect_or_depends_on_alone_is_no_update_step()
    {
        var diff = SnapshotDiff(p => p
            .Replace("  eks-vpc:\n    type: aws:ec2:Vpc\n    properties:\n      cidrBlock: 10.142.32.0/21\n      enableDnsSupport: true\n      enableDnsHostnames: true\n      tags:\n        Name: leadertools-qas-vpc\n        Project: leadertools\n        Environment: qas\n        ManagedBy: pulumi\n    options:\n      protect: true\n",
                "  eks-vpc:\n    type: aws:ec2:Vpc\n    properties:\n      cidrBlock: 10.142.32.0/21\n      enableDnsSupport: true\n      enableDnsHostnames: true\n      tags:\n        Name: leadertools-qas-vpc\n        Project: leadertools\n        Environment: qas\n        ManagedBy: pulumi\n    options:\n", StringComparison.Ordinal)
            .Replace("        - ${irsa-role-policy--load-balancer-controller--inline}\n", "", StringComparison.Ordinal));
        Assert.Equal(0, diff.Updated);
        Assert.Equal("unprotect", diff.Resources.Single(r => r.Name == "eks-vpc").Action);
        Assert.Equal("state-only", diff.Resources.Single(r => r.Name == "load-balancer-controller").Action);
        Assert.All(diff.Resources, r => Assert.False(r.CallsProvider));
    }

    /// <summary>caller-identity is a provider function's answer, not a resource: its going is not a deletion.</summary>
    [Fact]
    public void A_variable_that_goes_is_not_a_deleted_resource()
    {
        var diff = SnapshotDiff(p => p.Replace("variables:\n  caller-identity:\n    fn::invoke:\n      function: aws:getCallerIdentity\n      arguments: {}\n      options:\n        version: 7.48.0\n      return: accountId\n", "", StringComparison.Ordinal));
        Assert.Equal(0, diff.Deleted);
        Assert.Empty(diff.Resources);
        Assert.Equal("delete", diff.Values.Single(v => v.Name == "caller-identity").Action);
    }

    /// <summary>One warning gone is one change, keyed by rule, resource and config key, not every later warning moving up.</summary>
    [Fact]
    public void Policy_warnings_are_compared_by_rule_and_key()
    {
        var (_, diff) = DiffEdited("  leadertools:cluster:\n", "  leadertools:cluster:\n    accessEntries:\n      ci:\n        principalArn: arn:aws:iam::123456789012:role/ci\n        policy: clusterAdmin\n");
        var warnings = diff!["values"]!.AsArray().Single(v => v!["name"]!.GetValue<string>() == "policyWarnings")!;
        var change = Assert.Single(warnings["changes"]!.AsArray())!;
        Assert.Equal("INFRA013 eks-cluster (leadertools:cluster.accessEntries)", change["path"]!.GetValue<string>());
        Assert.Null(change["new"]);
    }

    /// <summary>User data (a nodeadm NodeConfig in MIME) changes as lines, shown once as a line diff.</summary>
    [Fact]
    public void User_data_is_shown_as_a_line_diff_of_its_text()
    {
        var (result, _) = DiffEdited("    maxSize: 6\n", "    maxSize: 6\n    maxPodsCap: 50\n", "text");
        Assert.Contains("-       maxPods: 110", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("+       maxPods: 50", result.Stdout, StringComparison.Ordinal);
        Assert.True(result.Stdout.Split("apiVersion: node.eks.aws").Length - 1 <= 1, "the user data is printed whole");
    }

    [Fact]
    public void Counts_say_what_is_not_a_resource_apart()
    {
        var (result, diff) = DiffEdited("    maxSize: 6\n", "    maxSize: 6\n    maxPodsCap: 50\n", "text");
        Assert.Contains("1 output or variable change", result.Stdout, StringComparison.Ordinal);
        Assert.Null(diff);
    }
}
