using System.CommandLine;
using Infra.Model;
using Infra.StackConfig;

namespace Infra.Cli;

/// <summary>The options every command shares to say which stack to load.</summary>
internal sealed class StackOptions
{
    public Option<string?> Stack { get; } = new("--stack", "-s")
    {
        Description = "Stack to load from Pulumi.<stack>.yaml. Without it, compile reads PULUMI_STACK and PULUMI_CONFIG as Pulumi sets them.",
    };

    public Option<DirectoryInfo> Directory { get; } = new("--dir")
    {
        Description = "Project directory holding Pulumi.yaml (default: the current directory, or PULUMI_ROOT_DIRECTORY).",
        DefaultValueFactory = _ => new DirectoryInfo(Environment.GetEnvironmentVariable("PULUMI_ROOT_DIRECTORY") is { Length: > 0 } root ? root : "."),
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Stack);
        command.Options.Add(Directory);
    }

    /// <summary>Offline commands need a stack; they load it from its file.</summary>
    public EnvironmentSpec LoadRequired(ParseResult parse)
    {
        var stack = parse.GetValue(Stack) ?? Environment.GetEnvironmentVariable("PULUMI_STACK");
        if (string.IsNullOrEmpty(stack))
        {
            throw new UsageException("--stack", "(missing)", "name the stack to load, e.g. --stack qas");
        }

        return StackLoader.Load(new StackSource.StackFile(parse.GetValue(Directory)!.FullName, stack));
    }
}

/// <summary>A bad command-line argument: reported like a config problem, with the option and value.</summary>
internal sealed class UsageException(string option, string value, string message) : Exception($"{option} = {value}: {message}");
