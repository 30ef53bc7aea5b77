using System.Text;
using System.Text.Json.Nodes;
using Infra.Tests.Harness;

namespace Infra.Tests;

/// <summary>
/// Input built to hurt (issue 10, item 1): every YAML and JSON read is bounded in size, depth and
/// alias expansion, and ends in one message naming where the input came from, never a stack trace.
/// </summary>
public sealed class HostileInputTests
{
    private static string BillionLaughs()
    {
        var text = new StringBuilder("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (var i = 1; i < 10; i++)
        {
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"a{i}: &a{i} [{string.Join(", ", Enumerable.Repeat($"*a{i - 1}", 9))}]\n");
        }

        return text.ToString();
    }

    private static string Nested(int levels) => $"resources: {new string('[', levels)}{new string(']', levels)}\n";

    private static CompilerResult WithFile(string text, Func<string, CompilerResult> run)
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, text);
            return run(file);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static void AssertRefused(CompilerResult result, string named, string why)
    {
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("", result.Stdout);
        Assert.Contains(named, result.Stderr, StringComparison.Ordinal);
        Assert.Contains(why, result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_refuses_a_saved_program_whose_aliases_expand_without_bound() =>
        AssertRefused(WithFile(BillionLaughs(), f => InfraCli.Run("check", "--stack", "qas", "--program", f)), "--program", "expands to more than");

    [Fact]
    public void Diff_refuses_a_base_file_with_a_recursive_alias() =>
        AssertRefused(WithFile("resources: &r\n  a: *r\n", f => InfraCli.Run("diff", "--stack", "qas", "--base", f)), "--base", "inside the node it names");

    [Fact]
    public void Check_refuses_a_program_nested_ten_thousand_levels_deep() =>
        AssertRefused(WithFile(Nested(10_000), f => InfraCli.Run("check", "--stack", "qas", "--program", f)), "--program", "nests deeper than 64 levels");

    [Fact]
    public void Check_refuses_a_program_keyed_by_a_mapping() =>
        AssertRefused(WithFile("resources:\n  ? {a: 1}\n  : {type: aws:ec2:Vpc}\n", f => InfraCli.Run("check", "--stack", "qas", "--program", f)), "--program", "key that is a mapping or a list");

    [Fact]
    public void A_huge_saved_program_is_refused_unread() =>
        AssertRefused(WithFile(new string('#', 17 * 1024 * 1024), f => InfraCli.Run("check", "--stack", "qas", "--program", f)), "--program", "characters are read");

    [Fact]
    public void Pulumi_config_with_a_key_given_twice_is_refused_naming_the_key()
    {
        var config = PulumiRun.EncodeConfig(PulumiRun.StackConfig("qas"));
        var doubled = config[..^1] + ",\"aws:region\":\"us-east-1\"}";
        var result = PulumiRun.Run([], new Dictionary<string, string> { ["PULUMI_STACK"] = "qas", ["PULUMI_PROJECT"] = "leadertools", ["PULUMI_CONFIG"] = doubled });
        AssertRefused(result, "PULUMI_CONFIG", "\"aws:region\" appears twice");
    }

    [Fact]
    public void Pulumi_config_holding_a_lone_surrogate_is_refused_naming_the_key()
    {
        var config = JsonNode.Parse(PulumiRun.EncodeConfig(PulumiRun.StackConfig("qas")))!.AsObject().ToJsonString();
        var broken = config.Replace("\"us-west-2\"", "\"us-west-2\\ud800\"", StringComparison.Ordinal);
        var result = PulumiRun.Run([], new Dictionary<string, string> { ["PULUMI_STACK"] = "qas", ["PULUMI_PROJECT"] = "leadertools", ["PULUMI_CONFIG"] = broken });
        AssertRefused(result, "PULUMI_CONFIG", "unpaired UTF-16 surrogate");
    }

    [Fact]
    public void Echoed_values_cannot_forge_lines_reach_the_terminal_or_grow_the_message()
    {
        var config = PulumiRun.StackConfig("qas");
        config["leadertools:cluster"]!["name"] = "x\ninfra: error: forged\u001b[31m" + new string('y', 100_000);
        var result = PulumiRun.Run([], new Dictionary<string, string> { ["PULUMI_STACK"] = "qas", ["PULUMI_PROJECT"] = "leadertools", ["PULUMI_CONFIG"] = PulumiRun.EncodeConfig(config) });
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("", result.Stdout);
        var lines = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith("pulumi-compiler:", StringComparison.Ordinal)).ToList();
        Assert.Single(lines, l => ErrorLines.Names(l, "leadertools:cluster.name"));
        Assert.DoesNotContain(lines, l => l.StartsWith("infra: error: forged", StringComparison.Ordinal));
        Assert.DoesNotContain('\u001b', result.Stderr);
        Assert.All(lines, l => Assert.True(l.Length < 2_000, $"a {l.Length}-character line"));
    }

    [Theory]
    [InlineData("a\nb", "a\\nb")]
    [InlineData("\u001b[31mred", "\\u001b[31mred")]
    [InlineData("left\u202Eright", "left\\u202eright")]
    [InlineData("plain", "plain")]
    public void Printable_escapes_what_a_terminal_would_act_on(string text, string shown) =>
        Assert.Equal(shown, Infra.Model.Validation.Printable.Of(text, 100));

    [Fact]
    public void Printable_says_how_much_it_left_out() =>
        Assert.Equal("aaa... (7 more characters)", Infra.Model.Validation.Printable.Of(new string('a', 10), 3));
}
