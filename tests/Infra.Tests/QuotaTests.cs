using System.Text.Json.Nodes;
using Infra.Tests.Harness;

namespace Infra.Tests;

/// <summary>AWS quotas a configuration can exceed are errors before emission, each naming its key.</summary>
public sealed class QuotaTests
{
    private static void AssertRefused(JsonObject config, string key, string why)
    {
        var result = PulumiRun.Compile("qas", config);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Equal("", result.Stdout);
        ErrorLines.AssertNames(result.Stderr, key);
        Assert.Contains(why, result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_route_table_holds_fifty_routes_with_its_local_routes()
    {
        var config = PulumiRun.StackConfig("qas");
        var routes = config["leadertools:routeTables"]!["main"]!["routes"]!.AsArray();
        // 7 configured + 2 local routes; 41 more make 50 (accepted), 42 make 51.
        for (var i = 0; i < 42; i++)
        {
            routes.Add(new JsonObject { ["destination"] = $"203.0.113.{i}/32", ["target"] = "aviatrix-primary" });
        }

        AssertRefused(config, "leadertools:routeTables.main.routes", "50 routes a route table holds");
        routes.RemoveAt(routes.Count - 1);
        Assert.Equal(0, PulumiRun.Compile("qas", config).ExitCode);
    }

    [Fact]
    public void Sixty_one_applications_overflow_the_security_group_rule_quota()
    {
        var config = PulumiRun.StackConfig("qas");
        config["leadertools:loadBalancers"] = new JsonArray([.. Enumerable.Range(0, 61).Select(i => (JsonNode)new JsonObject { ["name"] = $"app-{i}" })]);
        AssertRefused(config, "leadertools:loadBalancers", "a group holds 60 per direction");
    }

    [Fact]
    public void A_stack_file_whose_config_cannot_pass_through_one_environment_variable_is_refused()
    {
        var stack = TempProject.EditedStack("qas", "  leadertools:natGateway:\n    enabled: false\n    zone: us-west-2a\n", "")
            + $"  leadertools:natGateway:\n    enabled: false\n    zone: {new string('z', AwsQuotasLimit)}\n";
        using var project = new TempProject("big-config").WithStack("big", stack);
        var result = InfraCli.Run("plan", "--stack", "big", "--dir", project.Directory);
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("", result.Stdout);
        Assert.Contains("leadertools:natGateway = ", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("one environment variable", result.Stderr, StringComparison.Ordinal);
    }

    private const int AwsQuotasLimit = 130 * 1024;
}
