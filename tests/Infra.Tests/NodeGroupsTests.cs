using System.Text.Json.Nodes;
using Infra.Tests.Harness;

namespace Infra.Tests;

/// <summary>
/// Several node groups (issue 30, item 4): `nodeGroups` by name beside today's single `nodeGroup`,
/// each with its own launch template, and a blue/green swap that the diff shows as node groups
/// created, then deleted.
/// </summary>
public sealed class NodeGroupsTests
{
    /// <summary>A second group for the swap: another family, its own cap, the same original security group.</summary>
    private const string Green = """
            green:
              instanceTypes: [m5.large]
              minSize: 2
              desiredSize: 2
              maxSize: 4
              maxPodsCap: 50
              amiReleaseVersion: "1.36.2-20260714"
              replicaOf:
                securityGroup: sg-07019a3af3f18cfa1
        """;

    /// <summary>A stack file with its nodeGroup moved under nodeGroups (as `qas`, when kept) beside <paramref name="others"/> (indented for nodeGroups).</summary>
    private static string WithGroups(string text, bool keepQasGroup, string others)
    {
        var lines = text.Split('\n').ToList();
        var start = lines.IndexOf("  leadertools:nodeGroup:");
        var end = lines.FindIndex(start + 1, l => !l.StartsWith("    ", StringComparison.Ordinal));
        var groups = new List<string> { "  leadertools:nodeGroups:" };
        if (keepQasGroup)
        {
            groups.Add("    qas:");
            groups.AddRange(lines.GetRange(start + 1, end - start - 1).Select(l => "  " + l));
        }

        groups.AddRange(others.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        lines.RemoveRange(start, end - start);
        lines.InsertRange(start, groups);
        return string.Join('\n', lines);
    }

    private static string QasWithGroups(bool keepQasGroup, string others) => WithGroups(File.ReadAllText(Repo.Path("Pulumi.qas.yaml")), keepQasGroup, others);

    private static string Unprotected(string text) => text + "\n  leadertools:protection:\n    enabled: false\n";

    private static string Compile(TempProject project) => InfraCli.Run("compile", "--stack", "qas", "--dir", project.Directory).Stdout;

    [Fact]
    public void The_single_group_moved_under_the_stacks_name_plans_the_same_program()
    {
        using var project = new TempProject("node-groups-same").WithStack("qas", QasWithGroups(keepQasGroup: true, ""));
        var moved = Compile(project);
        Assert.NotEmpty(moved);
        Assert.Equal(PulumiRun.Compile("qas").Stdout, moved);
    }

    [Fact]
    public void Each_group_has_its_own_template_name_prefix_and_max_pods_and_what_needs_nodes_waits_for_every_group()
    {
        using var project = new TempProject("node-groups-two").WithStack("qas", QasWithGroups(keepQasGroup: true, Green));
        var program = Compile(project);
        var deployment = MockEngine.Run(program, PulumiRun.StackConfig("qas"));
        var groups = deployment.OfType("eks:ManagedNodeGroup").ToDictionary(r => r.Name);
        Assert.Equal(["node-group", "node-group--green"], groups.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("leadertools-qas-nodes-", groups["node-group"].Input("nodeGroupNamePrefix"));
        Assert.Equal("leadertools-qas-green-", groups["node-group--green"].Input("nodeGroupNamePrefix"));
        Assert.Equal("m5.large", groups["node-group--green"].Input("instanceTypes[0]"));
        Assert.Equal(2, deployment.OfType("aws:ec2:LaunchTemplate").Count());

        // t3.medium: AWS's cap of 110 (2 vCPUs); m5.large: the group's own cap of 50.
        Assert.Contains("maxPods: 110", program, StringComparison.Ordinal);
        Assert.Contains("maxPods: 50", program, StringComparison.Ordinal);
        foreach (var waiting in new[] { "coredns-addon", "load-balancer-controller" })
        {
            Assert.Contains("node-group--green", deployment.Resources.Single(r => r.Name == waiting).DependsOn);
            Assert.Contains("node-group", deployment.Resources.Single(r => r.Name == waiting).DependsOn);
        }
    }

    /// <summary>Add green, then remove blue: nodes are only created, then only deleted (protection lifted first, as APPLY008 says).</summary>
    [Fact]
    public void A_blue_green_swap_diffs_as_node_groups_created_then_deleted_only()
    {
        using var project = new TempProject("node-groups-swap").WithStack("qas", File.ReadAllText(Repo.Path("Pulumi.qas.yaml")));
        var basePath = project.Path("base.yaml");
        File.WriteAllText(basePath, Compile(project));

        project.WithStack("qas", QasWithGroups(keepQasGroup: true, Green));
        var added = JsonNode.Parse(InfraCli.Run("diff", "--stack", "qas", "--dir", project.Directory, "--base", basePath, "--format", "json").Stdout)!;
        Assert.Equal((2, 0, 0, 0), Counts(added));
        Assert.Equal(["node-group--green", "node-launch-template--green"], Changed(added, "create"));

        File.WriteAllText(basePath, Compile(project));
        project.WithStack("qas", QasWithGroups(keepQasGroup: false, Green));
        var removedProtected = InfraCli.Run("diff", "--stack", "qas", "--dir", project.Directory, "--base", basePath, "--format", "json");
        Assert.Equal(5, removedProtected.ExitCode);
        Assert.Contains("APPLY008", removedProtected.Stdout, StringComparison.Ordinal);

        using var before = new TempProject("node-groups-swap-base").WithStack("qas", Unprotected(QasWithGroups(keepQasGroup: true, Green)));
        File.WriteAllText(basePath, Compile(before));
        project.WithStack("qas", Unprotected(QasWithGroups(keepQasGroup: false, Green)));
        var removed = JsonNode.Parse(InfraCli.Run("diff", "--stack", "qas", "--dir", project.Directory, "--base", basePath, "--format", "json").Stdout)!;
        Assert.Equal((0, 0, 0, 2), Counts(removed));
        Assert.Equal(["node-group", "node-launch-template"], Changed(removed, "delete"));
    }

    [Fact]
    public void Capacity_reports_each_group_and_what_the_others_hold_while_one_drains()
    {
        using var project = new TempProject("node-groups-capacity").WithStack("qas", QasWithGroups(keepQasGroup: true, Green));
        var result = JsonNode.Parse(InfraCli.Run("capacity", "--stack", "qas", "--dir", project.Directory, "--format", "json").Stdout)!;
        var groups = result["nodeGroups"]!.AsArray().ToDictionary(g => g!["name"]!.GetValue<string>());

        // qas: 6 t3.medium of 110 pods; green: 4 m5.large capped at 50.
        Assert.Equal((660, 200), (groups["qas"]!["maxPods"]!.GetValue<int>(), groups["qas"]!["podsWithoutIt"]!.GetValue<int>()));
        Assert.Equal((200, 660), (groups["green"]!["maxPods"]!.GetValue<int>(), groups["green"]!["podsWithoutIt"]!.GetValue<int>()));
        Assert.Equal(860, result["nodeGroupMaxPods"]!.GetValue<int>());
    }

    /// <summary>
    /// On qas as it shipped at 1.33 with a second group pinned to 1.32: each hop moves the group that
    /// follows the cluster under its own key, and names the pinned one, which the skew lets stay
    /// through 1.35 (3 behind) but not 1.36 (4 behind). The first hop written compiles.
    /// </summary>
    [Fact]
    public void The_upgrade_plan_moves_each_following_group_and_names_a_pinned_one()
    {
        const string pinned = """
                old:
                  instanceTypes: [m5.large]
                  minSize: 1
                  desiredSize: 1
                  maxSize: 2
                  kubernetesVersion: "1.32"
                  amiReleaseVersion: "1.32.9-20251217"
            """;
        using var project = new TempProject("node-groups-upgrade").WithStack("qas", WithGroups(TempProject.Qas133, keepQasGroup: true, pinned));
        var result = InfraCli.Run("upgrade", "--stack", "qas", "--dir", project.Directory, "--as-of", "2026-12-06", "--to", "1.36", "--format", "json");
        Assert.Equal(0, result.ExitCode);
        var hops = JsonNode.Parse(result.Stdout)!["hops"]!.AsArray();
        Assert.All(hops, hop => Assert.Contains(hop!["steps"]!.AsArray(), s => s!["key"]!.GetValue<string>() == "nodeGroups.qas.amiReleaseVersion"));
        Assert.All(hops, hop => Assert.DoesNotContain(hop!["steps"]!.AsArray(), s => s!["key"]!.GetValue<string>().StartsWith("nodeGroups.old.", StringComparison.Ordinal)));
        string Notes(int hop) => string.Join("\n", hops[hop]!["notes"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Contains("node group old stays on Kubernetes 1.32 (pinned), 3 behind 1.35", Notes(1), StringComparison.Ordinal);
        Assert.Contains("node group old is pinned to Kubernetes 1.32, 4 minors behind 1.36: move it", Notes(2), StringComparison.Ordinal);

        Assert.Equal(0, InfraCli.Run("upgrade", "--stack", "qas", "--dir", project.Directory, "--as-of", "2026-12-06", "--to", "1.36", "--write").ExitCode);
        Assert.Contains("amiReleaseVersion: \"1.34.9-20260714\"", File.ReadAllText(project.Path("Pulumi.qas.yaml")), StringComparison.Ordinal);
        Assert.Equal(0, InfraCli.Run("check", "--stack", "qas", "--dir", project.Directory, "--as-of", "2026-12-06").ExitCode);
    }

    [Fact]
    public void Groups_that_name_different_original_security_groups_are_refused()
    {
        using var project = new TempProject("node-groups-originals").WithStack("qas", QasWithGroups(keepQasGroup: true, Green.Replace("sg-07019a3af3f18cfa1", "sg-0123456789abcdef0", StringComparison.Ordinal)));
        var result = InfraCli.Run("compile", "--stack", "qas", "--dir", project.Directory);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Empty(result.Stdout);
        Assert.Contains("leadertools:nodeGroups.qas.replicaOf.securityGroup", result.Stderr, StringComparison.Ordinal);
    }

    private static (int, int, int, int) Counts(JsonNode diff) =>
        (diff["created"]!.GetValue<int>(), diff["updated"]!.GetValue<int>(), diff["replaced"]!.GetValue<int>(), diff["deleted"]!.GetValue<int>());

    private static List<string> Changed(JsonNode diff, string action) =>
        [.. diff["resources"]!.AsArray().Where(c => c!["action"]!.GetValue<string>() == action).Select(c => c!["name"]!.GetValue<string>()).Order(StringComparer.Ordinal)];
}
