using System.Text.Json.Serialization;

namespace Infra.Review;

/// <summary>The data objects of the review commands' reports, as the JSON format writes them.</summary>
public sealed record DiagramData(string Stack, string Mermaid);

/// <summary>
/// The JSON metadata of every review report's data, generated at build time: the compiler runs
/// Native AOT, where System.Text.Json cannot reflect over a type it was not told of. A type added
/// to a report must be named here; one left out fails its report's JSON test on the JIT as well.
/// </summary>
[JsonSerializable(typeof(DiffResult))]
[JsonSerializable(typeof(TraceResult))]
[JsonSerializable(typeof(UpgradePlan))]
[JsonSerializable(typeof(PlanResult))]
[JsonSerializable(typeof(CapacityResult))]
[JsonSerializable(typeof(CheckResult))]
[JsonSerializable(typeof(IReadOnlyList<PolicyRule>))]
[JsonSerializable(typeof(DiagramData))]
public sealed partial class ReviewJson : JsonSerializerContext
{
    /// <summary>The context every review report writes through, with the report options and its enums' kebab-case converters.</summary>
    public static ReviewJson Reports { get; } = new(Report.JsonOptions(Report.KebabCase<Severity>(), Report.KebabCase<FindingScope>(), Report.KebabCase<Infra.Emit.ResourceRole>()));
}
