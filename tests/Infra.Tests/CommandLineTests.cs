using System.Diagnostics;
using Infra.Tests.Harness;

namespace Infra.Tests;

/// <summary>
/// The command line as a platform engineer meets it through the wrapper infra/pulumi-compiler
/// (issue 11, items 1 and 4): process-level, with the environment Pulumi would or would not set.
/// </summary>
public sealed class CommandLineTests
{
    private static readonly IReadOnlyDictionary<string, string> NoPulumi = new Dictionary<string, string>();

    private static readonly string[] Commands = ["compile", "plan", "diff", "trace", "capacity", "diagram", "check"];

    [Fact]
    public void Help_through_the_wrapper_lists_every_command_and_the_exit_codes_once()
    {
        var result = PulumiRun.Run(["--help"], NoPulumi);
        Assert.Equal(0, result.ExitCode);
        Assert.All(Commands, c => Assert.Matches($"(?m)^  {c} ", result.Stdout));
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(result.Stdout, "Exit codes"));
    }

    [Theory]
    [InlineData("help")]
    [InlineData("help", "trace")]
    public void Help_as_a_command_answers(params string[] args)
    {
        var result = PulumiRun.Run(args, NoPulumi);
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Usage:", result.Stdout, StringComparison.Ordinal);
    }

    /// <summary>Help for the root and every command it lists fits 80 columns, wrapped at word boundaries (issue 32, item 7).</summary>
    [Fact]
    public void Help_fits_80_columns_for_every_command()
    {
        static string Help(params string[] args)
        {
            var stdout = new StringWriter { NewLine = "\n" };
            Assert.Equal(0, Infra.Cli.Program.Run([.. args, "--help"], stdout, new StringWriter()));
            return stdout.ToString();
        }

        var root = Help();
        var listed = root[root.IndexOf("Commands:", StringComparison.Ordinal)..];
        var commands = System.Text.RegularExpressions.Regex.Matches(listed, @"(?m)^  ([a-z]+)\b").Select(m => m.Groups[1].Value).Distinct().ToList();
        Assert.Contains("discover", commands);
        foreach (var (command, text) in commands.Select(c => (c, Help(c))).Prepend(("(root)", root)))
        {
            var wide = text.Split('\n').Where(l => l.Length > Infra.Cli.Program.HelpWidth).ToList();
            Assert.True(wide.Count == 0, $"{command} --help has lines over {Infra.Cli.Program.HelpWidth} columns:\n{string.Join('\n', wide)}");
        }
    }

    [Fact]
    public void Version_names_the_version_and_the_commit()
    {
        var result = PulumiRun.Run(["--version"], NoPulumi);
        Assert.Equal(0, result.ExitCode);
        Assert.Matches(@"^infra \d+\.\d+\.\d+ \(commit [0-9a-f]{7,} \d{4}-\d{2}-\d{2}\)\n$", result.Stdout);
    }

    [Fact]
    public void Pulumi_stack_without_pulumi_config_reads_the_stack_file_and_says_so()
    {
        var result = PulumiRun.Run([], new Dictionary<string, string> { ["PULUMI_STACK"] = "qas" });
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(TestStacks.Program("qas"), result.Stdout);
        Assert.Contains("PULUMI_STACK=qas without PULUMI_CONFIG", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Review_commands_resolve_pulumi_stack_like_the_compiler()
    {
        var result = PulumiRun.Run(["plan", "--format", "json"], new Dictionary<string, string> { ["PULUMI_STACK"] = "qas" });
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("\"stack\": \"qas\"", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Discovery_typed_at_a_terminal_says_what_it_is()
    {
        // `script` gives the compiler a terminal, as when someone runs it by hand.
        var start = new ProcessStartInfo("script", ["-qec", "./infra/pulumi-compiler", "/dev/null"]) { WorkingDirectory = Repo.Root, RedirectStandardOutput = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("PULUMI_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(key);
        }

        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
        Assert.Contains("package-discovery program", output, StringComparison.Ordinal);
        Assert.Contains("--stack qas", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Discovery_as_pulumi_runs_it_prints_only_the_program() =>
        // (The wrapper's own build progress, when a build happens, is not the compiler's.)
        Assert.DoesNotContain(PulumiRun.Discover().Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => !l.StartsWith("pulumi-compiler:", StringComparison.Ordinal));

    [Theory]
    [InlineData(80)]
    [InlineData(120)]
    public void Text_output_fits_the_width_columns_asks_for_and_is_plain_when_piped(int columns)
    {
        var result = PulumiRun.Run(["plan", "--stack", "qas"], new Dictionary<string, string> { ["COLUMNS"] = columns.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        Assert.Equal(0, result.ExitCode);
        var lines = result.Stdout.Split('\n');
        Assert.All(lines, l => Assert.True(l.Length <= columns, $"{l.Length} > {columns}: {l}"));
        Assert.Contains(lines, l => l.Length > columns - 10);
        Assert.All(result.Stdout, c => Assert.True(c < 128, $"non-ASCII {c} in piped output"));
    }

    [Fact]
    public void Diagram_text_is_a_mermaid_file()
    {
        var result = PulumiRun.Run(["diagram", "--stack", "qas"], NoPulumi);
        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("flowchart ", result.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("plna", "did you mean plan?")]
    [InlineData("chek", "did you mean check?")]
    [InlineData("deploy", "unknown command: (commands: compile, plan")]
    public void A_mistyped_command_gets_one_line_and_a_suggestion(string command, string expected)
    {
        var result = InfraCli.Run(command, "--stack", "qas");
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("", result.Stdout);
        Assert.Contains(expected, result.Stderr, StringComparison.Ordinal);
        Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Theory]
    [InlineData("pla", "plan")]
    [InlineData("plan --stac", "--stack")]
    [InlineData("plan --stack q", "qas")]
    public void Shell_completion_answers_through_the_suggest_directive(string line, string offered)
    {
        var result = PulumiRun.Run([$"[suggest:{line.Length}]", line], NoPulumi);
        Assert.Equal(0, result.ExitCode);
        Assert.Contains(offered, result.Stdout.Split('\n'));
    }

    [Fact]
    public void A_choice_the_command_line_refuses_is_one_readable_line()
    {
        var result = InfraCli.Run("schema", "--format", "text");
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("infra: error: Argument 'text' not recognized. Must be one of: 'json' 'markdown'\n", result.Stderr);
    }

    [Fact]
    public void An_option_given_twice_is_named_once_in_the_error_format()
    {
        var result = InfraCli.Run("plan", "--stack", "fz", "--stack", "../x");
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("infra: error: --stack = given 2 times: give it once\n", result.Stderr);
    }

    [Fact]
    public void A_line_separator_in_an_echoed_value_does_not_break_the_line()
    {
        Assert.Equal("a\\u2028b", Infra.Model.Validation.Printable.Of("a\u2028b", 100));
    }
}
