namespace Infra.Discovery;

/// <summary>Bad input or an AWS answer discover and drift cannot use: one line naming the option or call and the value.</summary>
public sealed class DiscoveryException(string what, string value, string message) : Exception($"{what} = {value}: {message}");
