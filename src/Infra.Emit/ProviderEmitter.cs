using System.Text.Json;

namespace Infra.Emit;

/// <summary>
/// The program's own aws provider. pulumi-eks v4.3.0 bundles @pulumi/aws 7.25.0 (nodejs/eks/package.json)
/// and registers its children through it unless a provider of their package reaches them; a component
/// given `providers` passes them to every child (pulumi sdk/nodejs/provider/server.ts construct, then
/// resource.ts's providers map), so the eks components get this one and one aws plugin serves the
/// whole deployment. It carries every aws: setting of the stack, so it is configured as the default
/// provider the other resources use; a secret setting is referred to, never written here.
/// </summary>
internal static class ProviderEmitter
{
    public static void EmitAws(ValidatedEnvironment env, ProgramContext program) =>
        program.Provider(ResourceNames.AwsProvider, ResourceTypes.AwsProvider, P.Map(env.Spec.AwsProviderSettings.Select(s =>
            (s.Name, (PValue?)(s.Secret ? P.Ref($"aws:{s.Name}") : FromJson(JsonDocument.Parse(s.Json!).RootElement))))));

    private static PValue FromJson(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => P.Text(element.GetString()!),
        JsonValueKind.True => P.Bool(true),
        JsonValueKind.False => P.Bool(false),
        JsonValueKind.Number => element.TryGetInt64(out var whole) ? P.Number(whole) : P.Text(element.GetRawText()),
        JsonValueKind.Array => P.List(element.EnumerateArray().Select(FromJson)),
        // Keys in ordinal order: the program is the same whatever order the stack file gives them in.
        JsonValueKind.Object => P.Map(element.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal).Select(p => (p.Name, (PValue?)FromJson(p.Value)))),
        _ => throw new InvalidOperationException($"an aws setting holds JSON {element.ValueKind}, which the aws provider takes nowhere"),
    };
}

public static partial class ResourceNames
{
    public const string AwsProvider = "aws-provider";
}
