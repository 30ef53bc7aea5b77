using Infra.Model;
using Infra.Model.Cluster;
using Infra.Model.Validation;

namespace Infra.StackConfig;

/// <summary>Where a run's configuration comes from.</summary>
public abstract record StackSource
{
    /// <summary>A Pulumi run: PULUMI_STACK, PULUMI_PROJECT and PULUMI_CONFIG.</summary>
    public sealed record PulumiEnvironment(string Project, string Stack, string ConfigJson, string? SecretKeysJson = null) : StackSource;

    /// <summary>Offline: Pulumi.&lt;stack&gt;.yaml beside Pulumi.yaml in a directory.</summary>
    public sealed record StackFile(string Directory, string Stack) : StackSource;
}

/// <summary>Loads and validates a stack: the one path every command goes through.</summary>
public static class StackLoader
{
    public static EnvironmentSpec Load(StackSource source, InstanceLimits? catalogue = null)
    {
        var (project, stack, config) = source switch
        {
            StackSource.PulumiEnvironment env => (env.Project, env.Stack, PulumiConfigMap.FromEnvironmentJson(env.ConfigJson, env.SecretKeysJson)),
            StackSource.StackFile file => ReadFile(file),
            _ => throw new ArgumentOutOfRangeException(nameof(source)),
        };

        return Validate(StackConfigReader.Read(project, stack, config), catalogue);
    }

    public static EnvironmentSpec Load(string project, string stack, PulumiConfigMap config, InstanceLimits? catalogue = null) =>
        Validate(StackConfigReader.Read(project, stack, config), catalogue);

    private static (string, string, PulumiConfigMap) ReadFile(StackSource.StackFile file)
    {
        var project = PulumiProject.Open(file.Directory);
        return (project.Name, file.Stack, project.ReadStack(file.Stack));
    }

    private static EnvironmentSpec Validate(EnvironmentSpec environment, InstanceLimits? catalogue)
    {
        var problems = EnvironmentValidator.Validate(environment, catalogue ?? InstanceLimits.Embedded);
        return problems.Count > 0 ? throw new ConfigException(problems) : environment;
    }
}
