using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Infra.StackConfig;

/// <summary>What a user names to find a stack offline: the project's directory and the stack's name (the CLI spells them as options).</summary>
public enum ProjectInput
{
    Directory,
    Stack,
}

/// <summary>A project directory or stack name that leads to no stack: the CLI names the option it came from.</summary>
public sealed class ProjectInputException(ProjectInput input, string value, string message) : Exception(message)
{
    public ProjectInput Input { get; } = input;

    public string Value { get; } = value;
}

/// <summary>The Pulumi project in a directory: its name (the config namespace) and its stack files.</summary>
public sealed record PulumiProject(string Directory, string Name)
{
    public const string ProjectFile = "Pulumi.yaml";

    public string StackFile(string stack) => Path.Combine(Directory, $"Pulumi.{stack}.yaml");

    public IReadOnlyList<string> Stacks() =>
        System.IO.Directory.EnumerateFiles(Directory, "Pulumi.*.yaml")
            .Select(Path.GetFileName)
            .Select(f => f!["Pulumi.".Length..^".yaml".Length])
            .Order(StringComparer.Ordinal)
            .ToList();

    public static PulumiProject Open(string directory)
    {
        var file = Path.Combine(directory, ProjectFile);
        if (!File.Exists(file))
        {
            throw new ProjectInputException(ProjectInput.Directory, directory, $"holds no {ProjectFile}; run from the project directory or name it");
        }

        try
        {
            var stream = BoundedYaml.LoadFile(file);
            if (stream.Documents.FirstOrDefault()?.RootNode is YamlMappingNode root
                && root.Children.TryGetValue(new YamlScalarNode("name"), out var nameNode)
                && nameNode is YamlScalarNode { Value: { Length: > 0 } name })
            {
                return new PulumiProject(Path.GetFullPath(directory), name);
            }
        }
        catch (YamlException e)
        {
            throw new ConfigException([new ConfigProblem(ProjectFile, $"line {e.Start.Line}", $"not valid YAML: {e.Message}")]);
        }
        catch (YamlRefusedException e)
        {
            throw new ConfigException([new ConfigProblem(ProjectFile, "(not read)", e.Message)]);
        }

        throw new ConfigException([new ConfigProblem($"{ProjectFile}: name", "(missing)", "the project needs a name; it is the config namespace")]);
    }

    /// <summary>The stack's configuration, as Pulumi would pass it; a missing stack file is an error naming the stacks there are.</summary>
    /// <summary>
    /// Pulumi's own rule for stack and project names; anything else (a path such as "x/../../f")
    /// would make Pulumi.&lt;stack&gt;.yaml a file outside the project, or a tag value AWS refuses.
    /// </summary>
    public static void CheckName(string name, string key, string what)
    {
        if (NameProblem(name, what) is { } problem)
        {
            throw new ConfigException([new ConfigProblem(key, Printable.Short(name), problem)]);
        }
    }

    private static string? NameProblem(string name, string what) =>
        name.Length is 0 or > 100 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.') || name.StartsWith('.')
            ? $"a {what} name is 1 to 100 letters, digits, '-', '_' and '.', not starting with '.'"
            : null;

    public PulumiConfigMap ReadStack(string stack)
    {
        if (NameProblem(stack, "stack") is { } problem)
        {
            throw new ProjectInputException(ProjectInput.Stack, Printable.Short(stack), problem);
        }

        var path = StackFile(stack);
        if (!File.Exists(path))
        {
            var known = Stacks();
            throw new ProjectInputException(ProjectInput.Stack, stack, $"no Pulumi.{stack}.yaml in the project (stacks: {string.Join(", ", known)})");
        }

        return PulumiConfigMap.FromStackFile(path, Name);
    }
}
