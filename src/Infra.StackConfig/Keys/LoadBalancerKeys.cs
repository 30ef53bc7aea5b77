using System.Text.RegularExpressions;

namespace Infra.StackConfig.Keys;

/// <summary>The loadBalancers and loadBalancerController keys.</summary>
internal static partial class LoadBalancerKeys
{
    private static readonly ConfigKey<Located<string>?> Name = Declare.Outlined("name", "the application's name (lower-case words joined by hyphens)", LoadBalancedApp.NamePattern, required: true, maxLength: LoadBalancedApp.MaxNameLength);

    private static readonly ConfigKey<Located<string>?> ReplicaOf = Declare.Text("replicaOf", "id of the original load balancer's security group");

    private static readonly ConfigKey<Located<string>?> CertificateArn = Declare.Matching(
        "certificateArn",
        "the ACM certificate of the application's HTTPS listener (left out: the controller finds one in ACM by the Ingress's host names); may be a secret, which the program refers to and nothing checks",
        LoadBalancedApp.CertificateArnPattern,
        "expected an ACM certificate ARN (arn:aws:acm:REGION:ACCOUNT:certificate/ID)",
        mayBeSecret: true);

    public static ConfigKey<IReadOnlyList<LoadBalancedApp>> LoadBalancers { get; } = Declare.List(
        "loadBalancers",
        "one load balancer security group per application",
        Declare.Object(
            [Name, ReplicaOf, CertificateArn],
            app => new LoadBalancedApp(app.Required(Name).Value, app.Get(ReplicaOf)?.Value, app.At) { CertificateArn = app.Get(CertificateArn) }),
        unique: true)
        .NotLive("the load balancers are the cluster's Ingresses', made by the controller; discover and drift read the VPC");

    private static readonly ConfigKey<Located<string>?> ChartRepository = Declare.Matching("chartRepository", "the chart repository's https:// or oci:// URL", "^(https|oci)://[^\\s@/]+(/\\S*)?$", "expected the chart repository's https:// or oci:// URL", ChartRepositoryProblem, required: true);

    private const string SemanticVersionPattern = @"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$";

    private static readonly ConfigKey<Located<string>?> ChartVersion = Declare.Key(
        "chartVersion",
        "an exact chart version",
        Declare.TextShape(new ScalarType(ScalarKind.String, Pattern: SemanticVersionPattern), version => IsExactSemanticVersion(version)
            ? null
            : "expected an exact semantic version such as 1.14.0 (numbers without leading zeros, each below 2^64, as Helm's semver parser reads them; a range would let the controller change without a reviewed diff)"),
        required: true);

    private static readonly ConfigKey<Located<string>?> ImageRepository = Declare.Text(
        "imageRepository",
        "the controller's image repository (default: the region's EKS registry, ACCOUNT.dkr.ecr.REGION.amazonaws.com/amazon/aws-load-balancer-controller, which the bootstrap phase's ECR endpoints serve; the chart's public.ecr.aws default is not)",
        check: image => image.Any(c => char.IsControl(c) || char.IsWhiteSpace(c)) || image.Contains(':', StringComparison.Ordinal) && !image.Split('/')[0].Contains(':', StringComparison.Ordinal) || image.Contains('@', StringComparison.Ordinal)
            ? "expected an image repository without tag or digest, such as 602401143452.dkr.ecr.us-west-2.amazonaws.com/amazon/aws-load-balancer-controller (the chart's appVersion gives the tag)"
            : null);

    /// <summary>The controller's chart, pinned by the stack: a repository URL and an exact chart version. Absent: no controller.</summary>
    public static ConfigKey<LoadBalancerControllerSpec?> LoadBalancerController { get; } = Declare.Key(
        "loadBalancerController",
        "install the AWS Load Balancer Controller with its IRSA role; left out, none is installed",
        Declare.Object(
            [ChartRepository, ChartVersion, ImageRepository],
            controller => new LoadBalancerControllerSpec(controller.Required(ChartRepository).Value, controller.Required(ChartVersion).Value, controller.At) { ImageRepository = controller.Get(ImageRepository) }))
        .NotLive("the controller is a Helm release in the cluster, not in the VPC");

    /// <summary>
    /// A chart repository URL as Helm takes it (helm pkg/repo ChartRepository and pkg/registry: an
    /// absolute URL whose scheme is https, or oci for a registry), without what would break the
    /// program or leak: control characters and spaces, and credentials in the URL, which plain
    /// config would write into the program, the state and the deploy log in clear.
    /// </summary>
    private static string? ChartRepositoryProblem(string repository)
    {
        if (repository.Any(c => char.IsControl(c) || char.IsWhiteSpace(c)))
        {
            return "a URL cannot hold spaces, line breaks or other control characters";
        }

        if (!(Uri.TryCreate(repository, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "oci" && uri.Host.Length > 0))
        {
            return "expected the chart repository's https:// or oci:// URL";
        }

        return uri.UserInfo.Length > 0
            ? "holds credentials (user:password@); they would be written in clear into the program and the state. Use a public repository or a mirror that needs none"
            : null;
    }

    /// <summary>SemVer 2.0 exactly: MAJOR.MINOR.PATCH without leading zeros, each within an unsigned 64-bit number, an optional pre-release.</summary>
    private static bool IsExactSemanticVersion(string version)
    {
        var match = ExactSemanticVersion().Match(version);
        return match.Success && match.Groups.Cast<Group>().Skip(1).Take(3).All(g => ulong.TryParse(g.Value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _));
    }

    [GeneratedRegex(SemanticVersionPattern, RegexOptions.CultureInvariant)]
    private static partial Regex ExactSemanticVersion();
}
