using System.CommandLine;
using Infra.StackConfig;

namespace Infra.Cli;

/// <summary>The options every command shares to say which stack to load.</summary>
internal sealed class StackOptions
{
    public Option<string?> Stack { get; } = new("--stack", "-s")
    {
        Description = "Stack to load from Pulumi.<stack>.yaml. Without it, compile reads PULUMI_STACK and PULUMI_CONFIG as Pulumi sets them.",
    };

    private readonly Func<string, string?> environment;
    private readonly TextWriter stderr;

    public StackOptions(Func<string, string?> environment, TextWriter stderr)
    {
        this.environment = environment;
        this.stderr = stderr;
        Directory = new("--dir")
        {
            Description = "Project directory holding Pulumi.yaml (default: the current directory, or PULUMI_ROOT_DIRECTORY).",
            DefaultValueFactory = _ => new DirectoryInfo(environment("PULUMI_ROOT_DIRECTORY") is { Length: > 0 } root ? root : "."),
        };
        // Shell completion offers the stacks of the project directory (Pulumi.<stack>.yaml).
        Stack.CompletionSources.Add(context => System.IO.Directory.EnumerateFiles(context.ParseResult.GetValue(Directory)?.FullName ?? ".", "Pulumi.*.yaml")
            .Select(f => Path.GetFileName(f)["Pulumi.".Length..^".yaml".Length])
            .Order(StringComparer.Ordinal)
            .Select(name => new System.CommandLine.Completions.CompletionItem(name)));
    }

    public Option<DirectoryInfo> Directory { get; }

    public void AddTo(Command command)
    {
        command.Options.Add(Stack);
        command.Options.Add(Directory);
    }

    /// <summary>
    /// Which stack every command works on, resolved one way: `--stack NAME` reads Pulumi.NAME.yaml;
    /// otherwise PULUMI_STACK with PULUMI_CONFIG, as Pulumi's YAML language host sets them together
    /// (pulumi-yaml v1.38.1, pkg/server/server.go, Run); PULUMI_STACK alone names a stack file;
    /// null when no stack is named (Pulumi's package-discovery call sets none).
    /// </summary>
    public StackSource? Resolve(ParseResult parse)
    {
        var directory = parse.GetValue(Directory)!.FullName;
        if (parse.GetValue(Stack) is { } stack)
        {
            return new StackSource.StackFile(directory, stack);
        }

        var pulumiStack = environment("PULUMI_STACK");
        if (string.IsNullOrEmpty(pulumiStack))
        {
            return null;
        }

        var config = environment("PULUMI_CONFIG");
        if (config is null)
        {
            // Not run by Pulumi, which sets both: a user's PULUMI_STACK names a stack file.
            stderr.WriteLine($"infra: PULUMI_STACK={Printable.Of(pulumiStack, 60)} without PULUMI_CONFIG (Pulumi sets both): reading the stack file, as --stack would");
            return new StackSource.StackFile(directory, pulumiStack);
        }

        var project = environment("PULUMI_PROJECT") is { Length: > 0 } p ? p : PulumiProject.Open(directory).Name;
        // The language host marshals an empty config map as "null".
        return new StackSource.PulumiEnvironment(project, pulumiStack, config is "" or "null" ? "{}" : config, environment("PULUMI_CONFIG_SECRET_KEYS"), directory);
    }

    /// <summary>Review commands need a stack.</summary>
    public EnvironmentSpec LoadRequired(ParseResult parse) => StackLoader.Load(ResolveRequired(parse));

    /// <summary>The review commands work from the validated stack, every reference resolved once.</summary>
    public ValidatedEnvironment LoadValidated(ParseResult parse) => ValidatedEnvironment.From(LoadRequired(parse));

    public StackSource ResolveRequired(ParseResult parse) =>
        Resolve(parse) ?? throw new UsageException("--stack", "(missing)", "name the stack to load, e.g. --stack qas");
}

/// <summary>A bad command-line argument: reported like a config problem, with the option and value.</summary>
internal sealed class UsageException(string option, string value, string message) : Exception($"{option} = {value}: {message}");
