namespace Infra.Model.Validation;

/// <summary>One thing wrong with a stack's configuration: the key, the value as given, and why.</summary>
public sealed record ConfigProblem(string Key, string Value, string Message)
{
    public override string ToString() => $"{Key} = {Value}: {Message}";
}

/// <summary>Thrown when a stack cannot be loaded; carries every problem found.</summary>
public sealed class ConfigException(IReadOnlyList<ConfigProblem> problems)
    : Exception(string.Join(Environment.NewLine, problems.Select(p => p.ToString())))
{
    public IReadOnlyList<ConfigProblem> Problems { get; } = problems;
}
