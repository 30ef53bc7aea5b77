using Infra.Review;
using Infra.Tests.Harness;

namespace Infra.Tests;

/// <summary>
/// Plans that preview accepts and `pulumi up` fails on (issue 28, item 5): each rule with a failing
/// fixture; the rule's citation is in <see cref="ApplyRefusals"/> and checked to be there. Fixtures
/// edit the shipped stack (diff against the reviewed program) or the reviewed program itself (for
/// base programs our compiler no longer writes). Protection is lifted where the rule is not about it,
/// so each fixture shows its own rule.
/// </summary>
public sealed class ApplyRefusalTests
{
    private static string Golden => Repo.Path("tests", "Infra.Tests", "golden", "qas.yaml");

    private const string Unprotected = "config:\n  leadertools:protection: { enabled: false }\n";

    private static string UnprotectedGolden()
    {
        using var project = new TempProject("apply-base").WithStack("qas", TempProject.Edited(TempProject.Qas133, "config:\n", Unprotected));
        var result = InfraCli.Run("compile", "--stack", "qas", "--dir", project.Directory);
        Assert.Equal(0, result.ExitCode);
        return result.Stdout;
    }

    private static readonly Lazy<string> BaseWithoutProtection = new(UnprotectedGolden);

    /// <summary>Diffs the shipped stack, unprotected and edited, against the unprotected program.</summary>
    private static (int ExitCode, DiffResult Diff, string Text) Edited(params (string Find, string Replace)[] edits)
    {
        var text = TempProject.Edited(TempProject.Qas133, "config:\n", Unprotected);
        foreach (var (find, replace) in edits)
        {
            Assert.Contains(find, text, StringComparison.Ordinal);
            text = text.Replace(find, replace, StringComparison.Ordinal);
        }

        using var project = new TempProject("apply").WithStack("qas", text);
        var basePath = project.Path("base.yaml");
        File.WriteAllText(basePath, BaseWithoutProtection.Value);
        var result = InfraCli.Run("diff", "--stack", "qas", "--dir", project.Directory, "--base", basePath);
        var json = InfraCli.Run("diff", "--stack", "qas", "--dir", project.Directory, "--base", basePath, "--format", "json");
        var head = InfraCli.Run("compile", "--stack", "qas", "--dir", project.Directory).Stdout;
        return (result.ExitCode, ProgramDiff.Compare(ProgramSnapshot.Parse(BaseWithoutProtection.Value, "base"), ProgramSnapshot.Parse(head, "head"), "base", "head"), result.Stdout + json.Stdout);
    }

    /// <summary>Diffs two edits of the reviewed program (for bases our compiler does not write).</summary>
    private static DiffResult Programs(Func<string, string> baseEdit, Func<string, string> headEdit)
    {
        var golden = File.ReadAllText(Golden);
        return ProgramDiff.Compare(ProgramSnapshot.Parse(baseEdit(golden), "base"), ProgramSnapshot.Parse(headEdit(golden), "head"), "base", "head");
    }

    private static void AssertRule(DiffResult diff, ApplyRefusals.Rule rule, string resource) =>
        Assert.Contains(diff.Refusals, r => r.Rule == rule.Id && r.Resource == resource);

    [Fact]
    public void Every_rule_names_what_refuses_it()
    {
        Assert.True(ApplyRefusals.All.Count >= 10);
        Assert.Equal(ApplyRefusals.All.Count, ApplyRefusals.All.Select(r => r.Id).Distinct().Count());
        Assert.All(ApplyRefusals.All, r => Assert.Matches(@"(User Guide|API Reference|eksctl guide|pulumi pkg/)", r.Source));
    }

    [Fact]
    public void A_refusal_is_an_error_line_and_exit_five()
    {
        var (exit, diff, text) = Edited(("kubernetesVersion: \"1.33\"", "kubernetesVersion: \"1.35\""), ("amiReleaseVersion: \"1.33.5-20251217\"", "amiReleaseVersion: \"1.35.0-20251217\""), ("v1.33.5-eksbuild.2", "v1.35.0-eksbuild.1"));
        Assert.Equal(5, exit);
        Assert.Contains("ERROR APPLY003 eks-cluster: the Kubernetes version moves from 1.33 to 1.35: upgrade through 1.34 first", Prose.Flat(text), StringComparison.Ordinal);
        AssertRule(diff, ApplyRefusals.KubernetesJump, "eks-cluster");
    }

    /// <summary>Our compiler always writes the stack's own key; a base that named another key (cluster.secretsKmsKeyArn) moving to it is refused.</summary>
    [Fact]
    public void APPLY001_another_secrets_key_for_an_encrypted_cluster()
    {
        var diff = Programs(p => p.Replace("encryptionConfigKeyArn: ${secrets-kms-key.arn}", "encryptionConfigKeyArn: arn:aws:kms:us-west-2:123456789012:key/old", StringComparison.Ordinal), p => p);
        AssertRule(diff, ApplyRefusals.KmsKeyChanged, "eks-cluster");
    }

    [Fact]
    public void APPLY002_a_downgrade_of_more_than_one_minor()
    {
        var diff = Programs(p => p.Replace("      version: \"1.36\"\n", "      version: \"1.38\"\n", StringComparison.Ordinal), p => p);
        AssertRule(diff, ApplyRefusals.KubernetesDowngrade, "eks-cluster");
    }

    /// <summary>One minor down is a rollback EKS may accept (within 7 days): said, not refused.</summary>
    [Fact]
    public void A_one_minor_rollback_is_said_but_not_refused()
    {
        var diff = Programs(p => p.Replace("      version: \"1.36\"\n", "      version: \"1.37\"\n", StringComparison.Ordinal), p => p);
        Assert.DoesNotContain(diff.Refusals, r => r.Rule == ApplyRefusals.KubernetesDowngrade.Id);
        Assert.Contains(diff.Resources.Single(r => r.Name == "eks-cluster").Effects, e => e.Contains("within 7 days", StringComparison.Ordinal));
    }

    /// <summary>Running pods keep their interfaces in the old pod subnet after the ENIConfig moves to the new one.</summary>
    [Fact]
    public void APPLY004_a_replaced_pod_subnet_under_running_pods()
    {
        var (exit, diff, text) = Edited(("us-west-2b: { cidr: 100.96.36.0/22", "us-west-2b: { cidr: 100.96.38.0/23"));
        Assert.Equal(5, exit);
        AssertRule(diff, ApplyRefusals.SubnetInUse, "subnet-pods-us-west-2b");
        Assert.Contains("the pods' interfaces placed by eni-configs", text, StringComparison.Ordinal);
    }

    /// <summary>A protected gateway interface is retained on delete: replaced with its subnet, the old one stays there.</summary>
    [Fact]
    public void APPLY004_a_replaced_subnet_that_a_retained_gateway_interface_keeps()
    {
        var diff = Programs(p => p, p => p.Replace("cidrBlock: 10.142.39.0/25\n", "cidrBlock: 10.142.38.0/25\n", StringComparison.Ordinal));
        var refusal = diff.Refusals.Single(r => r.Rule == ApplyRefusals.SubnetInUse.Id && r.Resource == "subnet-public-us-west-2a");
        Assert.Contains("gateway-interface--aviatrix-primary (retained on delete", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void APPLY005_a_replaced_subnet_whose_new_cidr_overlaps_the_old()
    {
        var (_, diff, _) = Edited(("us-west-2a: { cidr: 10.142.36.0/24 }", "us-west-2a: { cidr: 10.142.36.0/23 }"), ("us-west-2b: { cidr: 10.142.37.0/24 }", "us-west-2b: { cidr: 10.142.38.0/24 }"));
        AssertRule(diff, ApplyRefusals.SubnetOverlap, "subnet-nodes-us-west-2a");
    }

    [Fact]
    public void APPLY006_a_secondary_cidr_removed_under_kept_subnets()
    {
        var diff = Programs(p => p, p => p.Replace("  vpc-secondary-cidr-0:\n    type: aws:ec2:VpcIpv4CidrBlockAssociation\n    properties:\n      vpcId: ${eks-vpc.id}\n      cidrBlock: 100.96.32.0/21\n    options:\n      version: 7.48.0\n", "", StringComparison.Ordinal));
        AssertRule(diff, ApplyRefusals.SecondaryCidrInUse, "vpc-secondary-cidr-0");
    }

    [Fact]
    public void APPLY007_a_protected_resource_replaced()
    {
        var diff = Programs(p => p, p => p.Replace("cidrBlock: 10.142.32.0/21\n      enableDnsSupport", "cidrBlock: 10.142.32.0/20\n      enableDnsSupport", StringComparison.Ordinal));
        AssertRule(diff, ApplyRefusals.ProtectedReplaced, "eks-vpc");
    }

    [Fact]
    public void APPLY008_a_protected_resource_deleted()
    {
        var golden = File.ReadAllText(Golden);
        var start = golden.IndexOf("  subnet-pods-us-west-2b:\n", StringComparison.Ordinal);
        var end = golden.IndexOf("\n  security-group--gateways:\n", start, StringComparison.Ordinal) + 1;
        var diff = Programs(p => p, p => p[..start] + p[end..]);
        AssertRule(diff, ApplyRefusals.ProtectedDeleted, "subnet-pods-us-west-2b");
    }

    [Fact]
    public void APPLY009_a_load_balancer_group_replaced_under_the_controllers_load_balancers()
    {
        var diff = Programs(p => p, p => p.Replace("description: Load balancer of crownpeak", "description: Load balancer of crownpeak (new)", StringComparison.Ordinal));
        AssertRule(diff, ApplyRefusals.LoadBalancerGroupInUse, "security-group--lb-crownpeak");
    }

    [Fact]
    public void APPLY010_the_cluster_moved_to_other_zones()
    {
        var diff = Programs(p => p, p => p.Replace("      cidrBlock: 10.142.37.0/24\n      availabilityZone: us-west-2b", "      cidrBlock: 10.142.37.0/24\n      availabilityZone: us-west-2c", StringComparison.Ordinal));
        AssertRule(diff, ApplyRefusals.ClusterZonesChange, "eks-cluster");
    }

    [Fact]
    public void APPLY011_authentication_back_to_the_config_map()
    {
        var diff = Programs(p => p, p => p.Replace("authenticationMode: API\n", "authenticationMode: CONFIG_MAP\n", StringComparison.Ordinal));
        AssertRule(diff, ApplyRefusals.AuthenticationModeBack, "eks-cluster");
    }

    [Fact]
    public void APPLY012_and_APPLY013_a_replaced_vpc_under_a_kept_cluster()
    {
        var (_, diff, _) = Edited(("primaryCidr: 10.142.32.0/21", "primaryCidr: 10.142.32.0/20"));
        AssertRule(diff, ApplyRefusals.VpcWithOutsiders, "eks-vpc");
        Assert.Equal("update", diff.Resources.Single(r => r.Name == "eks-cluster").Action);
        AssertRule(diff, ApplyRefusals.ClusterVpcChange, "eks-cluster");
    }

    [Fact]
    public void A_plan_without_refusals_exits_as_before()
    {
        var (exit, diff, _) = Edited(("maxSize: 6", "maxSize: 7"));
        Assert.Empty(diff.Refusals);
        Assert.Equal(2, exit);
    }
}
