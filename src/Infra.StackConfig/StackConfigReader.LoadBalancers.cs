using System.Text.RegularExpressions;

namespace Infra.StackConfig;

/// <summary>The loadBalancers and loadBalancerController keys.</summary>
public static partial class StackConfigReader
{
    private static List<LoadBalancedApp> ReadLoadBalancers(ConfigNode node)
    {
        var apps = new List<LoadBalancedApp>();
        foreach (var appNode in node.Items(required: false))
        {
            if (!appNode.IsObject())
            {
                continue;
            }

            var appName = appNode.Child("name").String();
            var replica = appNode.Child("replicaOf").String(required: false);
            var certificateNode = appNode.Child("certificateArn");
            var certificate = certificateNode.String(required: false);
            appNode.RejectUnknownKeys();
            if (certificate is not null && !Regex.IsMatch(certificate, LoadBalancedApp.CertificateArnPattern, RegexOptions.CultureInvariant))
            {
                certificateNode.Problem("expected an ACM certificate ARN (arn:aws:acm:REGION:ACCOUNT:certificate/ID)");
                certificate = null;
            }

            if (appName is not null)
            {
                apps.Add(new LoadBalancedApp(appName, replica, appNode.At) { CertificateArn = certificate is null ? null : new Located<string>(certificate, certificateNode.At) });
            }
        }

        return apps;
    }

    /// <summary>The controller's chart, pinned by the stack: a repository URL and an exact chart version.</summary>
    private static LoadBalancerControllerSpec? ReadLoadBalancerController(ConfigNode node)
    {
        if (!node.IsObject(required: false))
        {
            return null;
        }

        var repositoryNode = node.Child("chartRepository");
        var repository = repositoryNode.String();
        var versionNode = node.Child("chartVersion");
        var version = versionNode.String();
        var imageNode = node.Child("imageRepository");
        var image = imageNode.String(required: false);
        node.RejectUnknownKeys();
        if (repository is not null && ChartRepositoryProblem(repository) is { } why)
        {
            repositoryNode.Problem(why);
            repository = null;
        }

        if (version is not null && !IsExactSemanticVersion(version))
        {
            versionNode.Problem("expected an exact semantic version such as 1.14.0 (numbers without leading zeros, each below 2^64, as Helm's semver parser reads them; a range would let the controller change without a reviewed diff)");
            version = null;
        }

        if (image is not null && (image.Any(c => char.IsControl(c) || char.IsWhiteSpace(c)) || image.Contains(':', StringComparison.Ordinal) && !image.Split('/')[0].Contains(':', StringComparison.Ordinal) || image.Contains('@', StringComparison.Ordinal)))
        {
            imageNode.Problem("expected an image repository without tag or digest, such as 602401143452.dkr.ecr.us-west-2.amazonaws.com/amazon/aws-load-balancer-controller (the chart's appVersion gives the tag)");
            image = null;
        }

        return repository is null || version is null
            ? null
            : new LoadBalancerControllerSpec(repository, version, node.At) { ImageRepository = image is null ? null : new Located<string>(image, imageNode.At) };
    }

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

    [GeneratedRegex(@"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$", RegexOptions.CultureInvariant)]
    private static partial Regex ExactSemanticVersion();
}
