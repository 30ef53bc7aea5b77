namespace Infra.Review;

/// <summary>A bad review argument (unknown gateway, malformed address): the option, the value, why.</summary>
public sealed class ReviewArgumentException(string option, string value, string message) : Exception($"{option} = {value}: {message}")
{
    public string Option { get; } = option;

    public string Value { get; } = value;
}
