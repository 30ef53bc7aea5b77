using Infra.Review;
using Infra.Tests.Harness;

namespace Infra.Tests;

/// <summary>
/// A replay corpus (issue 28, item 7): changes that surprised users of the anchors, replayed on qas.
/// Each row: the anchor thread, the one stack change, what Terraform or Pulumi did there (with the
/// source line that decides it), and what our diff must say. The base is the unprotected qas
/// program as it shipped at Kubernetes 1.33 (tests/Infra.Tests/Fixtures), so each row shows its own
/// behaviour rather than protection's (R31 is about protection).
/// </summary>
public sealed class ReplayCorpusTests
{
    /// <param name="Id">R01...</param>
    /// <param name="Anchor">The thread it replays, and what happened there.</param>
    /// <param name="Edits">Exact replacements in the unprotected qas stack file.</param>
    /// <param name="Resource">The resource the row is about.</param>
    /// <param name="Action">Its step: create, update, replace, delete, protect, unprotect, none.</param>
    /// <param name="Says">What diff must also say about it (an APPLY rule id, an effect, an order), or "".</param>
    public sealed record Scenario(string Id, string Anchor, (string Find, string Replace)[] Edits, string Resource, string Action, string Says)
    {
        public override string ToString() => Id;
    }

    private const string Unprotected = "config:\n  leadertools:protection: { enabled: false }\n";

    private static readonly (string, string) Hop134 = ("kubernetesVersion: \"1.33\"", "kubernetesVersion: \"1.34\"");

    private static readonly IReadOnlyList<Scenario> All =
    [
        // terraform-aws-eks #1767/#2061: a forced cluster replacement made the new cluster first and failed "Cluster already exists";
        // pulumi-terraform-bridge nameRequiresDeleteBeforeReplace deletes first instead (the name is given): an outage, said.
        new("R01", "terraform-aws-eks #1767, #2061", [("name: leadertools-qas ", "name: leadertools-qas-b ")], "eks-cluster", "replace", "delete, then create"),
        // terraform-provider-aws eks/cluster.go: service_ipv4_cidr ForceNew (terraform-aws-eks #2282's whole-cluster replacement).
        new("R02", "terraform-aws-eks #2282", [("serviceCidr: 172.20.0.0/16", "serviceCidr: 172.21.0.0/16")], "eks-cluster", "replace", "delete, then create"),
        // terraform-provider-aws #38950: an access setting replaced the cluster; pulumi-eks ignores the bootstrap flag, and an entry is its own resource.
        new("R03", "terraform-provider-aws #38950", [("  leadertools:cluster:\n", "  leadertools:cluster:\n    accessEntries:\n      ci:\n        principalArn: arn:aws:iam::123456789012:role/ci\n        policy: clusterAdmin\n")], "eks-cluster", "update", ""),
        // terraform-aws-eks #1446: "$Latest" made a perpetual diff; ours refers to the resolved latestVersion, and a new one rolls the nodes.
        new("R05", "terraform-aws-eks #1446", [("    maxSize: 6\n", "    maxSize: 6\n    rootVolume: { sizeGiB: 30 }\n")], "node-group", "update", "rolls all 2 nodes"),
        // pulumi-eks #862: the recommended AMI, read on every run, replaced nodes unasked; ours rolls only on a pinned release's change.
        new("R06", "pulumi-eks #862", [("amiReleaseVersion: \"1.33.5-20251217\"", "amiReleaseVersion: \"1.33.13-20260714\"")], "node-group", "update", "rolls all 2 nodes"),
        new("R07", "ours: max pods live in the user data", [("    maxSize: 6\n", "    maxSize: 6\n    maxPodsCap: 58\n")], "node-group", "update", "rolls all 2 nodes"),
        // terraform-provider-aws eks/node_group.go: instance_types ForceNew; a name prefix makes the successor's name unique, so it comes first.
        new("R08", "terraform-aws-eks #2061 (node groups)", [("instanceTypes: [t3.medium]", "instanceTypes: [m6i.xlarge]")], "node-group", "replace", "create, then delete"),
        new("R09", "ours: scaling changes in place", [("    desiredSize: 2\n", "    desiredSize: 3\n")], "node-group", "update", ""),
        // pulumi-awsx #1204: subnets re-cut; CreateSubnet refuses a CIDR overlapping a subnet that still exists (InvalidSubnet.Conflict).
        new("R10", "pulumi-awsx #1204", [("us-west-2a: { cidr: 10.142.36.0/24 }", "us-west-2a: { cidr: 10.142.36.0/23 }"), ("us-west-2b: { cidr: 10.142.37.0/24 }", "us-west-2b: { cidr: 10.142.38.0/24 }")], "subnet-nodes-us-west-2a", "replace", "APPLY005"),
        // pulumi-awsx #1152: a layout moved zones; EKS keeps the zones a cluster was created in (network-reqs.html).
        new("R11", "pulumi-awsx #1152", [("us-west-2b", "us-west-2c")], "eks-cluster", "update", "APPLY010"),
        new("R12", "ours: a new primary CIDR", [("primaryCidr: 10.142.32.0/21", "primaryCidr: 10.142.32.0/20")], "eks-vpc", "replace", "APPLY012"),
        new("R13", "ours: a new pod subnet, running pods keep their interfaces in the old one", [("us-west-2b: { cidr: 100.96.36.0/22", "us-west-2b: { cidr: 100.96.38.0/23")], "subnet-pods-us-west-2b", "replace", "APPLY004"),
        new("R14", "EKS User Guide update-cluster: one minor at a time", [Hop134, ("amiReleaseVersion: \"1.33.5-20251217\"", "amiReleaseVersion: \"1.34.9-20260714\""), ("v1.33.5-eksbuild.2", "v1.34.6-eksbuild.13")], "eks-cluster", "update", ""),
        new("R15", "EKS User Guide update-cluster: \"Unsupported Kubernetes minor version update\"", [("kubernetesVersion: \"1.33\"", "kubernetesVersion: \"1.35\""), ("amiReleaseVersion: \"1.33.5-20251217\"", "amiReleaseVersion: \"1.35.6-20260714\""), ("v1.33.5-eksbuild.2", "v1.35.3-eksbuild.13")], "eks-cluster", "update", "APPLY003"),
        new("R16", "terraform-aws-eks #2320: public access CIDRs change in place", [("        - 0.0.0.0/0\n    logTypes", "        - 208.75.8.0/24\n    logTypes")], "eks-cluster", "update", ""),
        new("R18", "ours: log types change in place (UpdateClusterConfig)", [("logTypes: [api, audit, authenticator]", "logTypes: [api, audit, authenticator, scheduler]")], "eks-cluster", "update", ""),
        new("R19", "ours: retention changes in place (logs/group.go)", [("    logTypes: [api, audit, authenticator] # ours\n", "    logTypes: [api, audit, authenticator] # ours\n    logRetentionDays: 30\n")], "control-plane-log-group", "update", ""),
        // terraform-provider-aws #34883: a key change updates nothing (resourceClusterUpdate associates only where there was none).
        new("R20", "terraform-provider-aws #34883", [("    logTypes: [api, audit, authenticator] # ours\n", "    logTypes: [api, audit, authenticator] # ours\n    secretsKmsKeyArn: arn:aws:kms:us-west-2:123456789012:key/0a1b2c3d-0a1b-0a1b-0a1b-0a1b2c3d4e5f\n")], "eks-cluster", "update", "APPLY001"),
        new("R21", "ours: the stack's own key goes when another is named", [("    logTypes: [api, audit, authenticator] # ours\n", "    logTypes: [api, audit, authenticator] # ours\n    secretsKmsKeyArn: arn:aws:kms:us-west-2:123456789012:key/0a1b2c3d-0a1b-0a1b-0a1b-0a1b2c3d4e5f\n")], "secrets-kms-key", "delete", ""),
        new("R22", "ours: a vpc-cni release changes the add-on in place", [("v1.20.1-eksbuild.3", "v1.20.4-eksbuild.1")], "vpc-cni-addon", "update", ""),
        new("R23", "ours: a CoreDNS release changes the add-on in place (EKS checks compatibility at apply)", [("v1.12.4-eksbuild.1", "v1.13.2-eksbuild.4")], "coredns-addon", "update", ""),
        new("R24", "ours: kube-proxy through the component's kubeProxyAddonOptions", [("v1.33.5-eksbuild.2", "v1.33.10-eksbuild.13")], "eks-cluster", "update", ""),
        // terraform-aws-eks #2551: prefix delegation changes max pods; existing nodes keep the old limit until they roll.
        new("R25", "terraform-aws-eks #2551", [("prefixDelegation: true", "prefixDelegation: false")], "node-group", "update", "rolls all 2 nodes"),
        new("R26", "ours: the CNI's settings change the add-on in place", [("prefixDelegation: true", "prefixDelegation: false")], "vpc-cni-addon", "update", ""),
        new("R27", "ours: a root volume type is a new template version", [("    maxSize: 6\n", "    maxSize: 6\n    rootVolume: { type: gp2 }\n")], "node-group", "update", "rolls all 2 nodes"),
        // terraform-aws-eks #2514/#1793: default tags reached launch templates; tags alone make no new version.
        new("R28", "terraform-aws-eks #2514, #1793", [("      ManagedBy: pulumi\n", "      ManagedBy: pulumi\n      CostCenter: cc-42\n")], "node-group", "update", "no node is expected to roll"),
        new("R29", "ours: a region moves every resource (pulumi-aws v7 region.go)", [("us-west-2", "us-east-2")], "eks-vpc", "replace", "(provider) region"),
        new("R30", "ours: a chart release upgrades the Helm release in place", [("chartVersion: 1.14.0", "chartVersion: 1.17.1")], "load-balancer-controller", "update", ""),
        new("R32", "pulumi-awsx #1204 (a free block)", [("us-west-2a: { cidr: 10.142.36.0/24 }", "us-west-2a: { cidr: 10.142.34.0/24 }")], "subnet-nodes-us-west-2a", "replace", "create, then delete"),
        new("R33", "ours: a replaced node subnet replaces the node group with it (subnet_ids ForceNew)", [("us-west-2a: { cidr: 10.142.36.0/24 }", "us-west-2a: { cidr: 10.142.34.0/24 }")], "node-group", "replace", "create, then delete"),
        new("R34", "ours: a load balancer security group the controller's load balancers hold", [("- { name: crownpeak, replicaOf: sg-092ea2ae08df86c55 }", "- { name: crownpeak2, replicaOf: sg-092ea2ae08df86c55 }")], "security-group--lb-crownpeak", "delete", ""),
    ];

    /// <summary>The scenarios by id, so that each runs and reports as its own case.</summary>
    public static TheoryData<string> Scenarios => new(All.Select(s => s.Id));

    private static readonly Lazy<string> BaseProgram = new(() =>
    {
        using var project = new TempProject("replay-base").WithStack("qas", TempProject.Edited(TempProject.Qas133, "config:\n", Unprotected));
        return InfraCli.Run("compile", "--stack", "qas", "--dir", project.Directory).Stdout;
    });

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Diff_says_what_the_anchor_learned_the_hard_way(string id)
    {
        var scenario = All.Single(s => s.Id == id);
        var text = TempProject.Edited(TempProject.Qas133, "config:\n", Unprotected);
        foreach (var (find, replace) in scenario.Edits)
        {
            Assert.Contains(find, text, StringComparison.Ordinal);
            text = text.Replace(find, replace, StringComparison.Ordinal);
        }

        using var project = new TempProject("replay").WithStack("qas", text);
        var head = InfraCli.Run("compile", "--stack", "qas", "--dir", project.Directory);
        Assert.True(head.ExitCode == 0, head.Stderr);
        var diff = ProgramDiff.Compare(ProgramSnapshot.Parse(BaseProgram.Value, "base"), ProgramSnapshot.Parse(head.Stdout, "head"), "base", "head");
        var change = diff.Resources.SingleOrDefault(r => r.Name == scenario.Resource);
        Assert.Equal(scenario.Action, change?.Action ?? "none");
        if (scenario.Says.Length > 0)
        {
            var said = string.Join("\n", [.. change!.Effects, change.Order?.Words ?? "", .. change.ReplaceReasons.Select(r => r.Path), .. diff.Refusals.Select(r => r.Rule)]);
            Assert.Contains(scenario.Says, said, StringComparison.Ordinal);
        }
    }

    /// <summary>R31: lifting protection calls no provider (pulumi step_generator: a same step with the new option).</summary>
    [Fact]
    public void R31_lifting_protection_is_no_provider_call()
    {
        using var project = new TempProject("replay-protect").WithStack("qas", TempProject.EditedStack("qas", "config:\n", Unprotected));
        var head = InfraCli.Run("compile", "--stack", "qas", "--dir", project.Directory).Stdout;
        var diff = ProgramDiff.Compare(ProgramSnapshot.Parse(File.ReadAllText(Repo.Path("tests", "Infra.Tests", "golden", "qas.yaml")), "g"), ProgramSnapshot.Parse(head, "h"), "g", "h");
        Assert.Equal("unprotect", diff.Resources.Single(r => r.Name == "eks-vpc").Action);
        Assert.Equal(0, diff.Replaced + diff.Deleted + diff.Created);
    }

    [Fact]
    public void The_corpus_holds_at_least_thirty_scenarios() => Assert.True(All.Count + 1 >= 30);
}
