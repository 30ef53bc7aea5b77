namespace Infra.Model.Security;

public enum TrafficDirection
{
    Ingress,
    Egress,
}

public enum IpProtocol
{
    Tcp,
    Udp,
    All,

    /// <summary>ICMP: a rule's from port is the ICMP type, its to port the code (-1: any).</summary>
    Icmp,

    /// <summary>ICMPv6 (protocol 58), with type and code as for ICMP.</summary>
    Icmpv6,
}

public static class IpProtocolNames
{
    /// <summary>The protocol as EC2 names it in a security group rule ("tcp", "udp", "icmp", "icmpv6", "-1" for all).</summary>
    public static string Ec2Name(this IpProtocol protocol) => protocol switch
    {
        IpProtocol.Tcp => "tcp",
        IpProtocol.Udp => "udp",
        IpProtocol.Icmp => "icmp",
        IpProtocol.Icmpv6 => "icmpv6",
        _ => "-1",
    };

    /// <summary>
    /// EC2's name or number for a protocol, as one name: EC2 accepts either and may answer with the
    /// number (6, 17, 1, 58; -1 or "all" for every protocol). Null for a protocol the stack has no name for.
    /// </summary>
    public static IpProtocol? FromEc2(string text) => text.ToLowerInvariant() switch
    {
        "tcp" or "6" => IpProtocol.Tcp,
        "udp" or "17" => IpProtocol.Udp,
        "icmp" or "1" => IpProtocol.Icmp,
        "icmpv6" or "58" => IpProtocol.Icmpv6,
        "-1" or "all" => IpProtocol.All,
        _ => null,
    };

    /// <summary>Whether a rule's ports are an ICMP type and code rather than a port range.</summary>
    public static bool HasIcmpTypes(this IpProtocol protocol) => protocol is IpProtocol.Icmp or IpProtocol.Icmpv6;
}

/// <summary>
/// Where traffic comes from (ingress) or goes to (egress): an IPv4 block or another group of the
/// stack's, or for the groups a stack states as the original has them, an IPv6 block, a managed
/// prefix list or a group the stack does not own (by id).
/// </summary>
public sealed record Peer(Cidr? Cidr, string? GroupName)
{
    /// <summary>An IPv6 block ("2001:db8::/32").</summary>
    public string? Ipv6Cidr { get; init; }

    /// <summary>A managed prefix list (pl-...).</summary>
    public string? PrefixListId { get; init; }

    /// <summary>A group the stack does not own (sg-...), in this VPC's account or a peer's.</summary>
    public string? GroupId { get; init; }

    public static Peer Block(Cidr cidr) => new(cidr, null);

    public static Peer Group(string name) => new(null, name);

    public static Peer Ipv6Block(string cidr) => new(null, null) { Ipv6Cidr = cidr };

    public static Peer PrefixList(string id) => new(null, null) { PrefixListId = id };

    public static Peer ExistingGroup(string id) => new(null, null) { GroupId = id };

    public override string ToString() => Cidr?.ToString() ?? Ipv6Cidr ?? PrefixListId ?? GroupId ?? $"sg:{GroupName}";
}

public sealed record SecurityRule(
    string Name,
    TrafficDirection Direction,
    IpProtocol Protocol,
    int FromPort,
    int ToPort,
    Peer Peer,
    string Description,
    bool CreatedByEks = false)
{
    /// <summary>Where a stated rule stands in the stack file; null for the rules the design derives.</summary>
    public Origin? At { get; init; }

    public bool Allows(IpProtocol protocol, int port) =>
        (Protocol == IpProtocol.All || Protocol == protocol) && (Protocol == IpProtocol.All || (port >= FromPort && port <= ToPort));

    public string PortText => Protocol == IpProtocol.All ? "all"
        : Protocol.HasIcmpTypes() ? $"type {(FromPort < 0 ? "any" : FromPort)} code {(ToPort < 0 ? "any" : ToPort)}"
        : FromPort == ToPort ? $"{FromPort}" : $"{FromPort}-{ToPort}";
}

public enum SecurityGroupRole
{
    /// <summary>Attached to the EKS control plane's network interfaces (in addition to the EKS-created group).</summary>
    Cluster,

    /// <summary>
    /// The group EKS creates with the cluster: the control plane and every managed node's primary
    /// interface carry it. It is not created here; rules are added to it.
    /// </summary>
    EksManaged,

    /// <summary>The node group's group; custom networking also gives it to the pod ENIs via the ENIConfigs.</summary>
    Nodes,

    /// <summary>One per application load balancer.</summary>
    LoadBalancer,

    /// <summary>On the gateway interfaces this stack creates: traffic they forward for the VPC.</summary>
    GatewayInterface,

    /// <summary>On the interface VPC endpoints this stack creates for the nodes.</summary>
    VpcEndpoint,

    /// <summary>
    /// A group the stack file states rule by rule (`securityGroups`), as an original VPC has it:
    /// created with exactly those rules, on no interface the stack places.
    /// </summary>
    Stated,
}

public sealed record SecurityGroupDesign(string Name, SecurityGroupRole Role, string Description, string? ReplicaOf, IReadOnlyList<SecurityRule> Rules)
{
    /// <summary>Where a stated group stands in the stack file; null for the groups the design derives.</summary>
    public Origin? At { get; init; }
}

/// <summary>
/// The security groups the guide draws, as rules: the guide's "Security Groups Flow" made concrete.
/// </summary>
public static class SecurityDesign
{
    public const string ClusterGroup = "cluster";
    public const string EksManagedGroup = "eks-managed";
    public const string NodeGroup = "nodes";
    public const int Https = 443;
    public const int Kubelet = 10250;
    public const int Dns = 53;
    public const int NodePortFirst = 30000;
    public const int NodePortLast = 32767;

    /// <summary>API server ports the nodes accept from the control plane (webhooks, metrics, aggregated APIs).</summary>
    public static IReadOnlyList<int> ApiServerPorts { get; } = [443, 6443, 8443];

    /// <summary>
    /// Groups on a managed node's interfaces: the stack's launch template names the EKS-created
    /// cluster group and the guide's node group (sg-07019a3af3f18cfa1 in qas). A template that names
    /// groups replaces the cluster group EKS would add by itself (EKS User Guide, "Customize managed
    /// nodes with launch templates"), so both are named.
    /// </summary>
    public static IReadOnlyList<string> NodeInterfaceGroups { get; } = [EksManagedGroup, NodeGroup];

    /// <summary>Groups on the control plane's interfaces in the node subnets: ours and the EKS-created one.</summary>
    public static IReadOnlyList<string> ControlPlaneInterfaceGroups { get; } = [ClusterGroup, EksManagedGroup];

    /// <summary>
    /// Groups the ENIConfigs give pod interfaces under custom networking: the EKS-created cluster
    /// group, so that pods, nodes and the control plane reach each other on any port (kubelet,
    /// NodePort forwarding to remote pods, webhooks such as 9443), and the node group with the
    /// guide's rules, as in AWS's custom networking tutorial.
    /// </summary>
    public static IReadOnlyList<string> PodInterfaceGroups { get; } = [EksManagedGroup, NodeGroup];

    public static string LoadBalancerGroup(string application) => $"lb-{application}";

    /// <summary>
    /// The groups an interface of this kind carries (for a load balancer, the one of its
    /// application): the groups a packet to or from it meets.
    /// </summary>
    public static IReadOnlyList<string> GroupNamesOn(InterfaceKind kind, string? application = null) => kind switch
    {
        InterfaceKind.Node => NodeInterfaceGroups,
        InterfaceKind.ControlPlane => ControlPlaneInterfaceGroups,
        InterfaceKind.Pod => PodInterfaceGroups,
        InterfaceKind.LoadBalancer => [LoadBalancerGroup(application ?? throw new ArgumentNullException(nameof(application), "a load balancer's groups depend on its application"))],
        InterfaceKind.Gateway => [GatewayInterfaceGroup],
        _ => [VpcEndpointGroup],
    };

    /// <summary>Of <paramref name="groups"/>, those on an interface of this kind, in the order given.</summary>
    public static IReadOnlyList<SecurityGroupDesign> On(IReadOnlyList<SecurityGroupDesign> groups, InterfaceKind kind, string? application = null)
    {
        var wanted = GroupNamesOn(kind, application).ToHashSet(StringComparer.Ordinal);
        return groups.Where(g => wanted.Contains(g.Name)).ToList();
    }

    /// <summary>NodePort services reached from an application's load balancer.</summary>
    private static SecurityRule NodePortFrom(LoadBalancedApp app) =>
        new($"nodeport-from-{LoadBalancerGroup(app.Name)}", TrafficDirection.Ingress, IpProtocol.Tcp, NodePortFirst, NodePortLast, Peer.Group(LoadBalancerGroup(app.Name)), $"NodePort services behind the {app.Name} load balancer");

    public const string GatewayInterfaceGroup = "gateways";
    public const string VpcEndpointGroup = "vpc-endpoints";

    /// <summary>The interface endpoints' group: HTTPS from anywhere in the VPC (nodes and pods call AWS APIs).</summary>
    public static SecurityGroupDesign VpcEndpoints(NetworkSpec network) => new(
        VpcEndpointGroup,
        SecurityGroupRole.VpcEndpoint,
        "VPC endpoints: AWS APIs for nodes and pods",
        null,
        [.. network.VpcCidrs.Select((cidr, i) => new SecurityRule($"https-from-vpc-cidr-{i + 1}", TrafficDirection.Ingress, IpProtocol.Tcp, Https, Https, Peer.Block(cidr), $"AWS API calls from {cidr}"))]);

    /// <summary>
    /// The group of the gateway interfaces this stack creates, or null when it creates none. An
    /// appliance forwards traffic whose addresses are not its own: it must admit everything the
    /// VPC's subnets send it (any port, from every VPC CIDR) and send anywhere.
    /// </summary>
    public static SecurityGroupDesign? GatewayInterfaces(NetworkSpec network)
    {
        if (!network.Gateways.Any(g => g.Placement == GatewayPlacement.CreatedInterface))
        {
            return null;
        }

        var vpcCidrs = network.VpcCidrs.ToList();
        return new SecurityGroupDesign(
            GatewayInterfaceGroup,
            SecurityGroupRole.GatewayInterface,
            "Gateway appliance interfaces: traffic the VPC routes through them",
            null,
            [
                .. vpcCidrs.Select((cidr, i) => new SecurityRule($"all-from-vpc-cidr-{i + 1}", TrafficDirection.Ingress, IpProtocol.All, 0, 0, Peer.Block(cidr), $"Traffic the VPC routes through the gateways, from {cidr}")),
                new SecurityRule("all-egress", TrafficDirection.Egress, IpProtocol.All, 0, 0, Peer.Block(Cidr.Parse("0.0.0.0/0")), "Forwarded traffic leaves anywhere"),
            ]);
    }

    /// <summary>Every group the stack creates or adds rules to: the cluster's, the gateway interfaces', the VPC endpoints'.</summary>
    public static IReadOnlyList<SecurityGroupDesign> All(NetworkSpec network, ClusterDesign? design)
    {
        var groups = new List<SecurityGroupDesign>();
        if (design is not null)
        {
            groups.AddRange(Build(network, design));
        }

        if (GatewayInterfaces(network) is { } gateways)
        {
            groups.Add(gateways);
        }

        if (design?.Bootstrap?.NodeEgress == NodeEgress.VpcEndpoints)
        {
            groups.Add(VpcEndpoints(network));
        }

        groups.AddRange(network.SecurityGroups);
        return groups;
    }

    public static IReadOnlyList<SecurityGroupDesign> Build(NetworkSpec network, ClusterDesign design)
    {
        var anywhere = Cidr.Parse("0.0.0.0/0");
        var groups = new List<SecurityGroupDesign>();

        // Applications are a set: their order in configuration must not reorder the program.
        var applications = design.Applications.OrderBy(a => a.Name, StringComparer.Ordinal).ToList();

        groups.Add(new SecurityGroupDesign(
            ClusterGroup,
            SecurityGroupRole.Cluster,
            "EKS control plane: the API server, reached by the nodes",
            null,
            [
                new SecurityRule("https-from-nodes", TrafficDirection.Ingress, IpProtocol.Tcp, Https, Https, Peer.Group(NodeGroup), "Nodes and pods call the API server"),
                new SecurityRule("all-egress", TrafficDirection.Egress, IpProtocol.All, 0, 0, Peer.Block(anywhere), "Control plane reaches kubelets and webhooks"),
            ]));

        // Managed nodes' primary interfaces carry only the EKS-created group, so load balancers
        // that target instances (NodePorts) must be let in there as well.
        groups.Add(new SecurityGroupDesign(
            EksManagedGroup,
            SecurityGroupRole.EksManaged,
            "Created by EKS: all traffic within the cluster; NodePorts from the load balancers",
            design.Cluster.ReplicaOfSecurityGroup,
            [
                // EKS creates this group with a rule admitting all traffic from its own members
                // (EKS User Guide, "View Amazon EKS security group requirements for clusters"); it is
                // modelled so that trace sees it, and never emitted.
                new SecurityRule("all-from-members", TrafficDirection.Ingress, IpProtocol.All, 0, 0, Peer.Group(EksManagedGroup), "All traffic within the cluster (created by EKS)", CreatedByEks: true),
                // ...and all outbound traffic (same page, "Default cluster security group rules").
                new SecurityRule("all-egress", TrafficDirection.Egress, IpProtocol.All, 0, 0, Peer.Block(anywhere), "All outbound traffic (created by EKS)", CreatedByEks: true),
                .. applications.Select(NodePortFrom),
            ]));

        var nodeRules = new List<SecurityRule>();
        foreach (var port in ApiServerPorts)
        {
            nodeRules.Add(new SecurityRule($"api-{port}-from-cluster", TrafficDirection.Ingress, IpProtocol.Tcp, port, port, Peer.Group(ClusterGroup), $"API server traffic on {port} from the control plane"));
        }

        nodeRules.Add(new SecurityRule("kubelet-from-cluster", TrafficDirection.Ingress, IpProtocol.Tcp, Kubelet, Kubelet, Peer.Group(ClusterGroup), "Kubelet API from the control plane"));
        foreach (var (cidr, index) in network.VpcCidrs.Select((c, i) => (c, i)))
        {
            // Pods live in the secondary CIDR, so DNS must be open to both.
            var which = index == 0 ? "primary" : $"secondary-{index}";
            nodeRules.Add(new SecurityRule($"dns-tcp-from-{which}", TrafficDirection.Ingress, IpProtocol.Tcp, Dns, Dns, Peer.Block(cidr), $"CoreDNS over TCP from the {which} VPC CIDR"));
            nodeRules.Add(new SecurityRule($"dns-udp-from-{which}", TrafficDirection.Ingress, IpProtocol.Udp, Dns, Dns, Peer.Block(cidr), $"CoreDNS over UDP from the {which} VPC CIDR"));
        }

        nodeRules.AddRange(applications.Select(NodePortFrom));

        nodeRules.Add(new SecurityRule("node-to-node", TrafficDirection.Ingress, IpProtocol.All, 0, 0, Peer.Group(NodeGroup), "Nodes and pods talk to each other"));
        nodeRules.Add(new SecurityRule("all-egress", TrafficDirection.Egress, IpProtocol.All, 0, 0, Peer.Block(anywhere), "Nodes reach the API server, registries and corporate networks"));
        groups.Add(new SecurityGroupDesign(NodeGroup, SecurityGroupRole.Nodes, "EKS worker nodes and pod ENIs", design.NodeGroups.Select(g => g.ReplicaOfSecurityGroup).FirstOrDefault(id => id is not null), nodeRules));

        foreach (var app in applications)
        {
            groups.Add(new SecurityGroupDesign(
                LoadBalancerGroup(app.Name),
                SecurityGroupRole.LoadBalancer,
                $"Load balancer of {app.Name}",
                app.ReplicaOfSecurityGroup,
                [
                    new SecurityRule("https-from-anywhere", TrafficDirection.Ingress, IpProtocol.Tcp, Https, Https, Peer.Block(anywhere), "HTTPS from clients"),
                    new SecurityRule("all-egress", TrafficDirection.Egress, IpProtocol.All, 0, 0, Peer.Block(anywhere), "To targets on the nodes"),
                ]));
        }

        return groups;
    }
}
