namespace Infra.Emit;

/// <summary>Adds resources to a program with the conventions every resource shares (pinned versions, dependsOn as references).</summary>
internal sealed class ProgramContext(PulumiProgram program)
{
    public PulumiProgram Program { get; } = program;

    public void Resource(string name, string type, PMap properties, IReadOnlyList<string>? dependsOn = null, string? provider = null)
    {
        var package = type.Split(':')[0];
        var options = P.Map(
            ("provider", provider is null ? null : P.Ref(provider)),
            ("dependsOn", dependsOn is { Count: > 0 } ? P.List(dependsOn.Select(d => (PValue)P.Ref(d))) : null),
            ("version", ProviderVersions.ByPackage.TryGetValue(package, out var version) && provider is null ? P.Text(version) : null));
        Program.AddResource(name, type, properties, options);
    }

    public void Provider(string name, string package, PMap properties) =>
        Program.AddResource(name, $"pulumi:providers:{package}", properties, P.Map(("version", P.Text(ProviderVersions.ByPackage[package]))));

    public void Variable(string name, PValue value) => Program.AddVariable(name, value);

    public void Output(string name, PValue value) => Program.AddOutput(name, value);
}
