using System.Text.Json.Serialization;
using Infra.Review;

namespace Infra.Discovery;

/// <summary>
/// The JSON metadata of drift's report, generated at build time (the compiler runs Native AOT; see
/// Infra.Review.ReviewJson).
/// </summary>
[JsonSerializable(typeof(DriftResult))]
public sealed partial class DriftJson : JsonSerializerContext
{
    /// <summary>The context drift's report writes through, with the report options and its enums' kebab-case converters.</summary>
    public static DriftJson Reports { get; } = new(Report.JsonOptions());
}
