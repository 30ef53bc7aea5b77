using System.Text;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Infra.Tests.Harness;

/// <summary>
/// What a node boots with: the launch template's user data decoded as nodeadm reads it (a MIME
/// multi-part document whose application/node.eks.aws parts are NodeConfig YAML; awslabs/amazon-eks-ami
/// nodeadm/doc/api.md), so a test asserts the kubelet setting, not a string in the program.
/// </summary>
public static partial class NodeUserData
{
    public static MockResource LaunchTemplate(MockDeployment deployment) => deployment.OfType("aws:ec2:LaunchTemplate").Single();

    /// <summary>The NodeConfig documents of the template's user data, in order.</summary>
    public static IReadOnlyList<YamlMappingNode> NodeConfigs(MockDeployment deployment)
    {
        var text = Encoding.UTF8.GetString(Convert.FromBase64String(LaunchTemplate(deployment).Input("userData")!));
        var boundary = Boundary().Match(text);
        Assert.True(boundary.Success, "user data is not a MIME multi-part document");
        var configs = new List<YamlMappingNode>();
        foreach (var part in text.Split($"--{boundary.Groups[1].Value}").Skip(1))
        {
            var split = part.IndexOf("\n\n", StringComparison.Ordinal);
            if (split < 0 || !part[..split].Contains("Content-Type: application/node.eks.aws", StringComparison.Ordinal))
            {
                continue;
            }

            var yaml = new YamlStream();
            yaml.Load(new StringReader(part[(split + 2)..]));
            configs.AddRange(yaml.Documents.Select(d => (YamlMappingNode)d.RootNode).Where(n => n["kind"].ToString() == "NodeConfig"));
        }

        return configs;
    }

    /// <summary>The kubelet's maxPods as nodeadm configures it (the last NodeConfig that sets it wins).</summary>
    public static int MaxPods(MockDeployment deployment) =>
        NodeConfigs(deployment).Select(c => Find(c, "spec", "kubelet", "config", "maxPods")).OfType<string>().Select(int.Parse).Last();

    public static string? Find(YamlMappingNode node, params string[] path)
    {
        YamlNode current = node;
        foreach (var key in path)
        {
            if (current is not YamlMappingNode map || !map.Children.TryGetValue(new YamlScalarNode(key), out var next))
            {
                return null;
            }

            current = next;
        }

        return (current as YamlScalarNode)?.Value;
    }

    [GeneratedRegex("boundary=\"([^\"]+)\"")]
    private static partial Regex Boundary();
}
