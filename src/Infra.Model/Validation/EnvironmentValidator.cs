using System.Text.RegularExpressions;
using Infra.Model.Addressing;
using Infra.Model.Cluster;
using Infra.Model.Network;

namespace Infra.Model.Validation;

/// <summary>
/// Every rule a stack must meet before anything is emitted: CIDR sizes and containment, overlaps,
/// AWS's secondary-CIDR restrictions, AZs of the region, routes and their targets, and the
/// cluster's sizing. Problems name the configuration key and value that break the rule.
/// </summary>
public static partial class EnvironmentValidator
{
    public static IReadOnlyList<string> ClusterLogTypes { get; } = ["api", "audit", "authenticator", "controllerManager", "scheduler"];

    /// <summary>EKS managed node groups hold at most 450 nodes.</summary>
    public const int MaxNodeGroupSize = 450;

    /// <summary>Kubelet max-pods above 250 is outside what EKS supports on any instance.</summary>
    public const int HighestMaxPodsCap = 250;

    public static IReadOnlyList<ConfigProblem> Validate(EnvironmentSpec environment, InstanceLimits catalogue)
    {
        // Rules run in phases, each only on a foundation the earlier ones accepted, so that one
        // mistake (say, a zone of the wrong region) yields one message, not one per subnet in it.
        var problems = new List<ConfigProblem>();
        var network = environment.Network;
        Action[] phases =
        [
            () =>
            {
                ValidateVpc(network, problems);
                ValidateZones(network, problems);
            },
            () =>
            {
                ValidateSubnets(network, problems);
                ValidateGateways(network, problems);
            },
            () => ValidateRouteTables(network, problems),
            () =>
            {
                if (environment.Cluster is { } cluster)
                {
                    ValidateCluster(network, cluster, catalogue, problems);
                }
            },
            () => AwsQuotas.Validate(environment, problems),
        ];
        foreach (var phase in phases)
        {
            phase();
            if (problems.Count > 0)
            {
                break;
            }
        }

        return problems;
    }

    private static void Add(List<ConfigProblem> problems, Origin at, object? value, string message) =>
        problems.Add(new ConfigProblem(at.Path, value is null ? "(missing)" : at.Shown(value.ToString() ?? string.Empty), message));

    private static void ValidateVpc(NetworkSpec network, List<ConfigProblem> problems)
    {
        var vpc = network.Vpc;
        if (!AwsAddressRules.IsValidBlockSize(vpc.Primary.Value))
        {
            Add(problems, vpc.Primary.At, vpc.Primary.Value, "a VPC CIDR block must be between /16 and /28");
        }

        var restricted = AwsAddressRules.RestrictedSecondaryRanges(vpc.Primary.Value);
        var seenVpcBlocks = new List<Located<Cidr>> { vpc.Primary };
        foreach (var secondary in vpc.Secondary)
        {
            if (!AwsAddressRules.IsValidBlockSize(secondary.Value))
            {
                Add(problems, secondary.At, secondary.Value, "a VPC CIDR block must be between /16 and /28");
            }

            if (restricted.FirstOrDefault(r => r.Overlaps(secondary.Value)) is var range && range != default)
            {
                Add(problems, secondary.At, secondary.Value, $"AWS does not allow a secondary CIDR in {range} when the primary CIDR is {vpc.Primary.Value}");
            }

            if (seenVpcBlocks.FirstOrDefault(b => b.Value.Overlaps(secondary.Value)) is { } clash)
            {
                Add(problems, secondary.At, secondary.Value, $"overlaps the VPC CIDR {clash.Value} ({clash.At})");
            }

            seenVpcBlocks.Add(secondary);
        }
    }

    private static void ValidateZones(NetworkSpec network, List<ConfigProblem> problems)
    {
        if (!Regions.IsKnownRegion(network.Region))
        {
            Add(problems, new Origin("aws:region"), network.Region, $"not a region this tool knows (known: {string.Join(", ", Regions.KnownRegions)})");
            return;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var zone in network.Zones)
        {
            if (!Regions.ZoneBelongsTo(zone.Value, network.Region))
            {
                Add(problems, zone.At, zone.Value, $"not an availability zone of {network.Region} (its zones: {string.Join(", ", Regions.ZonesOf(network.Region))})");
            }

            if (!seen.Add(zone.Value))
            {
                Add(problems, zone.At, zone.Value, "availability zone listed twice");
            }
        }
    }

    private static void ValidateSubnets(NetworkSpec network, List<ConfigProblem> problems)
    {
        var zones = network.Zones.Select(z => z.Value).ToHashSet(StringComparer.Ordinal);
        var vpcBlocks = network.VpcCidrs.ToList();
        var accepted = new List<SubnetSpec>();
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var subnet in network.Subnets)
        {
            if (!keys.Add(subnet.Key))
            {
                Add(problems, subnet.EntryAt, subnet.Key, "a role has one subnet per availability zone, and this one is declared twice");
                continue;
            }

            if (!zones.Contains(subnet.Zone))
            {
                Add(problems, subnet.EntryAt, subnet.Zone, $"the availability zone is not one of the stack's zones ({string.Join(", ", zones.Order(StringComparer.Ordinal))})");
            }

            if (!AwsAddressRules.IsValidBlockSize(subnet.Cidr))
            {
                Add(problems, subnet.At, subnet.Cidr, "a subnet must be between /16 and /28");
                continue;
            }

            var containers = vpcBlocks.Where(b => b.Contains(subnet.Cidr)).ToList();
            if (containers.Count != 1)
            {
                Add(problems, subnet.At, subnet.Cidr, $"must lie inside exactly one VPC CIDR ({string.Join(", ", vpcBlocks)})");
                continue;
            }

            if (subnet.Role.UsesSecondaryCidr() && network.SecondaryCidrIndexOf(subnet) is null)
            {
                Add(problems, subnet.At, subnet.Cidr, "pod subnets belong in a secondary VPC CIDR, apart from node addresses");
            }

            if (accepted.FirstOrDefault(a => a.Cidr.Overlaps(subnet.Cidr)) is { } clash)
            {
                Add(problems, subnet.At, subnet.Cidr, $"overlaps subnet {clash.Key} ({clash.Cidr})");
                continue;
            }

            accepted.Add(subnet);
        }

        if (network.Nat.Enabled && (network.Nat.Zone is null || network.FindSubnet(SubnetRole.Public, network.Nat.Zone) is null))
        {
            Add(problems, network.Nat.At.Child("zone"), network.Nat.Zone, "the NAT gateway needs a public subnet in that availability zone");
        }
    }

    private static void ValidateGateways(NetworkSpec network, List<ConfigProblem> problems)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var gateway in network.Gateways)
        {
            CheckName(problems, gateway.At, gateway.Name, "a gateway");
            if (gateway.Name is RouteTarget.LocalName or RouteTarget.InternetGatewayName or RouteTarget.NatGatewayName)
            {
                Add(problems, gateway.At, gateway.Name, "this name is reserved for a built-in route target");
            }

            if (!names.Add(gateway.Name))
            {
                Add(problems, gateway.At, gateway.Name, "gateway declared twice");
            }

            if (gateway.InstanceId is { } instanceId && !InstanceIdPattern().IsMatch(instanceId))
            {
                Add(problems, gateway.At.Child("existing").Child("instanceId"), instanceId, "not an EC2 instance id (i- followed by 8 or 17 hex digits)");
            }

            if (gateway.NetworkInterfaceId is { } eni && !EniIdPattern().IsMatch(eni))
            {
                Add(problems, gateway.At.Child("existing").Child("networkInterfaceId"), eni, "not a network interface id (eni- followed by 8 or 17 hex digits)");
            }

            if (gateway.ReplicaOf is { } replicaOf && !InstanceIdPattern().IsMatch(replicaOf) && !EniIdPattern().IsMatch(replicaOf))
            {
                Add(problems, gateway.At.Child("replicaOf"), replicaOf, "not an EC2 instance id or network interface id");
            }

            if (gateway.InterfaceSubnet is { } subnet && network.FindSubnet(subnet) is null)
            {
                Add(problems, gateway.At.Child("interface").Child("subnet"), subnet, $"no such subnet; expected role/zone, one of {string.Join(", ", network.OrderedSubnets.Select(s => s.Key))}");
            }
        }
    }

    private static void ValidateRouteTables(NetworkSpec network, List<ConfigProblem> problems)
    {
        foreach (var table in network.RouteTables)
        {
            CheckName(problems, table.At, table.Name, "a route table");
        }

        var mains = network.RouteTables.Where(t => t.IsMain).ToList();
        if (mains.Count != 1)
        {
            var at = mains.Count > 1 ? mains[1].At.Child("main") : new Origin(network.RouteTables.FirstOrDefault()?.At.Path.Split('.')[0] ?? "routeTables");
            Add(problems, at, mains.Count, "exactly one route table must be the main table (it manages the VPC's default route table)");
        }

        var associated = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var table in network.RouteTables)
        {
            var destinations = new Dictionary<Cidr, RouteSpec>();
            foreach (var route in table.Routes)
            {
                if (destinations.TryGetValue(route.Destination, out var earlier))
                {
                    Add(problems, route.At.Child("destination"), route.Destination, $"duplicate destination in route table {table.Name} (also {earlier.At})");
                }
                else
                {
                    destinations[route.Destination] = route;
                }

                if (network.VpcCidrs.Contains(route.Destination))
                {
                    Add(problems, route.At.Child("destination"), route.Destination, "is a VPC CIDR: AWS routes it locally already");
                }
                else if (network.VpcCidrs.Any(v => v.Contains(route.Destination)) && !network.Subnets.Any(sub => sub.Cidr == route.Destination))
                {
                    // Amazon VPC route tables: a route more specific than the local route must
                    // match a subnet's CIDR exactly (subnet routing through a middlebox).
                    Add(problems, route.At.Child("destination"), route.Destination, $"lies inside the VPC; AWS accepts a route more specific than the local route only when it is exactly a subnet's CIDR ({string.Join(", ", network.Subnets.Select(sub => sub.Cidr))})");
                }

                ValidateTarget(network, route, problems);
            }

            foreach (var key in table.SubnetKeys)
            {
                if (network.FindSubnet(key.Value) is null)
                {
                    Add(problems, key.At, key.Value, $"names no configured subnet (subnets: {string.Join(", ", network.Subnets.Select(s => s.Key))})");
                }
                else if (!associated.TryAdd(key.Value, table.Name))
                {
                    Add(problems, key.At, key.Value, $"subnet is already associated with route table {associated[key.Value]}; a subnet has one route table");
                }
            }
        }
    }

    private static void ValidateTarget(NetworkSpec network, RouteSpec route, List<ConfigProblem> problems)
    {
        var at = route.At.Child("target");
        switch (route.Target.Kind)
        {
            case RouteTargetKind.Local:
                Add(problems, at, route.Target, "local routes are added by AWS for the VPC CIDRs and cannot be declared");
                break;
            case RouteTargetKind.NatGateway when !network.Nat.Enabled:
                Add(problems, at, route.Target, "the NAT gateway is switched off (natGateway.enabled)");
                break;
            case RouteTargetKind.Instance when network.FindGateway(route.Target.GatewayName!) is null:
                var declared = network.Gateways.Select(g => g.Name).Append(RouteTarget.InternetGatewayName);
                Add(problems, at, route.Target, $"not a declared route target (declared: {string.Join(", ", declared)})");
                break;
        }
    }

    private static void ValidateCluster(NetworkSpec network, ClusterDesign design, InstanceLimits catalogue, List<ConfigProblem> problems)
    {
        var cluster = design.Cluster;
        if (!ClusterNamePattern().IsMatch(cluster.Name))
        {
            Add(problems, cluster.At.Child("name"), cluster.Name, "an EKS cluster name is 1-100 letters, digits, hyphens or underscores, starting with a letter or digit");
        }

        if (!KubernetesVersionPattern().IsMatch(cluster.KubernetesVersion))
        {
            Add(problems, cluster.At.Child("kubernetesVersion"), cluster.KubernetesVersion, "expected a Kubernetes minor version such as 1.33");
        }

        var service = cluster.ServiceCidr;
        if (!AwsAddressRules.IsValidServiceCidrRange(service.Value))
        {
            Add(problems, service.At, service.Value, "EKS needs the service CIDR inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16, between /12 and /24");
        }
        else if (network.VpcCidrs.FirstOrDefault(v => v.Overlaps(service.Value)) is var vpcBlock && vpcBlock != default)
        {
            Add(problems, service.At, service.Value, $"overlaps the VPC CIDR {vpcBlock}; service addresses must not be VPC addresses");
        }

        if (!cluster.Endpoint.PublicAccess && !cluster.Endpoint.PrivateAccess)
        {
            Add(problems, cluster.At.Child("endpoint.publicAccess"), false, "with private access off too, nothing could reach the API server");
        }

        var logTypes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (logType, index) in cluster.LogTypes.Select((l, i) => (l, i)))
        {
            if (!ClusterLogTypes.Contains(logType))
            {
                Add(problems, cluster.At.Child("logTypes").Index(index), logType, $"not an EKS log type ({string.Join(", ", ClusterLogTypes)})");
            }
            else if (!logTypes.Add(logType))
            {
                Add(problems, cluster.At.Child("logTypes").Index(index), logType, "log type listed twice");
            }
        }

        ValidateCni(network, design, problems);
        ValidateNodeGroup(design, catalogue, problems);
        ValidateApplications(design, problems);
    }

    private static void ValidateCni(NetworkSpec network, ClusterDesign design, List<ConfigProblem> problems)
    {
        if (design.Cni.CustomNetworking && string.IsNullOrWhiteSpace(design.Cni.EniConfigLabel))
        {
            Add(problems, design.Cni.At.Child("eniConfigLabel"), design.Cni.EniConfigLabel, "custom networking needs the node label that selects the ENIConfig");
        }

        foreach (var zone in network.Zones)
        {
            if (design.Cni.CustomNetworking && network.FindSubnet(SubnetRoles.With(ClusterUse.EniConfigs), zone.Value) is null)
            {
                Add(problems, zone.At, zone.Value, "custom networking needs an ENIConfig in every zone, and this zone has no pod subnet (subnets.pods)");
            }

            if (network.FindSubnet(SubnetRoles.With(ClusterUse.ClusterAndNodes), zone.Value) is null)
            {
                Add(problems, zone.At, zone.Value, "the node group and control plane need a node subnet in every zone, and this zone has none (subnets.nodes)");
            }
        }

        if (network.Zones.Count < 2)
        {
            Add(problems, network.Zones.FirstOrDefault()?.At ?? design.Cluster.At, network.Zones.Count, "EKS needs subnets in at least two availability zones");
        }
    }

    private static void ValidateNodeGroup(ClusterDesign design, InstanceLimits catalogue, List<ConfigProblem> problems)
    {
        var nodeGroup = design.NodeGroup;
        if (nodeGroup.InstanceTypes.Count == 0)
        {
            Add(problems, nodeGroup.At.Child("instanceTypes"), "[]", "the node group needs at least one instance type");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var type in nodeGroup.InstanceTypes)
        {
            if (!catalogue.TryGet(type.Value, out var limits))
            {
                Add(problems, type.At, type.Value, "unknown EC2 instance type (not in the VPC CNI's ENI limits table)");
            }
            else
            {
                if (design.Cni.PrefixDelegation && !limits.SupportsPrefixDelegation)
                {
                    Add(problems, type.At, type.Value, $"prefix delegation needs a Nitro instance type; this one runs on {limits.Hypervisor} (pick a Nitro type, or set cni.prefixDelegation to false to use secondary IPs)");
                }

                if (nodeGroup.MaxPodsCap is null && MaxPods.AwsCap(limits) is null)
                {
                    Add(problems, type.At, type.Value, "its vCPU count is unknown, so AWS's max-pods cap (110 up to 30 vCPUs, 250 above) cannot be worked out; set nodeGroup.maxPodsCap");
                }
            }

            if (!seen.Add(type.Value))
            {
                Add(problems, type.At, type.Value, "instance type listed twice");
            }
        }

        if (nodeGroup.MinSize < 0)
        {
            Add(problems, nodeGroup.At.Child("minSize"), nodeGroup.MinSize, "must not be negative");
        }

        if (nodeGroup.MaxSize < 1 || nodeGroup.MaxSize > MaxNodeGroupSize)
        {
            Add(problems, nodeGroup.At.Child("maxSize"), nodeGroup.MaxSize, $"must be from 1 to {MaxNodeGroupSize} (the EKS managed node group limit)");
        }
        else if (nodeGroup.MinSize > nodeGroup.DesiredSize || nodeGroup.DesiredSize > nodeGroup.MaxSize)
        {
            Add(problems, nodeGroup.At.Child("desiredSize"), nodeGroup.DesiredSize, $"sizes must be in order: minSize ({nodeGroup.MinSize}) <= desiredSize <= maxSize ({nodeGroup.MaxSize})");
        }

        if (nodeGroup.MaxPodsCap is { } cap && (cap < 1 || cap > HighestMaxPodsCap))
        {
            Add(problems, nodeGroup.At.Child("maxPodsCap"), cap, $"must be from 1 to {HighestMaxPodsCap}");
        }
    }

    private static void ValidateApplications(ClusterDesign design, List<ConfigProblem> problems)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var app in design.Applications)
        {
            if (CheckName(problems, app.At.Child("name"), app.Name, "an application") && !names.Add(app.Name))
            {
                Add(problems, app.At.Child("name"), app.Name, "application listed twice");
            }
        }
    }

    [GeneratedRegex("^i-([0-9a-f]{8}|[0-9a-f]{17})$")]
    private static partial Regex InstanceIdPattern();

    [GeneratedRegex("^eni-([0-9a-f]{8}|[0-9a-f]{17})$")]
    private static partial Regex EniIdPattern();

    [GeneratedRegex("^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$")]
    private static partial Regex ClusterNamePattern();

    [GeneratedRegex(@"^1\.[0-9]{1,2}$")]
    private static partial Regex KubernetesVersionPattern();

    /// <summary>
    /// Names a user gives (gateways, route tables, applications) become parts of resource names and
    /// of ${name.output} references: lower-case words joined by single hyphens, so that no name holds
    /// the "--" that separates parts of a resource name, nor a "." that would end a reference's root.
    /// </summary>
    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex NamePattern();

    public const int MaxNameLength = 40;

    private static bool CheckName(List<ConfigProblem> problems, Origin at, string name, string what)
    {
        if (name.Length <= MaxNameLength && NamePattern().IsMatch(name))
        {
            return true;
        }

        Add(problems, at, name, $"{what} name is 1-{MaxNameLength} lower-case letters and digits in words joined by single hyphens (it becomes part of resource names)");
        return false;
    }
}
