namespace Infra.Model.Validation;

/// <summary>One thing wrong with a stack's configuration: the key, the value as given, and why.</summary>
public sealed record ConfigProblem(string Key, string Value, string Message)
{
    /// <summary>Where the key stands ("Pulumi.qas.yaml:12:5"), when it was read from a stack file.</summary>
    public string? Location { get; init; }

    public override string ToString() => $"{(Location is null ? "" : $"{Printable.Of(Location, 200)}: ")}{Printable.Of(Key, 120)} = {Printable.Of(Value, 80)}: {Printable.Of(Message, 1000)}";
}

/// <summary>Thrown when a stack cannot be loaded; carries every problem found.</summary>
public sealed class ConfigException(IReadOnlyList<ConfigProblem> problems)
    : Exception(string.Join(Environment.NewLine, problems.Select(p => p.ToString())))
{
    public IReadOnlyList<ConfigProblem> Problems { get; } = problems;
}
