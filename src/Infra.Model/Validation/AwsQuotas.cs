namespace Infra.Model.Validation;

/// <summary>
/// AWS quotas and limits a configuration can exceed, checked before anything is emitted so that
/// `pulumi up` does not fail halfway. Defaults are the account defaults from the AWS documentation
/// cited on each; a raised quota is not visible offline, so these are the numbers checked.
/// </summary>
public static class AwsQuotas
{
    /// <summary>IPv4 CIDR blocks per VPC, primary included (Amazon VPC quotas, default 5).</summary>
    public const int CidrBlocksPerVpc = 5;

    /// <summary>Routes per route table, the local routes included (Amazon VPC quotas, default 50).</summary>
    public const int RoutesPerTable = 50;

    /// <summary>Route tables per VPC, the main one included (Amazon VPC quotas, default 200).</summary>
    public const int RouteTablesPerVpc = 200;

    /// <summary>Inbound, and separately outbound, rules per security group (Amazon VPC quotas, default 60).</summary>
    public const int RulesPerSecurityGroupDirection = 60;

    /// <summary>Characters of a tag value (EC2 "Tag restrictions": 256).</summary>
    public const int TagValueLength = 256;

    /// <summary>
    /// A managed node group's name is at most 63 characters; a name prefix gets a 26-character unique
    /// suffix (the aws provider's prefixed unique ids), so the prefix is at most 37.
    /// </summary>
    public const int NodeGroupNamePrefixLength = 63 - 26;

    /// <summary>
    /// Kubernetes versions EKS creates clusters with, standard or extended support, as of 2026-11
    /// (EKS User Guide, "Understand the Kubernetes version lifecycle on EKS"); update with the calendar.
    /// </summary>
    public static IReadOnlyList<string> KubernetesVersions { get; } = ["1.32", "1.33", "1.34", "1.35", "1.36"];

    public static void Validate(EnvironmentSpec environment, List<ConfigProblem> problems)
    {
        var network = environment.Network;
        if (network.VpcCidrs.Count() > CidrBlocksPerVpc)
        {
            var first = network.Vpc.Secondary[CidrBlocksPerVpc - 1];
            Add(problems, first.At, first.Value, $"a VPC has at most {CidrBlocksPerVpc} IPv4 CIDR blocks (the primary included) by default");
        }

        if (network.RouteTables.Count > RouteTablesPerVpc)
        {
            var extra = network.RouteTables[RouteTablesPerVpc];
            Add(problems, extra.At, $"{network.RouteTables.Count} route tables", $"a VPC holds {RouteTablesPerVpc} route tables by default (the main one included)");
        }

        var localRoutes = network.VpcCidrs.Count();
        foreach (var table in network.RouteTables.Where(t => t.Routes.Count + localRoutes > RoutesPerTable))
        {
            Add(problems, table.At.Child("routes"), $"{table.Routes.Count} routes", $"with the {localRoutes} local routes this exceeds the {RoutesPerTable} routes a route table holds by default");
        }

        foreach (var gateway in network.Gateways.Where(g => g.Description.Length > TagValueLength))
        {
            Add(problems, gateway.At.Child("description"), gateway.Description, $"is tagged on the gateway's interface; a tag value is at most {TagValueLength} characters");
        }

        if (environment.Cluster is { } design)
        {
            ValidateCluster(network, design, problems);
        }

        ValidateAddressBudget(environment, problems);
    }

    /// <summary>
    /// Free addresses EKS needs in each subnet the cluster is given, for the control plane's network
    /// interfaces (EKS User Guide, "View Amazon EKS networking requirements for VPC and subnets": at
    /// least six).
    /// </summary>
    public const int EksControlPlaneAddresses = 6;

    /// <summary>
    /// Every address the stack itself takes in a subnet (a gateway interface each, one per interface
    /// VPC endpoint in each node subnet, the NAT gateway, the control plane's six) within what AWS
    /// leaves usable (the subnet's size less its 5 reserved addresses).
    /// </summary>
    private static void ValidateAddressBudget(EnvironmentSpec environment, List<ConfigProblem> problems)
    {
        var network = environment.Network;
        var design = environment.Cluster;
        foreach (var subnet in network.Subnets)
        {
            var takers = new List<(string What, long Count, Origin At)>();
            var gateways = network.Gateways.Where(g => g.Placement == GatewayPlacement.CreatedInterface && g.InterfaceSubnet == subnet.Key).ToList();
            if (gateways.Count > 0)
            {
                takers.Add(($"{gateways.Count} gateway interface{(gateways.Count == 1 ? "" : "s")}", gateways.Count, gateways[^1].At.Child("interface").Child("subnet")));
            }

            if (network.Nat is { Enabled: true } nat && subnet.Role == SubnetRole.Public && nat.Zones.Contains(subnet.Zone))
            {
                takers.Add(("the NAT gateway", 1, nat.At));
            }

            if (design is not null && subnet.Role.Policy().ClusterUse == ClusterUse.ClusterAndNodes)
            {
                takers.Add(($"{EksControlPlaneAddresses} for the EKS control plane", EksControlPlaneAddresses, subnet.At));
                if (design.Bootstrap is { NodeEgress: NodeEgress.VpcEndpoints } bootstrap)
                {
                    takers.Add(($"{NodeBootstrap.InterfaceEndpointServices.Count} interface VPC endpoints", NodeBootstrap.InterfaceEndpointServices.Count, bootstrap.At));
                }
            }

            var taken = takers.Sum(t => t.Count);
            var usable = Addressing.AwsAddressRules.UsableAddresses(subnet.Cidr);
            if (taken > usable)
            {
                Add(problems, takers.MaxBy(t => t.Count).At, subnet.Key, $"the stack takes {taken} addresses in {subnet.Key} ({string.Join(", ", takers.Select(t => t.What))}), which has {usable} usable ({subnet.Cidr} less the 5 AWS reserves)");
            }
        }
    }

    private static void ValidateCluster(NetworkSpec network, ClusterDesign design, List<ConfigProblem> problems)
    {
        var cluster = design.Cluster;
        if (cluster.NodeGroupNamePrefix.Length > NodeGroupNamePrefixLength)
        {
            Add(problems, cluster.At.Child("name"), cluster.Name, $"the node group's name prefix {cluster.NodeGroupNamePrefix} would be {cluster.NodeGroupNamePrefix.Length} characters; AWS allows {NodeGroupNamePrefixLength} (a cluster name of at most {NodeGroupNamePrefixLength - (cluster.NodeGroupNamePrefix.Length - cluster.Name.Length)})");
        }

        foreach (var nodeGroup in design.NodeGroups.Where(g => g.NamedApart))
        {
            var prefix = nodeGroup.NamePrefix(cluster);
            if (prefix.Length > NodeGroupNamePrefixLength)
            {
                Add(problems, nodeGroup.At, nodeGroup.Name, $"the node group's name prefix {prefix} would be {prefix.Length} characters; AWS allows {NodeGroupNamePrefixLength}");
            }
        }

        if (!KubernetesVersions.Contains(cluster.KubernetesVersion))
        {
            Add(problems, cluster.At.Child("kubernetesVersion"), cluster.KubernetesVersion, $"EKS creates clusters with {string.Join(", ", KubernetesVersions)} (as of 2026-11)");
        }

        foreach (var group in SecurityDesign.Build(network, design))
        {
            foreach (var direction in new[] { TrafficDirection.Ingress, TrafficDirection.Egress })
            {
                var count = group.Rules.Count(r => r.Direction == direction);
                if (count > RulesPerSecurityGroupDirection)
                {
                    // Only the applications' load balancer groups grow a group's rules with config.
                    var at = design.Applications.Count > 0 ? new Origin(design.Applications[0].At.Path.Split('[')[0]) : cluster.At;
                    Add(problems, at, $"{design.Applications.Count} applications", $"security group {group.Name} would have {count} {direction.ToString().ToLowerInvariant()} rules; a group holds {RulesPerSecurityGroupDirection} per direction by default");
                }
            }
        }
    }

    private static void Add(List<ConfigProblem> problems, Origin at, object value, string message) =>
        problems.Add(new ConfigProblem(at.Path, at.Shown(value.ToString() ?? string.Empty), message));
}
