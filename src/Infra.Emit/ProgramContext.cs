using System.Globalization;

namespace Infra.Emit;

/// <summary>
/// Adds resources to a program with the conventions every resource shares: pinned versions,
/// dependsOn as references, and every value that came from secret configuration wrapped in
/// fn::secret wherever it lands.
/// </summary>
internal sealed class ProgramContext(PulumiProgram program, EnvironmentSpec env)
{
    /// <summary>Shorter secrets match only whole values, so that a secret "2" does not mark every string holding a 2.</summary>
    private const int ShortestSecretMatchedInsideText = 4;

    public PulumiProgram Program { get; } = program;

    /// <param name="provider">An explicit provider resource; the resource then takes the provider's version, not its own.</param>
    /// <param name="providers">Provider resources a component hands its children (pulumi-yaml takes a list, keyed by package).</param>
    public void Resource(string name, ResourceType type, PMap properties, IReadOnlyList<string>? dependsOn = null, string? provider = null, IReadOnlyList<string>? providers = null)
    {
        var options = P.Map(
            ("provider", provider is null ? null : P.Ref(provider)),
            ("providers", providers is { Count: > 0 } ? P.List(providers.Select(p => (PValue)P.Ref(p))) : null),
            ("dependsOn", dependsOn is { Count: > 0 } ? P.List(dependsOn.Select(d => (PValue)P.Ref(d))) : null),
            // Pulumi refuses to delete or replace a protected resource until protection is lifted
            // (Pulumi docs, resource option `protect`); retainOnDelete leaves it in AWS when deleted.
            ("protect", type.Protected && env.Protection ? P.Bool(true) : null),
            ("retainOnDelete", type.RetainOnDelete && env.Protection ? P.Bool(true) : null),
            ("version", provider is null ? P.Text(type.Package.Version) : null));
        Program.AddResource(name, type.Token, (PMap)Protect(properties), options);
    }

    public void Provider(string name, ResourceType type, PMap properties) =>
        Program.AddResource(name, type.Token, (PMap)Protect(properties), P.Map(("version", P.Text(type.Package.Version))));

    public void Variable(string name, PValue value) => Program.AddVariable(name, Protect(value));

    public void Output(string name, PValue value) => Program.AddOutput(name, Protect(value));

    /// <summary>
    /// Wraps each scalar that holds a secret value in fn::secret. A secret cannot be wrapped where
    /// it would become a map key (a tag key, for example): that is a configuration error naming the key.
    /// </summary>
    private PValue Protect(PValue value)
    {
        if (env.SecretValues.Count == 0)
        {
            return value;
        }

        switch (value)
        {
            case PString s when SecretIn(s.Value.Replace("$$", "$", StringComparison.Ordinal)) is not null:
            case PNumber n when env.SecretValues.ContainsKey(n.Value.ToString(CultureInfo.InvariantCulture)):
            case PBool b when env.SecretValues.ContainsKey(b.Value ? "true" : "false"):
                return P.Secret(value);
            case PList list:
                return new PList(list.Items.Select(Protect).ToList());
            case PMap { Entries: [{ Key: "fn::secret" }] }:
                return value;
            case PMap { Entries: [{ Key: "fn::invoke", Value: PMap invoke }] }:
                return P.Function("invoke", new PMap(invoke.Entries.Select(e => e.Key == "arguments" ? KeyValuePair.Create(e.Key, Protect(e.Value)) : e).ToList()));
            case PMap map:
                foreach (var key in map.Entries.Select(e => e.Key))
                {
                    if (SecretIn(key) is { } secretKey)
                    {
                        throw new ConfigException([new ConfigProblem(secretKey, "[secret]", $"is a secret, but its value would appear in the program as a key ('{Redact(key)}'), which Pulumi cannot keep secret")]);
                    }
                }

                return new PMap(map.Entries.Select(e => KeyValuePair.Create(e.Key, Protect(e.Value))).ToList());
            default:
                return value;
        }
    }

    /// <summary>The config key of the secret this text holds, if any.</summary>
    private string? SecretIn(string text) => env.SecretValues
        .Where(s => s.Key.Length >= ShortestSecretMatchedInsideText ? text.Contains(s.Key, StringComparison.Ordinal) : text == s.Key)
        .Select(s => s.Value)
        .Order(StringComparer.Ordinal)
        .FirstOrDefault();

    private string Redact(string text) => env.SecretValues.Keys.Where(k => k.Length > 0).Aggregate(text, (t, secret) => t.Replace(secret, "[secret]", StringComparison.Ordinal));
}
