namespace Infra.Emit;

/// <summary>
/// Logical names of the program's resources and variables, unique by construction:
/// <list type="bullet">
/// <item>every name contains a hyphen, and the project's stack config keys are camelCase words, so no
/// name can be taken for a config key's named value (the YAML runtime would let the config value
/// shadow the resource; see <see cref="PulumiProgram"/>);</item>
/// <item>a name is a fixed kind, then the parts a user chose, joined by "--"; configured names are
/// validated to hold no "--" and no ".", so two different (kind, parts) never give the same name,
/// and a name is always a valid ${name.path} root.</item>
/// </list>
/// Each emitter declares the names of what it emits, in its own file, through this rule.
/// </summary>
public static partial class ResourceNames
{
    private const string Separator = "--";

    /// <summary>A kind, then the parts a user chose, joined by "--": the one rule every emitter names its resources by.</summary>
    private static string Of(string kind, params string[] parts) => string.Join(Separator, parts.Prepend(kind));
}
