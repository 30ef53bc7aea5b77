using System.Text.Json.Nodes;
using Infra.Emit;
using Infra.Review;

namespace Infra.Discovery;

/// <summary>
/// The EKS facts discover takes from `aws eks describe-cluster` and `aws eks describe-nodegroup`
/// output (AWSSDK.EKS is not on our package feed, and a hand-written EKS client is not worth its
/// risk): the cluster's name, version, service CIDR, endpoint access, security group and control-plane
/// log types, and the node groups' instance types, sizes, Kubernetes version, AMI release and disk
/// size. What the stack format has no key for (labels, taints, an AMI type other than AL2023's, a
/// launch template of the original's) is named in a comment, never dropped silently.
/// </summary>
public sealed record EksFacts(
    string Name,
    string Version,
    string? ServiceCidr,
    bool PublicAccess,
    bool PrivateAccess,
    IReadOnlyList<string> PublicAccessCidrs,
    string? ClusterSecurityGroup,
    string? Endpoint,
    IReadOnlyList<EksNodeGroupFacts> NodeGroups)
{
    /// <summary>The control-plane log types the cluster sends to CloudWatch (describe-cluster logging, the enabled ones).</summary>
    public IReadOnlyList<string> LogTypes { get; init; } = [];

    /// <summary>The KMS key that encrypts the cluster's secrets (describe-cluster encryptionConfig, the one for "secrets"); null: none.</summary>
    public string? SecretsKmsKeyArn { get; init; }

    /// <summary>Reads the files given with --eks: one describe-cluster output, and a describe-nodegroup output per node group.</summary>
    public static EksFacts Read(IReadOnlyList<(string Path, string Text)> files)
    {
        JsonObject? cluster = null;
        var nodeGroups = new List<(JsonObject Group, string File)>();
        string clusterFile = "";
        foreach (var (path, text) in files)
        {
            JsonNode? document;
            try
            {
                document = JsonNode.Parse(text);
            }
            catch (System.Text.Json.JsonException e)
            {
                throw new ReviewArgumentException(ReviewInput.Eks, path, $"not JSON: {e.Message}");
            }

            switch (document)
            {
                case JsonObject { } o when o["cluster"] is JsonObject c:
                    cluster = cluster is null ? c : throw new ReviewArgumentException(ReviewInput.Eks, path, "a second describe-cluster output: give one cluster");
                    clusterFile = path;
                    break;
                case JsonObject { } o when o["nodegroup"] is JsonObject n:
                    nodeGroups.Add((n, path));
                    break;
                default:
                    throw new ReviewArgumentException(ReviewInput.Eks, path, "neither `aws eks describe-cluster` nor `aws eks describe-nodegroup` output (no top-level cluster or nodegroup)");
            }
        }

        if (cluster is null)
        {
            throw new ReviewArgumentException(ReviewInput.Eks, string.Join(" ", files.Select(f => f.Path)), "no describe-cluster output among them");
        }

        string Text(JsonObject o, string path, string file) =>
            o[path]?.GetValue<string>() is { Length: > 0 } v ? v : throw new ReviewArgumentException(ReviewInput.Eks, file, $"has no {path}");
        var vpcConfig = cluster["resourcesVpcConfig"] as JsonObject ?? [];
        var groupFacts = nodeGroups.Select(g => new EksNodeGroupFacts(
            Text(g.Group, "nodegroupName", g.File),
            [.. (g.Group["instanceTypes"] as JsonArray ?? []).Select(t => t!.GetValue<string>())],
            g.Group["scalingConfig"]?["minSize"]?.GetValue<int>() ?? 1,
            g.Group["scalingConfig"]?["desiredSize"]?.GetValue<int>() ?? 1,
            g.Group["scalingConfig"]?["maxSize"]?.GetValue<int>() ?? 1,
            g.Group["releaseVersion"]?.GetValue<string>())
        {
            KubernetesVersion = g.Group["version"]?.GetValue<string>(),
            DiskSizeGiB = g.Group["diskSize"]?.GetValue<int>(),
            AmiType = g.Group["amiType"]?.GetValue<string>(),
            Labels = (g.Group["labels"] as JsonObject ?? []).Select(l => $"{l.Key}={l.Value}").Order(StringComparer.Ordinal).ToList(),
            Taints = (g.Group["taints"] as JsonArray ?? []).Select(t => $"{t?["key"]}={t?["value"]}:{t?["effect"]}").ToList(),
            LaunchTemplate = g.Group["launchTemplate"]?["id"]?.GetValue<string>() ?? g.Group["launchTemplate"]?["name"]?.GetValue<string>(),
        }).OrderBy(g => g.Name, StringComparer.Ordinal).ToList();
        return new EksFacts(
            Text(cluster, "name", clusterFile),
            Text(cluster, "version", clusterFile),
            cluster["kubernetesNetworkConfig"]?["serviceIpv4Cidr"]?.GetValue<string>(),
            vpcConfig["endpointPublicAccess"]?.GetValue<bool>() ?? true,
            vpcConfig["endpointPrivateAccess"]?.GetValue<bool>() ?? false,
            [.. (vpcConfig["publicAccessCidrs"] as JsonArray ?? []).Select(c => c!.GetValue<string>())],
            vpcConfig["clusterSecurityGroupId"]?.GetValue<string>(),
            cluster["endpoint"]?.GetValue<string>() is { } url ? new Uri(url).Host : null,
            groupFacts)
        {
            SecretsKmsKeyArn = (cluster["encryptionConfig"] as JsonArray ?? [])
                .FirstOrDefault(c => (c?["resources"] as JsonArray ?? []).Any(r => r?.GetValue<string>() == "secrets"))?["provider"]?["keyArn"]?.GetValue<string>(),
            LogTypes = [.. (cluster["logging"]?["clusterLogging"] as JsonArray ?? [])
                .Where(l => l?["enabled"]?.GetValue<bool>() == true)
                .SelectMany(l => l?["types"] as JsonArray ?? [])
                .Select(t => t!.GetValue<string>()).Distinct(StringComparer.Ordinal)],
        };
    }

    /// <summary>A nodeGroups key from an EKS node group name: a slug that fits NodeGroupSpec.NamePattern.</summary>
    private static string GroupKey(string name)
    {
        var slug = StackFileWriter.Slug(name);
        slug = char.IsAsciiLetterLower(slug[0]) ? slug : $"g-{slug}";
        return slug.Length <= 20 ? slug : slug[..20].TrimEnd('-');
    }

    /// <summary>The cluster's keys in the stack file; returns what the format could not hold, for discover's summary.</summary>
    internal IReadOnlyList<string> WriteTo(DocMap config, string project, LiveVpc vpc, IReadOnlyList<StackFileWriter.SubnetRoleReading> roles)
    {
        var leftOut = new List<string>();
        var cluster = config.Map($"{project}:cluster");
        cluster.Add("name", Name);
        cluster.Add("kubernetesVersion", DocScalar.Quoted(Version));
        cluster.Add("serviceCidr", ServiceCidr ?? "172.20.0.0/16", ServiceCidr is null ? "inferred: describe-cluster gives none; EKS's default" : null);
        if (LogTypes.Count > 0)
        {
            cluster.List("logTypes", LogTypes);
        }

        if (SecretsKmsKeyArn is not null)
        {
            cluster.Add("secretsKmsKeyArn", SecretsKmsKeyArn);
        }

        // Where the node subnets' default route goes decides whether the nodes can join before the
        // replica's appliances forward (`infra check` INFRA008): through VPC endpoints, which need
        // the API's private access (the compiler's gate refuses the file otherwise).
        var nodeRole = SubnetRoles.With(ClusterUse.ClusterAndNodes);
        var nodeSubnet = roles.FirstOrDefault(r => r.Role == nodeRole)?.Subnet;
        var viaAppliance = nodeSubnet is not null && vpc.TableOf(nodeSubnet)?.Routes.Any(r => r.Destination == "0.0.0.0/0" && r.Kind == LiveTargetKind.Appliance) == true;
        var endpoint = cluster.Map("endpoint");
        endpoint.Add("publicAccess", DocScalar.Of(PublicAccess));
        if (viaAppliance && !PrivateAccess)
        {
            endpoint.Add("privateAccess", DocScalar.Of(true), "inferred: the original's is off, but nodes joining through VPC endpoints need it (INFRA008)");
        }
        else
        {
            endpoint.Add("privateAccess", DocScalar.Of(PrivateAccess));
        }

        if (PublicAccess && PublicAccessCidrs.Count > 0)
        {
            var cidrs = endpoint.List("publicAccessCidrs");
            foreach (var cidr in PublicAccessCidrs)
            {
                cidrs.Add(cidr);
            }
        }

        if (ClusterSecurityGroup is not null || Endpoint is not null)
        {
            var originals = cluster.Map("replicaOf");
            if (ClusterSecurityGroup is not null)
            {
                originals.Add("securityGroup", ClusterSecurityGroup);
            }

            if (Endpoint is not null)
            {
                originals.Add("endpoint", Endpoint);
            }
        }

        // One node group under nodeGroup; several under nodeGroups, each by a name made of its own.
        var nodeGroups = NodeGroups.Count > 1 ? config.Map($"{project}:nodeGroups") : null;
        var taken = new HashSet<string>(StringComparer.Ordinal);
        foreach (var group in NodeGroups)
        {
            var entry = nodeGroups is null ? config.Map($"{project}:nodeGroup") : nodeGroups.Map(StackFileWriter.Unique(GroupKey(group.Name), taken), Infra.StackConfig.YamlScalars.PlainOrQuoted(group.Name));
            entry.List("instanceTypes", group.InstanceTypes);
            entry.Add("minSize", DocScalar.Of(group.MinSize));
            entry.Add("desiredSize", DocScalar.Of(group.DesiredSize));
            entry.Add("maxSize", DocScalar.Of(group.MaxSize));
            if (group.KubernetesVersion is { } version && version != Version)
            {
                entry.Add("kubernetesVersion", DocScalar.Quoted(version));
            }

            if (group.ReleaseVersion is { } release)
            {
                entry.Add("amiReleaseVersion", DocScalar.Quoted(release));
            }

            if (group.DiskSizeGiB is { } size)
            {
                entry.Map("rootVolume", flow: true).Add("sizeGiB", DocScalar.Of(size));
            }

            // The stack's nodes run the EKS-optimised AL2023 AMI of their architecture, with no labels or taints of their own.
            var notHeld = new List<string>();
            if (group.AmiType is { } ami && !ami.StartsWith("AL2023_", StringComparison.Ordinal))
            {
                notHeld.Add($"amiType {ami} (the stack's nodes run AL2023)");
            }

            if (group.Labels.Count > 0)
            {
                notHeld.Add($"labels {string.Join(", ", group.Labels)}");
            }

            if (group.Taints.Count > 0)
            {
                notHeld.Add($"taints {string.Join(", ", group.Taints)}");
            }

            if (group.LaunchTemplate is { } template)
            {
                notHeld.Add($"its launch template {template} (the stack writes its own)");
            }

            foreach (var what in notHeld)
            {
                entry.Comment($"not in the stack format, left out: {Infra.Model.Validation.Printable.Of(what, 300)}");
                leftOut.Add($"{group.Name}: {what}");
            }
        }

        if (viaAppliance)
        {
            config.Comment("inferred: the node subnets' default route goes to an appliance, which in the replica forwards");
            config.Comment("nothing until it is attached after `pulumi up`; VPC endpoints let the nodes join meanwhile.");
            config.Map($"{project}:bootstrap").Add("nodeEgress", "vpcEndpoints");
        }

        return leftOut;
    }
}

public sealed record EksNodeGroupFacts(string Name, IReadOnlyList<string> InstanceTypes, int MinSize, int DesiredSize, int MaxSize, string? ReleaseVersion)
{
    /// <summary>The nodes' Kubernetes minor as describe-nodegroup gives it (null: not given).</summary>
    public string? KubernetesVersion { get; init; }

    /// <summary>The root volume's size (describe-nodegroup diskSize; null with a launch template).</summary>
    public int? DiskSizeGiB { get; init; }

    public string? AmiType { get; init; }

    /// <summary>Kubernetes labels as key=value.</summary>
    public IReadOnlyList<string> Labels { get; init; } = [];

    /// <summary>Taints as key=value:effect.</summary>
    public IReadOnlyList<string> Taints { get; init; } = [];

    /// <summary>The original's launch template (id or name), where it has one.</summary>
    public string? LaunchTemplate { get; init; }
}
