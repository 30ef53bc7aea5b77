using System.Text.Json.Nodes;
using Infra.StackConfig;
using Infra.Tests.Harness;

namespace Infra.Tests;

/// <summary>
/// `infra upgrade` (issue 30, item 2) on qas as it shipped at 1.33 (tests/Infra.Tests/Fixtures).
/// Every version expected here is written by hand from its source, not read from the catalogue:
/// the AL2023 releases from awslabs/amazon-eks-ami's CHANGELOG ("AMI Release v20260714": 1.34.9,
/// 1.35.6, 1.36.2), kube-proxy from the EKS User Guide's managing-kube-proxy table, the calendar from
/// kubernetes-versions.html, the chart from aws/eks-charts (3.5.0, controller v3.5.0, 1.22+).
/// </summary>
public sealed class UpgradeTests
{
    private static readonly DateOnly Today = new(2026, 12, 6);

    private static TempProject Project133() => new TempProject("upgrade").WithStack("qas", TempProject.Qas133);

    private static CompilerResult Upgrade(TempProject project, params string[] extra) =>
        InfraCli.Run(["upgrade", "--stack", "qas", "--dir", project.Directory, "--as-of", "2026-12-06", .. extra]);

    [Fact]
    public void From_1_33_to_1_36_is_three_hops_each_with_its_versions()
    {
        using var project = Project133();
        var result = Upgrade(project, "--to", "1.36", "--format", "json");
        Assert.Equal(0, result.ExitCode);
        var hops = JsonNode.Parse(result.Stdout)!["hops"]!.AsArray();
        Assert.Equal([("1.33", "1.34"), ("1.34", "1.35"), ("1.35", "1.36")], hops.Select(h => (h!["from"]!.GetValue<string>(), h["to"]!.GetValue<string>())));
        string To(JsonNode hop, string key) => hop["steps"]!.AsArray().Single(s => s!["key"]!.GetValue<string>() == key)!["to"]!.GetValue<string>();
        Assert.Equal(["1.34.9-20260714", "1.35.6-20260714", "1.36.2-20260714"], hops.Select(h => To(h!, "nodeGroup.amiReleaseVersion")));
        Assert.Equal(["v1.34.6-eksbuild.13", "v1.35.3-eksbuild.13", "v1.36.0-eksbuild.14"], hops.Select(h => To(h!, "cluster.addonVersions.kubeProxy")));
        Assert.Equal("3.5.0", To(hops[0]!, "loadBalancerController.chartVersion"));
        Assert.Equal(["2026-12-02", "2027-03-27", "2027-08-02"], hops.Select(h => h!["endOfStandardSupport"]!.GetValue<string>()));
    }

    /// <summary>An add-on version listed for both minors keeps EKS's rollback usable; kube-proxy follows the minor and says what it closes.</summary>
    [Fact]
    public void Add_ons_that_work_on_both_minors_are_chosen_and_the_step_that_closes_the_rollback_is_named()
    {
        using var project = Project133();
        var hop = JsonNode.Parse(Upgrade(project, "--to", "1.34", "--format", "json").Stdout)!["hops"]![0]!;
        var steps = hop["steps"]!.AsArray().ToDictionary(s => s!["key"]!.GetValue<string>(), s => s!);
        Assert.Contains("a rollback to 1.33 stays usable", steps["cluster.addonVersions.vpcCni"]["why"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("a rollback to 1.33 needs kube-proxy rolled back first", steps["cluster.addonVersions.kubeProxy"]["why"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("control plane", hop["steps"]![0]!["what"]!.GetValue<string>());
    }

    /// <summary>Each hop written compiles, passes check, diffs as updates only, and keeps every comment of the file.</summary>
    [Fact]
    public void Each_hop_written_compiles_passes_check_and_replaces_nothing()
    {
        using var project = Project133();
        var comments = TempProject.Qas133.Split('\n').Count(l => l.TrimStart().StartsWith('#'));
        foreach (var expected in new[] { "1.34", "1.35", "1.36" })
        {
            var before = InfraCli.Run("compile", "--stack", "qas", "--dir", project.Directory).Stdout;
            var basePath = project.Path("base.yaml");
            File.WriteAllText(basePath, before);
            Assert.Equal(0, Upgrade(project, "--to", "1.36", "--write").ExitCode);
            var text = File.ReadAllText(project.Path("Pulumi.qas.yaml"));
            Assert.Contains($"kubernetesVersion: \"{expected}\"", text, StringComparison.Ordinal);
            Assert.Equal(comments, text.Split('\n').Count(l => l.TrimStart().StartsWith('#')));
            Assert.Equal(0, InfraCli.Run("check", "--stack", "qas", "--dir", project.Directory, "--as-of", "2026-12-06").ExitCode);
            var diff = JsonNode.Parse(InfraCli.Run("diff", "--stack", "qas", "--dir", project.Directory, "--base", basePath, "--format", "json").Stdout)!;
            Assert.Equal(0, diff["replaced"]!.GetValue<int>() + diff["deleted"]!.GetValue<int>() + diff["created"]!.GetValue<int>());
            Assert.Empty(diff["refusals"]!.AsArray());
        }

        Assert.Contains("at Kubernetes 1.36 already", Upgrade(project, "--to", "1.36").Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1.32", "older than the cluster's 1.33")]
    [InlineData("1.99", "the version catalogue knows")]
    public void A_target_it_cannot_plan_is_one_message_naming_to(string to, string why)
    {
        using var project = Project133();
        var result = Upgrade(project, "--to", to);
        Assert.Equal(1, result.ExitCode);
        Assert.Empty(result.Stdout);
        Assert.Contains($"--to = {to}", result.Stderr, StringComparison.Ordinal);
        Assert.Contains(why, result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Writing_at_the_target_already_writes_nothing_and_says_so()
    {
        using var project = new TempProject("upgrade-done").WithStack("qas", File.ReadAllText(Repo.Path("Pulumi.qas.yaml")));
        var result = Upgrade(project, "--to", "1.36", "--write");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("nothing to write", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_stack_file_edit_changes_the_value_alone()
    {
        const string text = "config:\n  # why\n  leadertools:cluster:\n    kubernetesVersion: \"1.33\"   # ours\n    addonVersions: { kubeProxy: v1.33.5-eksbuild.2 }\n";
        var edited = StackFileEdit.SetScalar(StackFileEdit.SetScalar(text, "leadertools:cluster.kubernetesVersion", "1.34"), "leadertools:cluster.addonVersions.kubeProxy", "v1.34.6-eksbuild.13");
        Assert.Equal("config:\n  # why\n  leadertools:cluster:\n    kubernetesVersion: \"1.34\"   # ours\n    addonVersions: { kubeProxy: v1.34.6-eksbuild.13 }\n", edited);
    }

    [Fact]
    public void A_plain_value_that_would_read_as_a_number_is_quoted()
    {
        var edited = StackFileEdit.SetScalar("config:\n  leadertools:loadBalancerController:\n    chartVersion: 1.14.0\n", "leadertools:loadBalancerController.chartVersion", "3.5");
        Assert.Contains("chartVersion: \"3.5\"", edited, StringComparison.Ordinal);
    }

    /// <summary>The editor quotes by the rule every stack file the tool writes follows (YamlScalars): YAML 1.1's booleans too.</summary>
    [Theory]
    [InlineData("yes", "\"yes\"")]
    [InlineData("0x1f", "\"0x1f\"")]
    [InlineData("1.14.1", "1.14.1")]
    [InlineData("a: b", "\"a: b\"")]
    public void A_plain_value_is_quoted_by_the_one_rule(string value, string written)
    {
        var edited = StackFileEdit.SetScalar("config:\n  leadertools:loadBalancerController:\n    chartVersion: 1.14.0\n", "leadertools:loadBalancerController.chartVersion", value);
        Assert.Equal($"config:\n  leadertools:loadBalancerController:\n    chartVersion: {written}\n", edited);
    }

    /// <summary>The catalogue's calendar rows are EKS's (kubernetes-versions.html), written here by hand.</summary>
    [Theory]
    [InlineData("1.33", "2026-07-29", "2027-07-29")]
    [InlineData("1.34", "2026-12-02", "2027-12-02")]
    [InlineData("1.35", "2027-03-27", "2028-03-27")]
    [InlineData("1.36", "2027-08-02", "2028-08-02")]
    public void The_catalogues_calendar_is_ekss(string version, string standard, string extended)
    {
        var release = VersionCatalogue.Embedded.Release(version)!;
        Assert.Equal((DateOnly.Parse(standard, System.Globalization.CultureInfo.InvariantCulture), DateOnly.Parse(extended, System.Globalization.CultureInfo.InvariantCulture)), (release.EndOfStandardSupport, release.EndOfExtendedSupport));
        Assert.Equal("1.36", VersionCatalogue.Embedded.NewestInStandardSupport(Today)!.Version);
    }

    [Fact]
    public void Every_catalogue_row_names_its_source() =>
        Assert.All(VersionCatalogue.Embedded.Kubernetes.Select(k => k.Source)
            .Concat(VersionCatalogue.Embedded.Addons.Select(a => a.Source))
            .Concat(VersionCatalogue.Embedded.Amis.Select(a => a.Source))
            .Concat(VersionCatalogue.Embedded.Charts.Select(c => c.Source)), s => Assert.Matches("(awsdocs|docs\\.aws|amazonaws\\.cn|amazon-eks-ami|eks-charts)", s));
}
