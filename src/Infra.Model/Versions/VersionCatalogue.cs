using System.Globalization;

namespace Infra.Model.Versions;

/// <summary>One Kubernetes minor on EKS: when EKS released it and when its standard and extended support end.</summary>
public sealed record KubernetesRelease(string Version, DateOnly EksRelease, DateOnly EndOfStandardSupport, DateOnly EndOfExtendedSupport, string Source)
{
    public bool InStandardSupport(DateOnly day) => day >= EksRelease && day <= EndOfStandardSupport;

    public bool Supported(DateOnly day) => day >= EksRelease && day <= EndOfExtendedSupport;
}

/// <summary>An EKS add-on version EKS offers for a Kubernetes minor.</summary>
public sealed record AddonRelease(string Kubernetes, string Addon, string Version, string Source);

/// <summary>An EKS-optimized AL2023 AMI release for a Kubernetes minor ("1.35.6-20260714", as SSM's release_version prints it).</summary>
public sealed record AmiRelease(string Kubernetes, string ReleaseVersion, DateOnly Date, string Source);

/// <summary>An AWS Load Balancer Controller chart version and the Kubernetes versions its controller supports.</summary>
public sealed record ChartRelease(string ChartVersion, string AppVersion, string MinKubernetes, string? MaxKubernetes, DateOnly Date, string Source)
{
    public bool Supports(string kubernetes) =>
        VersionCatalogue.CompareMinor(kubernetes, MinKubernetes) >= 0 && (MaxKubernetes is null || VersionCatalogue.CompareMinor(kubernetes, MaxKubernetes) <= 0);
}

/// <summary>
/// The dated, cited catalogue of the versions this stack pins (embedded from Versions/*.csv, each
/// row with its source): the EKS Kubernetes calendar, the add-on versions EKS offers per minor, the
/// AL2023 AMI releases and the Load Balancer Controller charts. `check` (INFRA014) and `upgrade`
/// read it; the README gives the AWS CLI commands that refresh it. A version newer than its last
/// row is not judged.
/// </summary>
public sealed class VersionCatalogue
{
    /// <summary>The add-on names, as EKS and the stack's addonVersions keys call them.</summary>
    public const string VpcCni = "vpc-cni";
    public const string CoreDns = "coredns";
    public const string KubeProxy = "kube-proxy";

    private VersionCatalogue(IReadOnlyList<KubernetesRelease> kubernetes, IReadOnlyList<AddonRelease> addons, IReadOnlyList<AmiRelease> amis, IReadOnlyList<ChartRelease> charts)
    {
        Kubernetes = kubernetes;
        Addons = addons;
        Amis = amis;
        Charts = charts;
    }

    public static VersionCatalogue Embedded { get; } = Load();

    /// <summary>Oldest first.</summary>
    public IReadOnlyList<KubernetesRelease> Kubernetes { get; }

    public IReadOnlyList<AddonRelease> Addons { get; }

    public IReadOnlyList<AmiRelease> Amis { get; }

    public IReadOnlyList<ChartRelease> Charts { get; }

    public KubernetesRelease? Release(string version) => Kubernetes.FirstOrDefault(k => k.Version == version);

    /// <summary>The newest minor in standard support on that day.</summary>
    public KubernetesRelease? NewestInStandardSupport(DateOnly day) => Kubernetes.LastOrDefault(k => k.InStandardSupport(day));

    /// <summary>The oldest minor in standard support on that day.</summary>
    public KubernetesRelease? OldestInStandardSupport(DateOnly day) => Kubernetes.FirstOrDefault(k => k.InStandardSupport(day));

    /// <summary>The add-on version the catalogue lists for a minor (the newest when it lists several).</summary>
    public AddonRelease? Addon(string kubernetes, string addon) => Addons.Where(a => a.Kubernetes == kubernetes && a.Addon == addon).OrderBy(a => a.Version, AddonVersionOrder.Instance).LastOrDefault();

    /// <summary>Whether an add-on version is listed for a minor (what EKS offers for it, as far as the catalogue knows).</summary>
    public bool Offers(string kubernetes, string addon, string version) => Addons.Any(a => a.Kubernetes == kubernetes && a.Addon == addon && a.Version == version);

    /// <summary>The newest AMI release for a minor.</summary>
    public AmiRelease? Ami(string kubernetes) => Amis.Where(a => a.Kubernetes == kubernetes).OrderBy(a => a.Date).LastOrDefault();

    /// <summary>The newest chart whose controller supports a minor.</summary>
    public ChartRelease? Chart(string kubernetes) => Charts.Where(c => c.Supports(kubernetes)).OrderBy(c => c.Date).LastOrDefault();

    /// <summary>Minor versions compared as numbers ("1.9" before "1.10").</summary>
    public static int CompareMinor(string a, string b)
    {
        static (int, int) Parse(string v)
        {
            var parts = v.Split('.');
            return (int.Parse(parts[0], CultureInfo.InvariantCulture), parts.Length > 1 ? int.Parse(parts[1], CultureInfo.InvariantCulture) : 0);
        }

        return Parse(a).CompareTo(Parse(b));
    }

    /// <summary>How many minors <paramref name="older"/> is behind <paramref name="newer"/> (same major; negative when ahead).</summary>
    public static int MinorsBetween(string older, string newer) =>
        int.Parse(newer.Split('.')[1], CultureInfo.InvariantCulture) - int.Parse(older.Split('.')[1], CultureInfo.InvariantCulture);

    /// <summary>The minor after <paramref name="version"/> ("1.33" -> "1.34").</summary>
    public static string NextMinor(string version)
    {
        var parts = version.Split('.');
        return $"{parts[0]}.{int.Parse(parts[1], CultureInfo.InvariantCulture) + 1}";
    }

    private static VersionCatalogue Load() => new(
        [.. Rows("kubernetes-versions.csv", ["version", "eks_release", "end_of_standard_support", "end_of_extended_support", "source"])
            .Select(r => new KubernetesRelease(r[0], Date(r[1]), Date(r[2]), Date(r[3]), r[4]))
            .OrderBy(k => k.Version, Comparer<string>.Create(CompareMinor))],
        [.. Rows("addon-versions.csv", ["kubernetes", "addon", "version", "source"]).Select(r => new AddonRelease(r[0], r[1], r[2], r[3]))],
        [.. Rows("ami-releases.csv", ["kubernetes", "release_version", "date", "source"]).Select(r => new AmiRelease(r[0], r[1], Date(r[2]), r[3]))],
        [.. Rows("load-balancer-controller-charts.csv", ["chart_version", "app_version", "min_kubernetes", "max_kubernetes", "date", "source"])
            .Select(r => new ChartRelease(r[0], r[1], r[2], r[3].Length == 0 ? null : r[3], Date(r[4]), r[5]))]);

    private static DateOnly Date(string text) => DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>The rows of an embedded table: '#' lines are its provenance, the first other line names the columns, a source may hold commas.</summary>
    private static IEnumerable<string[]> Rows(string file, string[] columns)
    {
        using var reader = EmbeddedTable.Open(file);
        var rows = EmbeddedTable.Rows(reader, file, columns);
        foreach (var cells in rows)
        {
            if (cells.Length != columns.Length || cells[^1].Trim().Length == 0)
            {
                throw new FormatException($"{file}: '{string.Join(",", cells)}' has not {columns.Length} cells, or no source");
            }
        }

        return rows.Select(cells => cells.Select(c => c.Trim()).ToArray());
    }
}

/// <summary>EKS add-on versions ("v1.20.1-eksbuild.3") by their numbers, left to right.</summary>
public sealed class AddonVersionOrder : IComparer<string>
{
    public static AddonVersionOrder Instance { get; } = new();

    public int Compare(string? x, string? y)
    {
        static long[] Numbers(string? v) => [.. System.Text.RegularExpressions.Regex.Matches(v ?? "", "[0-9]+").Select(m => long.Parse(m.Value, CultureInfo.InvariantCulture))];
        var a = Numbers(x);
        var b = Numbers(y);
        for (var i = 0; i < Math.Min(a.Length, b.Length); i++)
        {
            if (a[i] != b[i])
            {
                return a[i].CompareTo(b[i]);
            }
        }

        return a.Length.CompareTo(b.Length);
    }
}
