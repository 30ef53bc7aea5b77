namespace Infra.Emit;

/// <summary>
/// Adds resources to a program with the conventions every resource shares: pinned versions,
/// dependsOn as references, protection. No value here is a secret: the compiler holds only stand-ins
/// for them, and a secret reaches a resource as a reference to its config key (<see cref="P.Config"/>).
/// </summary>
internal sealed class ProgramContext(PulumiProgram program, EnvironmentSpec env)
{
    public PulumiProgram Program { get; } = program;

    /// <param name="provider">An explicit provider resource; the resource then takes the provider's version, not its own.</param>
    /// <param name="providers">Provider resources a component hands its children (pulumi-yaml takes a list, keyed by package).</param>
    /// <param name="deleteBeforeReplace">Its successor cannot exist beside it (the type says why: <see cref="ResourceType.DeleteBeforeReplace"/>).</param>
    public void Resource(string name, ResourceType type, PMap properties, IReadOnlyList<string>? dependsOn = null, string? provider = null, IReadOnlyList<string>? providers = null, bool deleteBeforeReplace = false)
    {
        if (deleteBeforeReplace && type.DeleteBeforeReplace is null)
        {
            throw new InvalidOperationException($"{type} says nothing of why it would be deleted before it is replaced");
        }

        var options = P.Map(
            ("provider", provider is null ? null : P.Ref(provider)),
            ("providers", providers is { Count: > 0 } ? P.List(providers.Select(p => (PValue)P.Ref(p))) : null),
            ("dependsOn", dependsOn is { Count: > 0 } ? P.List(dependsOn.Select(d => (PValue)P.Ref(d))) : null),
            // Pulumi refuses to delete or replace a protected resource until protection is lifted
            // (Pulumi docs, resource option `protect`); retainOnDelete leaves it in AWS when deleted.
            ("protect", type.Protected && env.Protection ? P.Bool(true) : null),
            ("retainOnDelete", type.RetainOnDelete && env.Protection ? P.Bool(true) : null),
            ("deleteBeforeReplace", deleteBeforeReplace ? P.Bool(true) : null),
            ("version", provider is null ? P.Text(type.Package.Version) : null));
        Program.AddResource(name, type.Token, properties, options);
    }

    public void Provider(string name, ResourceType type, PMap properties) =>
        Program.AddResource(name, type.Token, properties, P.Map(("version", P.Text(type.Package.Version))));

    public void Variable(string name, PValue value) => Program.AddVariable(name, value);

    public void Output(string name, PValue value) => Program.AddOutput(name, value);
}
