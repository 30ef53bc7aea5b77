using System.Diagnostics;
using Infra.Tests.Harness;

namespace Infra.Tests;

/// <summary>Issue 20, item 14: completion by the cursor's position, by prefix, with the stack's own names as values.</summary>
public sealed class ShellCompletionTests
{
    /// <summary>What the `[suggest:POSITION]` directive offers for a line whose cursor is at <paramref name="cursorAfter"/> (or the end).</summary>
    private static List<string> Offers(string line, string? cursorAfter = null)
    {
        line = line.Replace("ROOT", Repo.Root, StringComparison.Ordinal);
        var position = cursorAfter is null ? line.Length : line.IndexOf(cursorAfter, StringComparison.Ordinal) + cursorAfter.Length;
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };
        var code = Infra.Cli.Program.Run([$"[suggest:{position}]", line], stdout, stderr);
        Assert.Equal(0, code);
        return [.. stdout.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries)];
    }

    [Fact]
    public void Only_what_starts_with_the_word_is_offered() => Assert.Empty(Offers("la"));

    [Fact]
    public void A_command_is_completed_from_its_first_letters() => Assert.Equal(["plan"], Offers("pl"));

    [Fact]
    public void Fail_offers_the_stacks_gateways() =>
        Assert.Equal(["aviatrix-primary", "aviatrix-secondary"], Offers("trace --dir ROOT --stack qas --fail a"));

    [Fact]
    public void From_offers_the_stacks_subnets_by_role_and_zone() =>
        Assert.Equal(["pods/us-west-2a", "pods/us-west-2b"], Offers("trace --dir ROOT --stack qas --from pods/"));

    [Fact]
    public void To_offers_the_stacks_load_balancers() =>
        Assert.Equal(["lb:crownpeak", "lb:po3", "lb:ranktracker"], Offers("trace --dir ROOT --stack qas --to lb:"));

    [Fact]
    public void To_interface_offers_the_interface_kinds() =>
        Assert.Equal(["control-plane"], Offers("trace --dir ROOT --stack qas --to-interface c"));

    [Fact]
    public void Discover_offers_the_regions() =>
        Assert.Equal(["eu-south-1", "eu-south-2"], Offers("discover --region eu-s"));

    [Fact]
    public void Only_the_line_up_to_the_cursor_is_read() =>
        Assert.Equal(["aviatrix-secondary"], Offers("trace --dir ROOT --stack qas --fail aviatrix-s --format json", cursorAfter: "aviatrix-s"));

    [Fact]
    public void A_stack_that_does_not_load_offers_nothing_and_does_not_fail() =>
        Assert.Empty(Offers("trace --dir ROOT --stack nosuch --fail "));

    /// <summary>File options offer the files of their kind and the directories where the word points (issue 32, item 12).</summary>
    [Theory]
    [InlineData("diff --dir ROOT --stack qas --state ROOT/schema/", "schema", ".json")]
    [InlineData("check --dir ROOT --stack qas --program ROOT/tests/Infra.Tests/Fixtures/", "tests/Infra.Tests/Fixtures", ".yaml")]
    [InlineData("diff --dir ROOT --stack qas --base ROOT/tests/Infra.Tests/Fixtures/", "tests/Infra.Tests/Fixtures", ".yaml")]
    public void File_options_offer_files_of_their_kind(string line, string folder, string extension)
    {
        var fixtures = Repo.Path(folder.Split('/')) + "/";
        var expected = Directory.EnumerateFiles(fixtures, "*" + extension).Select(f => fixtures + Path.GetFileName(f))
            .Concat(Directory.EnumerateDirectories(fixtures).Where(d => !Path.GetFileName(d).StartsWith('.')).Select(d => fixtures + Path.GetFileName(d) + "/"))
            .Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(expected);
        Assert.Equal(expected, Offers(line).Where(o => o.StartsWith(fixtures, StringComparison.Ordinal)));
    }

    [Fact]
    public void A_file_option_in_a_directory_that_is_not_there_offers_nothing() =>
        Assert.Empty(Offers("check --dir ROOT --stack qas --program /nonexistent-infra-dir/"));

    [Fact]
    public void Base_offers_git_revisions() =>
        Assert.Contains("HEAD", Offers("diff --dir ROOT --stack qas --base "));

    [Fact]
    public void An_option_given_without_its_value_is_one_line_not_an_internal_error()
    {
        var result = InfraCli.Run("diff", "--dir", Repo.Root, "--stack", "qas", "--base");
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("", result.Stdout);
        Assert.DoesNotContain("internal error", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("--base", result.Stderr, StringComparison.Ordinal);
    }

    /// <summary>The README's bash function, run as bash runs it: COMP_LINE and COMP_POINT with the cursor mid-line.</summary>
    [Fact]
    public async Task The_readmes_bash_function_completes_at_the_cursor()
    {
        var readme = File.ReadAllLines(Repo.Path("README.md"));
        var first = Array.FindIndex(readme, l => l.Trim() == "_infra_complete() {");
        var last = Array.FindIndex(readme, first, l => l.Trim().StartsWith("complete -F _infra_complete", StringComparison.Ordinal));
        Assert.True(first >= 0 && last > first, "README has no bash completion function");
        var function = string.Join('\n', readme[first..(last + 1)].Select(l => l.Trim()));
        const string line = "./infra/pulumi-compiler trace --stack qas --fail aviatrix-p --format json";
        var point = line.IndexOf("aviatrix-p", StringComparison.Ordinal) + "aviatrix-p".Length;
        var script = $"{function}\nCOMP_LINE='{line}'; COMP_POINT={point}; _infra_complete; printf '%s\\n' \"${{COMPREPLY[@]}}\"";
        var start = new ProcessStartInfo("bash", ["-c", script]) { WorkingDirectory = Repo.Root, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using var bash = Process.Start(start)!;
        var stderr = bash.StandardError.ReadToEndAsync();
        var output = await bash.StandardOutput.ReadToEndAsync();
        await bash.WaitForExitAsync();
        Assert.True(bash.ExitCode == 0, await stderr);
        Assert.Equal("aviatrix-primary\n", output);
    }
}
