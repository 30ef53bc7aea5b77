namespace Infra.Model.Cluster;

/// <summary>When EKS stops standard and extended support of a Kubernetes version.</summary>
public sealed record SupportWindow(string Version, DateOnly EndOfStandardSupport, DateOnly EndOfExtendedSupport);

/// <summary>
/// The EKS Kubernetes version calendar (EKS User Guide, "Understand the Kubernetes version lifecycle
/// on EKS", docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html; awsdocs/
/// amazon-eks-user-guide latest/ug/versioning/kubernetes-versions.adoc). A cluster past the end of
/// standard support runs in extended support, billed at the extended per-cluster-hour rate (EKS
/// pricing: 0.60 USD instead of 0.10). Versions newer than the last listed are not judged; add a
/// row when AWS publishes its dates.
/// </summary>
public static class EksSupportCalendar
{
    public static IReadOnlyList<SupportWindow> Versions { get; } =
    [
        new("1.29", new DateOnly(2025, 3, 23), new DateOnly(2026, 3, 23)),
        new("1.30", new DateOnly(2025, 7, 23), new DateOnly(2026, 7, 23)),
        new("1.31", new DateOnly(2025, 11, 26), new DateOnly(2026, 11, 26)),
        new("1.32", new DateOnly(2026, 3, 23), new DateOnly(2027, 3, 23)),
        new("1.33", new DateOnly(2026, 7, 29), new DateOnly(2027, 7, 29)),
        new("1.34", new DateOnly(2026, 12, 2), new DateOnly(2027, 12, 2)),
    ];

    public static SupportWindow? Of(string version) => Versions.FirstOrDefault(v => v.Version == version);

    /// <summary>The oldest version still in standard support on that day, or null when the calendar lists none (a newer one is).</summary>
    public static string? OldestInStandardSupport(DateOnly day) =>
        Versions.Where(v => v.EndOfStandardSupport >= day).Select(v => v.Version).FirstOrDefault();
}
