using System.Text.Json.Nodes;
using Infra.Tests.Harness;

namespace Infra.Tests;

/// <summary>
/// The policy gate in the compiler, which is all `pulumi preview` runs (issue 19, item 4): an
/// error-level finding fails the compiler as Pulumi runs it, naming rule, key and line; a waiver
/// needs a written reason; warnings reach the stack's outputs, which Pulumi prints.
/// </summary>
public sealed class PolicyGateTests
{
    private static JsonObject WithoutBootstrap()
    {
        var config = PulumiRun.StackConfig("qas");
        config.Remove("leadertools:bootstrap");
        return config;
    }

    [Fact]
    public void An_error_level_finding_fails_the_compiler_as_pulumi_runs_it()
    {
        var result = PulumiRun.Compile("qas", WithoutBootstrap());
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("", result.Stdout);
        Assert.Matches(@"infra: error: Pulumi\.qas\.yaml:\d+:\d+: leadertools:subnets\.nodes\.us-west-2a = INFRA008: ", result.Stderr);
        Assert.Contains("leadertools:policy.waivers.INFRA008", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_waiver_with_a_reason_lets_the_program_through_and_says_so_in_the_outputs()
    {
        var config = WithoutBootstrap();
        config["leadertools:policy"] = JsonNode.Parse("""{"waivers":{"INFRA008":"the spoke gateways forward already; checked by the network team"}}""");
        var result = PulumiRun.Compile("qas", config);
        Assert.Equal(0, result.ExitCode);
        var warnings = MockEngine.Run(result.Stdout, config).Outputs["policyWarnings"]!.AsArray().Select(w => w!.GetValue<string>()).ToList();
        Assert.Contains(warnings, w => w.StartsWith("INFRA008 waived (the spoke gateways forward already", StringComparison.Ordinal));
    }

    [Fact]
    public void Check_counts_a_waived_error_as_no_error()
    {
        var config = WithoutBootstrap();
        config["leadertools:policy"] = JsonNode.Parse("""{"waivers":{"INFRA008":"the spoke gateways forward already; checked by the network team"}}""");
        using var project = new TempProject("waiver").WithStack("qas", "config:\n" + string.Concat(config.Select(kv => $"  {kv.Key}: {kv.Value!.ToJsonString()}\n")));
        var result = InfraCli.Run("check", "--stack", "qas", "--dir", project.Directory, "--format", "json");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains(JsonNode.Parse(result.Stdout)!["findings"]!.AsArray(), f => f!["ruleId"]!.GetValue<string>() == "INFRA008" && f["waivedBecause"] is not null);
    }

    /// <summary>A reason is words (issue 32, item 9): twenty dots, zero-width spaces or one long token are not one.</summary>
    [Theory]
    [InlineData("INFRA008", "ok", "a written reason")]
    [InlineData("INFRA008", "....................", "a written reason")]
    [InlineData("INFRA008", "\u200b\u200b\u200b\u200b\u200b\u200b\u200b\u200b\u200b\u200b\u200b\u200b\u200b\u200b\u200b\u200b\u200b\u200b\u200b\u200b\u200b", "a written reason")]
    [InlineData("INFRA008", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "a written reason")]
    [InlineData("INFRA999", "a rule that does not exist at all, misspelt", "not a policy rule")]
    public void A_waiver_without_a_reason_or_for_no_rule_is_refused_naming_it(string rule, string reason, string why)
    {
        var config = PulumiRun.StackConfig("qas");
        config["leadertools:policy"] = new JsonObject { ["waivers"] = new JsonObject { [rule] = reason } };
        var result = PulumiRun.Compile("qas", config);
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("", result.Stdout);
        ErrorLines.AssertNames(result.Stderr, $"leadertools:policy.waivers.{rule}");
        Assert.Contains(why, result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Warnings_reach_the_outputs_pulumi_prints()
    {
        var warnings = TestStacks.Qas.Outputs["policyWarnings"]!.AsArray().Select(w => w!.GetValue<string>()).ToList();
        // No access entries: a warning qas does not waive, with the key to change.
        Assert.Contains(warnings, w => w.StartsWith("INFRA013 eks-cluster (leadertools:cluster.accessEntries): ", StringComparison.Ordinal));
        // The guide's public endpoint open to 0.0.0.0/0: accepted by qas, and said so with the reason.
        Assert.Contains(warnings, w => w.StartsWith("INFRA003 waived (the guide documents the API endpoint as public", StringComparison.Ordinal));
    }

    /// <summary>A warning can be waived too: it is then no longer counted as a warning, and the report says why it is accepted.</summary>
    [Fact]
    public void A_waived_warning_is_accepted_with_its_reason_and_not_counted()
    {
        var before = InfraCli.Json("check", "--stack", "dev", "--as-of", "2026-12-06");
        Assert.Contains(before["findings"]!.AsArray(), f => f!["ruleId"]!.GetValue<string>() == "INFRA013" && f["waivedBecause"] is null);
        using var project = new TempProject("waive-warning").WithStack("dev", File.ReadAllText(Repo.Path("Pulumi.dev.yaml")) + "  leadertools:policy:\n    waivers:\n      INFRA013: dev is used by its creator alone until the CI role exists\n");
        var after = InfraCli.Json("check", "--stack", "dev", "--dir", project.Directory, "--as-of", "2026-12-06");
        Assert.Contains(after["findings"]!.AsArray(), f => f!["ruleId"]!.GetValue<string>() == "INFRA013" && f["waivedBecause"]!.GetValue<string>().StartsWith("dev is used", StringComparison.Ordinal));
        Assert.Equal(before["warnings"]!.GetValue<int>() - 1, after["warnings"]!.GetValue<int>());
    }
}
