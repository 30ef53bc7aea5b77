using System.Text.Json.Nodes;
using Infra.Review;

namespace Infra.Discovery;

/// <summary>
/// The EKS facts discover takes from `aws eks describe-cluster` and `aws eks describe-nodegroup`
/// output (AWSSDK.EKS is not on our package feed, and a hand-written EKS client is not worth its
/// risk): the cluster's name, version, service CIDR, endpoint access and security group, and the
/// node group's instance types, sizes and AMI release.
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
    EksNodeGroupFacts? NodeGroup)
{
    /// <summary>Reads the files given with --eks: one describe-cluster output, and at most one describe-nodegroup output.</summary>
    public static EksFacts Read(IReadOnlyList<(string Path, string Text)> files)
    {
        JsonObject? cluster = null;
        JsonObject? nodeGroup = null;
        string clusterFile = "", nodeGroupFile = "";
        foreach (var (path, text) in files)
        {
            JsonNode? document;
            try
            {
                document = JsonNode.Parse(text);
            }
            catch (System.Text.Json.JsonException e)
            {
                throw new ReviewArgumentException("--eks", path, $"not JSON: {e.Message}");
            }

            switch (document)
            {
                case JsonObject { } o when o["cluster"] is JsonObject c:
                    cluster = cluster is null ? c : throw new ReviewArgumentException("--eks", path, "a second describe-cluster output: give one cluster");
                    clusterFile = path;
                    break;
                case JsonObject { } o when o["nodegroup"] is JsonObject n:
                    nodeGroup = nodeGroup is null ? n : throw new ReviewArgumentException("--eks", path, "a second describe-nodegroup output: the stack has one node group");
                    nodeGroupFile = path;
                    break;
                default:
                    throw new ReviewArgumentException("--eks", path, "neither `aws eks describe-cluster` nor `aws eks describe-nodegroup` output (no top-level cluster or nodegroup)");
            }
        }

        if (cluster is null)
        {
            throw new ReviewArgumentException("--eks", string.Join(" ", files.Select(f => f.Path)), "no describe-cluster output among them");
        }

        string Text(JsonObject o, string path, string file) =>
            o[path]?.GetValue<string>() is { Length: > 0 } v ? v : throw new ReviewArgumentException("--eks", file, $"has no {path}");
        var vpcConfig = cluster["resourcesVpcConfig"] as JsonObject ?? [];
        var groupFacts = nodeGroup is null ? null : new EksNodeGroupFacts(
            Text(nodeGroup, "nodegroupName", nodeGroupFile),
            [.. (nodeGroup["instanceTypes"] as JsonArray ?? []).Select(t => t!.GetValue<string>())],
            nodeGroup["scalingConfig"]?["minSize"]?.GetValue<int>() ?? 1,
            nodeGroup["scalingConfig"]?["desiredSize"]?.GetValue<int>() ?? 1,
            nodeGroup["scalingConfig"]?["maxSize"]?.GetValue<int>() ?? 1,
            nodeGroup["releaseVersion"]?.GetValue<string>());
        return new EksFacts(
            Text(cluster, "name", clusterFile),
            Text(cluster, "version", clusterFile),
            cluster["kubernetesNetworkConfig"]?["serviceIpv4Cidr"]?.GetValue<string>(),
            vpcConfig["endpointPublicAccess"]?.GetValue<bool>() ?? true,
            vpcConfig["endpointPrivateAccess"]?.GetValue<bool>() ?? false,
            [.. (vpcConfig["publicAccessCidrs"] as JsonArray ?? []).Select(c => c!.GetValue<string>())],
            vpcConfig["clusterSecurityGroupId"]?.GetValue<string>(),
            cluster["endpoint"]?.GetValue<string>() is { } url ? new Uri(url).Host : null,
            groupFacts);
    }

    /// <summary>The cluster's keys in the stack file.</summary>
    internal void WriteTo(Action<string> line, string project, LiveVpc vpc, IReadOnlyList<StackFileWriter.SubnetRoleReading> roles)
    {
        line($"  {project}:cluster:");
        line($"    name: {StackFileWriter.Scalar(Name)}");
        line($"    kubernetesVersion: \"{Version}\"");
        line($"    serviceCidr: {ServiceCidr ?? "172.20.0.0/16"}{(ServiceCidr is null ? " # inferred: describe-cluster gives none; EKS's default" : "")}");
        // Where the node subnets' default route goes decides whether the nodes can join before the
        // replica's appliances forward (`infra check` INFRA008): through VPC endpoints, which need
        // the API's private access (the compiler's gate refuses the file otherwise).
        var nodeRole = SubnetRoles.With(ClusterUse.ClusterAndNodes);
        var nodeSubnet = roles.FirstOrDefault(r => r.Role == nodeRole)?.Subnet;
        var viaAppliance = nodeSubnet is not null && vpc.TableOf(nodeSubnet)?.Routes.Any(r => r.Destination == "0.0.0.0/0" && r.Kind == LiveTargetKind.Appliance) == true;
        line("    endpoint:");
        line($"      publicAccess: {(PublicAccess ? "true" : "false")}");
        line(viaAppliance && !PrivateAccess
            ? "      privateAccess: true # inferred: the original's is off, but nodes joining through VPC endpoints need it (INFRA008)"
            : $"      privateAccess: {(PrivateAccess ? "true" : "false")}");
        if (PublicAccess && PublicAccessCidrs.Count > 0)
        {
            line("      publicAccessCidrs:");
            foreach (var cidr in PublicAccessCidrs)
            {
                line($"        - {cidr}");
            }
        }

        if (ClusterSecurityGroup is not null || Endpoint is not null)
        {
            line("    replicaOf:");
            if (ClusterSecurityGroup is not null)
            {
                line($"      securityGroup: {ClusterSecurityGroup}");
            }

            if (Endpoint is not null)
            {
                line($"      endpoint: {Endpoint}");
            }
        }

        if (NodeGroup is { } group)
        {
            line($"  {project}:nodeGroup:");
            line($"    instanceTypes: [{string.Join(", ", group.InstanceTypes)}]");
            line($"    minSize: {group.MinSize}");
            line($"    desiredSize: {group.DesiredSize}");
            line($"    maxSize: {group.MaxSize}");
            if (group.ReleaseVersion is { } release)
            {
                line($"    amiReleaseVersion: \"{release}\"");
            }
        }

        if (viaAppliance)
        {
            line("  # inferred: the node subnets' default route goes to an appliance, which in the replica forwards");
            line("  # nothing until it is attached after `pulumi up`; VPC endpoints let the nodes join meanwhile.");
            line($"  {project}:bootstrap:");
            line("    nodeEgress: vpcEndpoints");
        }
    }
}

public sealed record EksNodeGroupFacts(string Name, IReadOnlyList<string> InstanceTypes, int MinSize, int DesiredSize, int MaxSize, string? ReleaseVersion);
