using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using YamlDotNet.RepresentationModel;

namespace Infra.Tests.Harness;

public sealed record CompilerResult(int ExitCode, string Stdout, string Stderr);

/// <summary>
/// Runs the project's compiler the way the Pulumi CLI's YAML runtime does: the command from
/// Pulumi.yaml (runtime.options.compiler), in the project directory, with PULUMI_STACK,
/// PULUMI_PROJECT, PULUMI_ORGANIZATION, PULUMI_ROOT_DIRECTORY and PULUMI_CONFIG built from
/// Pulumi.&lt;stack&gt;.yaml. This is written independently of the product's own config reader.
/// </summary>
public static class PulumiRun
{
    private static readonly Lazy<(string Name, string Compiler)> Project = new(ReadProject);

    public static string ProjectName => Project.Value.Name;

    /// <summary>The stack's config as Pulumi stores it: "namespace:key" to a JSON value.</summary>
    public static JsonObject StackConfig(string stack) => StackConfigAt($"Pulumi.{stack}.yaml");

    /// <summary>The config of the stack file at <paramref name="relativePath"/> in the repository (examples/Pulumi.adopted.yaml).</summary>
    public static JsonObject StackConfigAt(string relativePath)
    {
        var yaml = new YamlStream();
        using (var reader = new StreamReader(Repo.Path(relativePath)))
        {
            yaml.Load(reader);
        }

        var root = (YamlMappingNode)yaml.Documents[0].RootNode;
        var config = (YamlMappingNode)root.Children[new YamlScalarNode("config")];
        var result = new JsonObject();
        foreach (var (key, value) in config.Children)
        {
            var name = ((YamlScalarNode)key).Value!;
            result[name.Contains(':', StringComparison.Ordinal) ? name : $"{ProjectName}:{name}"] = ToJson(value);
        }

        return result;
    }

    /// <summary>PULUMI_CONFIG: every value a string, structured values JSON-encoded.</summary>
    public static string EncodeConfig(JsonObject config)
    {
        var flat = new JsonObject();
        foreach (var (key, value) in config)
        {
            flat[key] = value switch
            {
                null => "",
                JsonValue v when v.TryGetValue<string>(out var s) => s,
                JsonValue v when v.TryGetValue<bool>(out var b) => b ? "true" : "false",
                JsonValue v => v.ToJsonString(),
                _ => value.ToJsonString(),
            };
        }

        return flat.ToJsonString();
    }

    public static CompilerResult Compile(string stack) => Compile(stack, StackConfig(stack));

    /// <param name="secretKeys">Keys Pulumi would list in PULUMI_CONFIG_SECRET_KEYS (their values decrypted in PULUMI_CONFIG).</param>
    public static CompilerResult Compile(string stack, JsonObject config, IEnumerable<string>? secretKeys = null)
    {
        var environment = new Dictionary<string, string>
        {
            ["PULUMI_STACK"] = stack,
            ["PULUMI_PROJECT"] = ProjectName,
            ["PULUMI_ORGANIZATION"] = "organization",
            ["PULUMI_ROOT_DIRECTORY"] = Repo.Root,
            ["PULUMI_CONFIG"] = EncodeConfig(config),
        };
        if (secretKeys is not null)
        {
            environment["PULUMI_CONFIG_SECRET_KEYS"] = new JsonArray(secretKeys.Select(k => (JsonNode?)k).ToArray()).ToJsonString();
        }

        return InProcess(environment);
    }

    /// <summary>
    /// The compile command in this process with exactly these variables, as the wrapper runs it
    /// when Pulumi calls it without arguments (infra/pulumi-compiler: no arguments -> `compile`).
    /// A child process proves nothing more here; what needs one (the wrapper, its build, signals,
    /// two processes' hash seeds) is tested through <see cref="Run"/>.
    /// </summary>
    public static CompilerResult InProcess(IReadOnlyDictionary<string, string> environment)
    {
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };
        var code = Infra.Cli.Program.Run(["compile"], stdout, stderr, key => environment.TryGetValue(key, out var value) ? value : null);
        return new CompilerResult(code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Pulumi's first call: the compiler with no PULUMI_* variables at all.</summary>
    public static CompilerResult Discover() => Run([], new Dictionary<string, string>());

    /// <summary>The compiler command with extra arguments (offline use: `--stack qas`, review commands).</summary>
    public static CompilerResult Run(IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment, string? workingDirectory = null)
    {
        var argv = Project.Value.Compiler.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var start = new ProcessStartInfo(argv[0].StartsWith("./", StringComparison.Ordinal) ? Repo.Path(argv[0][2..]) : argv[0])
        {
            WorkingDirectory = workingDirectory ?? Repo.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in argv.Skip(1).Concat(arguments))
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("PULUMI_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(key);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return new CompilerResult(process.ExitCode, stdout, stderr.Result);
    }

    private static (string, string) ReadProject()
    {
        var yaml = new YamlStream();
        using (var reader = new StreamReader(Repo.Path("Pulumi.yaml")))
        {
            yaml.Load(reader);
        }

        var root = (YamlMappingNode)yaml.Documents[0].RootNode;
        var name = ((YamlScalarNode)root.Children[new YamlScalarNode("name")]).Value!;
        var runtime = (YamlMappingNode)root.Children[new YamlScalarNode("runtime")];
        var options = (YamlMappingNode)runtime.Children[new YamlScalarNode("options")];
        var compiler = ((YamlScalarNode)options.Children[new YamlScalarNode("compiler")]).Value!;
        return (name, compiler);
    }

    public static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode m => new JsonObject(m.Children.Select(kv => KeyValuePair.Create(((YamlScalarNode)kv.Key).Value!, ToJson(kv.Value)))),
        YamlSequenceNode s => new JsonArray(s.Children.Select(ToJson).ToArray()),
        YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain } p when p.Value is "true" or "false" => JsonValue.Create(p.Value == "true"),
        YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain } p when long.TryParse(p.Value, out var n) => JsonValue.Create(n),
        YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain, Value: "null" or "~" } => null,
        YamlScalarNode s => JsonValue.Create(s.Value ?? ""),
        _ => null,
    };

    public static JsonNode? ParseJson(string json) => JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { AllowTrailingCommas = false });
}
