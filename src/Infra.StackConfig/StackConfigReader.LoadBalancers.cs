using System.Text.RegularExpressions;
using Infra.Model.Cluster;

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
            appNode.RejectUnknownKeys();
            if (appName is not null)
            {
                apps.Add(new LoadBalancedApp(appName, replica, appNode.At));
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
        node.RejectUnknownKeys();
        if (repository is not null && !(Uri.TryCreate(repository, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "oci" && uri.Host.Length > 0))
        {
            repositoryNode.Problem("expected the chart repository's https:// or oci:// URL");
            repository = null;
        }

        if (version is not null && !ChartVersion().IsMatch(version))
        {
            versionNode.Problem("expected an exact chart version such as 1.14.0 (a range would let the controller change without a reviewed diff)");
            version = null;
        }

        return repository is null || version is null ? null : new LoadBalancerControllerSpec(repository, version, node.At);
    }

    [GeneratedRegex(@"^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex ChartVersion();
}
