namespace Infra.Model;

/// <summary>
/// Where a value came from, so that a rule broken by it can name it (a configuration key path
/// such as "leadertools:subnets.public.us-west-2a"). The model treats it as an opaque label.
/// </summary>
/// <remarks>A value under a secret key is never echoed: problems show <see cref="Shown"/>.</remarks>
public readonly record struct Origin(string Path, bool Secret = false)
{
    public const string Redacted = "[secret]";

    public Origin Child(string name) => new($"{Path}.{name}", Secret);

    public Origin Index(int index) => new($"{Path}[{index}]", Secret);

    /// <summary>How a value given here may be shown in a message.</summary>
    public string Shown(string value) => Secret ? Redacted : value;

    public override string ToString() => Path;
}

/// <summary>A value as given, with where it was given, for values that may be malformed.</summary>
public sealed record Located<T>(T Value, Origin At);
