using System.Text.Json.Nodes;
using Infra.Tests.Harness;
using YamlDotNet.RepresentationModel;

namespace Infra.Tests;

/// <summary>
/// Every malformed configuration of the corpus (BadInput/) gets one error naming the key, a
/// non-zero exit, and nothing on stdout from the compiler as Pulumi runs it.
/// </summary>
public sealed class BadInputTests
{
    public static TheoryData<string> ConfigCases() => new(LoadCases().Select(c => c.Name));

    public static TheoryData<string> StackFiles() =>
        new(Directory.EnumerateFiles(Repo.Path("tests", "Infra.Tests", "BadInput", "stacks"), "*.yaml").Select(Path.GetFileName).Order(StringComparer.Ordinal)!);

    /// <summary>Every top-level key the project declares has a malformed case naming it or a key under it: a new key comes with its refusal.</summary>
    [Fact]
    public void Every_top_level_key_has_a_malformed_case()
    {
        var named = LoadCases().Select(c => c.Key).ToList();
        var uncovered = Infra.StackConfig.ConfigSchema.ProjectKeys.Select(k => $"{PulumiRun.ProjectName}:{k.Name}")
            .Where(k => !named.Any(n => n == k || n.StartsWith(k + ".", StringComparison.Ordinal) || n.StartsWith(k + "[", StringComparison.Ordinal)))
            .ToList();
        Assert.True(uncovered.Count == 0, $"no malformed case names {string.Join(", ", uncovered)}");
    }

    [Theory]
    [MemberData(nameof(ConfigCases))]
    public void Malformed_config_is_rejected_naming_the_key(string name)
    {
        var @case = LoadCases().Single(c => c.Name == name);
        var config = PulumiRun.StackConfig("qas");
        foreach (var path in @case.Remove)
        {
            ConfigEdit.Remove(config, path);
        }

        foreach (var (path, value) in @case.Set)
        {
            ConfigEdit.Set(config, path, value);
        }

        var environment = new Dictionary<string, string>
        {
            ["PULUMI_STACK"] = "qas",
            ["PULUMI_PROJECT"] = PulumiRun.ProjectName,
            ["PULUMI_ROOT_DIRECTORY"] = Repo.Root,
            ["PULUMI_CONFIG"] = RawOverrides(PulumiRun.EncodeConfig(config), @case.Raw),
        };
        AssertRejected(PulumiRun.InProcess(environment), @case.Key);
    }

    [Theory]
    [MemberData(nameof(StackFiles))]
    public void Malformed_stack_file_is_rejected_naming_the_key(string file)
    {
        var source = Repo.Path("tests", "Infra.Tests", "BadInput", "stacks", file);
        var expected = File.ReadLines(source).First()["# expect: ".Length..];
        using var project = new TempProject("bad-stack").WithStack("bad", File.ReadAllText(source));
        AssertRejected(InfraCli.Run("compile", "--stack", "bad", "--dir", project.Directory), expected);
    }

    /// <summary>A file that is not a stack file is told where (FILE:LINE:COL, the tab's own line) and why (issue 32, item 8).</summary>
    [Theory]
    [InlineData("tab-indentation.yaml", "infra: error: Pulumi.bad.yaml:4:1: Pulumi.bad.yaml = (tab): a tab in the indentation; YAML indents with spaces only")]
    [InlineData("comments-only.yaml", "infra: error: Pulumi.bad.yaml = (empty): holds no `config:` mapping")]
    [InlineData("misspelt-config-section.yaml", "infra: error: Pulumi.bad.yaml:2:1: Pulumi.bad.yaml = confg: not a stack file section; did you mean config?")]
    [InlineData("unclosed-flow-mapping.yaml", "infra: error: Pulumi.bad.yaml:")]
    public void A_file_that_is_not_a_stack_file_is_told_where_and_why(string file, string expected)
    {
        using var project = new TempProject("bad-stack").WithStack("bad", File.ReadAllText(Repo.Path("tests", "Infra.Tests", "BadInput", "stacks", file)));
        var result = InfraCli.Run("check", "--stack", "bad", "--dir", project.Directory);
        Assert.NotEqual(0, result.ExitCode);
        Assert.StartsWith(expected, result.Stderr, StringComparison.Ordinal);
    }

    /// <summary>A misspelt key gets the nearest declared name, at its own level.</summary>
    [Theory]
    [InlineData("  leadertools:nodeGroup:", "  leadertools:nodeGrop:", "leadertools:nodeGrop", "unknown key; did you mean nodeGroup?")]
    [InlineData("    minSize: 2", "    minSise: 2", "leadertools:nodeGroup.minSise", "unknown key; did you mean minSize?")]
    [InlineData("  leadertools:vpc:", "  leadertools:vcp:", "leadertools:vcp", "unknown key; did you mean vpc?")]
    public void A_misspelt_key_gets_a_did_you_mean(string find, string replace, string key, string expected)
    {
        using var project = new TempProject("misspelt").WithStack("qas", TempProject.EditedStack("qas", find, replace));
        var result = InfraCli.Run("check", "--stack", "qas", "--dir", project.Directory);
        var line = result.Stderr.Split('\n').Single(l => ErrorLines.Names(l, key));
        Assert.Contains(expected, line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--stack", "nosuchstack", "--stack = nosuchstack")]
    [InlineData("--stack", "", "--stack")]
    [InlineData("--stack", "x/../../f", "--stack = x/../../f: a stack name")]
    [InlineData("--stack", "..", "--stack = ..: a stack name")]
    [InlineData("--dir", "/nonexistent-project-dir", "--dir = ")]
    [InlineData("--bogus", "1", "--bogus")]
    public void Bad_compiler_arguments_are_rejected_with_one_message(string option, string value, string named)
    {
        var result = PulumiRun.Run(value.Length > 0 ? [option, value] : [option], new Dictionary<string, string>());
        Assert.NotEqual(0, result.ExitCode);
        Assert.Equal("", result.Stdout);
        Assert.Contains(named, result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_yaml_number_where_a_string_belongs_is_told_to_be_quoted()
    {
        var config = PulumiRun.StackConfig("qas");
        config["leadertools:cluster"]!["kubernetesVersion"] = 1.33;
        var result = PulumiRun.Compile("qas", config);
        AssertRejected(result, "leadertools:cluster.kubernetesVersion");
        Assert.Contains("in quotes exactly as you mean it, e.g. \"1.33\"", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_version_whose_trailing_zero_yaml_dropped_is_told_so()
    {
        // kubernetesVersion: 1.30 unquoted reaches the compiler as the number 1.3.
        var config = PulumiRun.StackConfig("qas");
        config["leadertools:cluster"]!["kubernetesVersion"] = 1.3;
        var result = PulumiRun.Compile("qas", config);
        AssertRejected(result, "leadertools:cluster.kubernetesVersion");
        Assert.Contains("1.30 reads as 1.3", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("e.g. \"1.30\"", result.Stderr, StringComparison.Ordinal);
    }

    internal static void AssertRejected(CompilerResult result, string key)
    {
        Assert.NotEqual(0, result.ExitCode);
        Assert.Equal("", result.Stdout);
        ErrorLines.AssertNames(result.Stderr, key);
    }

    private static string RawOverrides(string encoded, IReadOnlyDictionary<string, string> raw)
    {
        var flat = JsonNode.Parse(encoded)!.AsObject();
        foreach (var (key, value) in raw)
        {
            flat[key] = value;
        }

        return flat.ToJsonString();
    }

    internal sealed record BadCase(string Name, string Key, IReadOnlyList<(string, JsonNode?)> Set, IReadOnlyList<string> Remove, IReadOnlyDictionary<string, string> Raw);

    internal static List<BadCase> LoadCases()
    {
        var yaml = new YamlStream();
        using (var reader = new StreamReader(Repo.Path("tests", "Infra.Tests", "BadInput", "config-cases.yaml")))
        {
            yaml.Load(reader);
        }

        return ((YamlSequenceNode)yaml.Documents[0].RootNode).Children.Cast<YamlMappingNode>().Select(node =>
        {
            string Scalar(string key) => ((YamlScalarNode)node.Children[new YamlScalarNode(key)]).Value!;
            YamlNode? Get(string key) => node.Children.TryGetValue(new YamlScalarNode(key), out var v) ? v : null;
            var set = (Get("set") as YamlMappingNode)?.Children.Select(kv => (((YamlScalarNode)kv.Key).Value!, PulumiRun.ToJson(kv.Value))).ToList() ?? [];
            var remove = (Get("remove") as YamlSequenceNode)?.Children.Select(x => ((YamlScalarNode)x).Value!).ToList() ?? [];
            var raw = (Get("raw") as YamlMappingNode)?.Children.ToDictionary(kv => ((YamlScalarNode)kv.Key).Value!, kv => ((YamlScalarNode)kv.Value).Value!) ?? [];
            return new BadCase(Scalar("name"), Scalar("key"), set, remove, raw);
        }).ToList();
    }
}

/// <summary>Bad arguments to every command: one message naming the option and value, exit 1, nothing on stdout.</summary>
public sealed class BadArgumentTests
{
    [Theory]
    [InlineData("plan --stack qas --format yaml", "yaml")]
    [InlineData("plan", "--stack = (missing)")]
    [InlineData("capacity --stack nosuch", "--stack = nosuch")]
    [InlineData("diagram --stack qas --update-readme /nonexistent/README.md", "--update-readme = /nonexistent/README.md")]
    [InlineData("check --stack qas --program /nonexistent/program.yaml", "--program = /nonexistent/program.yaml")]
    [InlineData("check --stack qas --format xml", "xml")]
    [InlineData("diff --stack qas", "--base")]
    [InlineData("trace --stack qas --to 8.8.8.8", "--from")]
    [InlineData("trace --stack qas --from 100.96.32.10 --to 8.8.8.8 --protocol icmp", "icmp")]
    [InlineData("nosuchcommand", "nosuchcommand")]
    public void Bad_arguments_are_rejected(string commandLine, string named)
    {
        var result = InfraCli.Run(commandLine.Split(' '));
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("", result.Stdout);
        Assert.Contains(named, result.Stderr, StringComparison.Ordinal);
    }
}

/// <summary>A saved program that is not a program is reported under the option that named it.</summary>
public sealed class SavedProgramTests
{
    [Fact]
    public void Check_of_a_file_that_is_not_a_program_names_the_program_option()
    {
        var file = Path.GetTempFileName();
        File.WriteAllText(file, "- just\n- a list\n");
        var result = InfraCli.Run("check", "--stack", "qas", "--program", file);
        File.Delete(file);
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("", result.Stdout);
        Assert.Contains($"--program = {file}", result.Stderr, StringComparison.Ordinal);
    }
}
