namespace Infra.StackConfig;

/// <summary>Where a run's configuration comes from.</summary>
public abstract record StackSource
{
    /// <summary>A Pulumi run: PULUMI_STACK, PULUMI_PROJECT and PULUMI_CONFIG.</summary>
    /// <param name="RootDirectory">PULUMI_ROOT_DIRECTORY: where the stack file lies, read for what PULUMI_CONFIG does not say (which values are secret, where keys stand).</param>
    public sealed record PulumiEnvironment(string Project, string Stack, string ConfigJson, string? SecretKeysJson = null, string? RootDirectory = null) : StackSource;

    /// <summary>Offline: Pulumi.&lt;stack&gt;.yaml beside Pulumi.yaml in a directory.</summary>
    public sealed record StackFile(string Directory, string Stack) : StackSource;
}

/// <summary>Loads and validates a stack: the one path every command goes through.</summary>
public static class StackLoader
{
    public static EnvironmentSpec Load(StackSource source, InstanceLimits? catalogue = null) => LoadLocated(source, catalogue).Environment;

    /// <summary>
    /// The stack, and where its keys stand in the stack file (none for a Pulumi run's PULUMI_CONFIG),
    /// for reports that point at a line; the file is read once for both.
    /// </summary>
    public static (EnvironmentSpec Environment, StackFilePositions Positions) LoadLocated(StackSource source, InstanceLimits? catalogue = null)
    {
        var (project, stack, config) = source switch
        {
            StackSource.PulumiEnvironment env => ReadEnvironment(env),
            StackSource.StackFile file => ReadFile(file),
            _ => throw new ArgumentOutOfRangeException(nameof(source)),
        };

        try
        {
            return (Validate(StackConfigReader.Read(project, stack, config), catalogue), config.Positions);
        }
        catch (ConfigException e) when (config.Positions.File is not null)
        {
            throw Locate(e, config.Positions);
        }
    }

    /// <summary>The problems with the stack file's line and column of each key, where known.</summary>
    public static ConfigException Locate(ConfigException e, StackFilePositions positions) =>
        positions.File is not { } file ? e : new ConfigException([.. e.Problems.Select(p => p.Location is null && positions.Find(p.Key) is { } at ? p with { Location = $"{file}:{at.Line}:{at.Column}" } : p)]);

    public static EnvironmentSpec Load(string project, string stack, PulumiConfigMap config, InstanceLimits? catalogue = null)
    {
        return Validate(StackConfigReader.Read(project, stack, config), catalogue);
    }

    /// <summary>
    /// A Pulumi run: PULUMI_CONFIG holds the values, secrets decrypted, and nothing says which are
    /// secret (pulumi-yaml v1.38.1 pkg/server/server.go Run sets only PULUMI_STACK,
    /// PULUMI_ORGANIZATION, PULUMI_PROJECT, PULUMI_CONFIG and PULUMI_ROOT_DIRECTORY). The stack
    /// file beside it says: its `secure:` values are the secrets, and its keys' lines are where
    /// problems point.
    /// </summary>
    private static (string, string, PulumiConfigMap) ReadEnvironment(StackSource.PulumiEnvironment env)
    {
        PulumiProject.CheckName(env.Stack, "PULUMI_STACK", "stack");
        PulumiProject.CheckName(env.Project, "PULUMI_PROJECT", "project");
        var config = PulumiConfigMap.FromEnvironmentJson(env.ConfigJson, env.SecretKeysJson);
        var file = env.RootDirectory is null ? null : Path.Combine(env.RootDirectory, $"Pulumi.{env.Stack}.yaml");
        return (env.Project, env.Stack, file is not null && File.Exists(file) ? config.WithStackFileFacts(file, env.Project) : config);
    }

    private static (string, string, PulumiConfigMap) ReadFile(StackSource.StackFile file)
    {
        var project = PulumiProject.Open(file.Directory);
        var config = project.ReadStack(file.Stack);
        CheckPassable(config, file.Stack);
        return (project.Name, file.Stack, config);
    }

    private static EnvironmentSpec Validate(EnvironmentSpec environment, InstanceLimits? catalogue)
    {
        var problems = EnvironmentValidator.Validate(environment, catalogue ?? InstanceLimits.Embedded);
        return problems.Count > 0 ? throw new ConfigException(problems) : environment;
    }

    /// <summary>
    /// Linux refuses to start a process with one environment string longer than 128 KiB
    /// (MAX_ARG_STRLEN, 32 pages), and Pulumi passes the whole stack config as PULUMI_CONFIG: a
    /// larger config works offline here and then fails under `pulumi preview` before our code runs.
    /// </summary>
    public const int MaxPulumiConfigBytes = 128 * 1024;

    private static void CheckPassable(PulumiConfigMap config, string stack)
    {
        var encoded = JsonText.Object(config.Values.OrderBy(kv => kv.Key, StringComparer.Ordinal).ToDictionary(kv => kv.Key, kv => kv.Value));
        var bytes = System.Text.Encoding.UTF8.GetByteCount("PULUMI_CONFIG=" + encoded) + 1;
        if (bytes > MaxPulumiConfigBytes)
        {
            var largest = config.Values.MaxBy(kv => kv.Value.Length);
            throw new ConfigException([new ConfigProblem(largest.Key, $"{largest.Value.Length} characters", $"the config of {stack} encodes to {bytes} bytes; Pulumi passes it to the compiler in one environment variable, which Linux limits to {MaxPulumiConfigBytes} bytes")]);
        }
    }
}
