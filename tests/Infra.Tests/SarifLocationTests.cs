using System.Text.Json.Nodes;
using Infra.StackConfig;
using Infra.Tests.Harness;

namespace Infra.Tests;

/// <summary>
/// `check --format sarif` points each result at the stack file's key to change (line and column),
/// so code scanning annotates a pull request on the line that causes the finding.
/// </summary>
public sealed class SarifLocationTests
{
    private static IReadOnlyList<JsonNode> Results(string stack, string? dir = null)
    {
        string[] args = dir is null ? ["check", "--stack", stack, "--format", "sarif"] : ["check", "--stack", stack, "--format", "sarif", "--dir", dir];
        return JsonNode.Parse(InfraCli.Run(args).Stdout)!["runs"]![0]!["results"]!.AsArray().Select(r => r!).ToList();
    }

    private static (int Line, int Column) Region(JsonNode result)
    {
        var region = result["locations"]![0]!["physicalLocation"]!["region"]!;
        return (region["startLine"]!.GetValue<int>(), region["startColumn"]!.GetValue<int>());
    }

    private static string ConfigKey(JsonNode result) =>
        result["locations"]![0]!["logicalLocations"]!.AsArray().Single(l => l!["kind"]!.GetValue<string>() == "member")!["name"]!.GetValue<string>();

    [Theory]
    [InlineData("qas")]
    [InlineData("dev")]
    public void Every_result_points_at_the_line_of_the_key_it_names(string stack)
    {
        var lines = File.ReadAllLines(Repo.Path($"Pulumi.{stack}.yaml"));
        var results = Results(stack);
        Assert.NotEmpty(results);
        foreach (var result in results)
        {
            var (line, column) = Region(result);
            var key = ConfigKey(result);
            // The key itself, or (for a key the file leaves out, such as a warning about a missing
            // setting) the nearest enclosing key it would be added under.
            var segments = key.Split(':', '.', '[');
            var at = lines[line - 1][(column - 1)..];
            var holdsKey = at.StartsWith(segments[^1] + ":", StringComparison.Ordinal);
            var holdsAncestor = segments.SkipLast(1).Any(s => at.StartsWith(s + ":", StringComparison.Ordinal) || at.StartsWith($"{segments[0]}:{s}:", StringComparison.Ordinal));
            Assert.True(holdsKey || (holdsAncestor && !File.ReadAllText(Repo.Path($"Pulumi.{stack}.yaml")).Contains($" {segments[^1]}:", StringComparison.Ordinal)), $"{key} at {line}:{column}: {lines[line - 1]}");
        }
    }

    [Fact]
    public void The_public_endpoint_warning_points_at_public_access_cidrs()
    {
        var result = Results("qas").Single(r => r["ruleId"]!.GetValue<string>() == "INFRA003");
        var lines = File.ReadAllLines(Repo.Path("Pulumi.qas.yaml"));
        Assert.Equal("leadertools:cluster.endpoint.publicAccessCidrs", ConfigKey(result));
        Assert.Equal("publicAccessCidrs:", lines[Region(result).Line - 1].Trim());
        Assert.Equal("Pulumi.qas.yaml", result["locations"]![0]!["physicalLocation"]!["artifactLocation"]!["uri"]!.GetValue<string>());
    }

    [Fact]
    public void A_route_finding_points_at_the_route_item_in_its_table()
    {
        // A redundant route, added as the last item of the main table: INFRA006 names that item.
        const string anchor = "        - { destination: 0.0.0.0/0, target: aviatrix-primary, purpose: Default via Aviatrix }\n";
        var text = TempProject.EditedStack("qas", anchor, anchor + "        - { destination: 10.20.0.0/16, target: aviatrix-primary }\n");
        using var project = new TempProject("sarif").WithStack("qas", text);
        var lines = text.Split('\n');
        var result = Results("qas", project.Directory).Single(r => r["ruleId"]!.GetValue<string>() == "INFRA006" && r["message"]!["text"]!.GetValue<string>().StartsWith("10.20.0.0/16", StringComparison.Ordinal));
        Assert.Equal("leadertools:routeTables.main.routes[7]", ConfigKey(result));
        var (line, column) = Region(result);
        Assert.StartsWith("{ destination: 10.20.0.0/16", lines[line - 1][(column - 1)..], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("leadertools:cluster.endpoint.publicAccessCidrs", "leadertools:cluster.endpoint.publicAccessCidrs")]
    [InlineData("leadertools:cluster.endpoint.publicAccessCidrs[0]", "leadertools:cluster.endpoint.publicAccessCidrs[0]")]
    [InlineData("leadertools:vpc.replicaOf", "leadertools:vpc")]
    [InlineData("leadertools:bootstrap.nodeEgress.extra", "leadertools:bootstrap.nodeEgress")]
    [InlineData("leadertools:routeTables.main.routes[99]", "leadertools:routeTables.main.routes")]
    public void An_absent_key_is_found_at_its_nearest_enclosing_key(string key, string expected)
    {
        var positions = PulumiProject.Open(Repo.Root).ReadStack("qas").Positions;
        Assert.Equal(positions.Keys[expected], positions.Find(key));
    }

    [Fact]
    public void A_key_of_no_stack_file_has_no_position()
    {
        var positions = PulumiConfigMap.FromEnvironmentJson(PulumiRun.EncodeConfig(PulumiRun.StackConfig("qas"))).Positions;
        Assert.Null(positions.Find("leadertools:cluster.endpoint.publicAccessCidrs"));
        Assert.Null(PulumiProject.Open(Repo.Root).ReadStack("qas").Positions.Find("leadertools:nothing"));
    }

    [Fact]
    public void The_text_report_names_the_stack_files_line_under_each_resource()
    {
        var text = InfraCli.Run("check", "--stack", "qas").Stdout;
        var line = Region(Results("qas").Single(r => r["ruleId"]!.GetValue<string>() == "INFRA003")).Line;
        Assert.Contains($"Pulumi.qas.yaml:{line}", text, StringComparison.Ordinal);
    }
}
