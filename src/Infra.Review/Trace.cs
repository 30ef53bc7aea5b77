namespace Infra.Review;

public sealed record TraceHop(string Step, string Detail);

/// <summary>
/// One security group on one interface the packet meets, and whether it admits the packet.
/// <paramref name="Interface"/> names the interface (its kind and subnet); <paramref name="Direction"/>
/// is ingress where the packet arrives and egress where it leaves; <paramref name="Leg"/> numbers
/// the hop of a load balancer flow (1 for a plain trace).
/// </summary>
public sealed record GroupVerdict(string Group, string Role, string Interface, string Direction, bool? Allows, IReadOnlyList<string> MatchingRules, int Leg = 1);

/// <summary>One hop of a flow: a packet from one interface to the next, routed on its own.</summary>
public sealed record TraceLeg(int Number, string From, string To, string Ports, bool Reachable, bool? SecurityGroupsAllow)
{
    public bool Delivered => Reachable && SecurityGroupsAllow != false;
}

public sealed record TraceResult(
    string From,
    string To,
    string? SourceSubnet,
    string? SourceInterface,
    string? RouteTable,
    string? RouteTableSelection,
    string? WinningRoute,
    string Target,
    string? DestinationSubnet,
    string? DestinationInterface,
    bool Reachable,
    string? FailedGateway,
    IReadOnlyList<TraceHop> Path,
    IReadOnlyList<GroupVerdict> SecurityGroups,
    IReadOnlyList<TraceLeg> Legs,
    IReadOnlyList<GuideFinding> Findings,
    IReadOnlyList<LostRoute> LostRoutes)
{
    /// <summary>
    /// Whether every interface the packet meets lets it through on the port asked. The groups on
    /// one interface are a union (one admitting rule in any of them is enough); the interfaces in
    /// turn must all admit it. Null without a port.
    /// </summary>
    public bool? SecurityGroupsAllow => Trace.Allows(SecurityGroups);

    /// <summary>Routed to its target and not refused by the security groups (when a port was given).</summary>
    public bool Delivered => Reachable && SecurityGroupsAllow != false;

    /// <summary>The interface whose address the packet leaves with where the VPC CNI translated a pod's source (its node); null without translation.</summary>
    public string? SentAs { get; init; }
}

public sealed record LostRoute(string RouteTable, string Destination, string Purpose);

/// <summary>
/// `infra trace`: the path a packet takes through the VPC's routing, the security groups of the
/// interfaces it really meets (a node's, a pod's, a load balancer's, a gateway's: not every group
/// in the subnet), and where the guide's prose says otherwise. `--to lb:APP` follows a request
/// through the application's load balancer hop by hop: client, load balancer, node port or pod
/// (by target type), pod. With --fail, what a gateway's failure takes away: AWS does not fall back
/// to a less specific route; a route whose target is gone is a blackhole.
/// </summary>
public static class Trace
{
    /// <summary>How `--to` names an application's load balancer instead of an address.</summary>
    public const string LoadBalancerPrefix = "lb:";

    /// <summary>How `--to` names an AWS service (service:s3) instead of an address.</summary>
    public const string ServicePrefix = "service:";

    /// <summary>The services `--to service:NAME` knows: the stack's endpoint services, and DynamoDB, the other gateway-endpoint service.</summary>
    public static IReadOnlyList<string> ServiceNames { get; } =
        [.. NodeBootstrap.InterfaceEndpointServices.Append(NodeBootstrap.GatewayEndpointService).Append("dynamodb").Order(StringComparer.Ordinal)];

    /// <summary>The `--to` names of the stack's load balancers (lb:APP), in order.</summary>
    public static IEnumerable<string> LoadBalancerNames(ClusterDesign? cluster) =>
        (cluster?.Applications ?? []).Select(a => LoadBalancerPrefix + a.Name).Order(StringComparer.Ordinal);

    /// <summary>A port or a contiguous range of them that a rule must admit whole.</summary>
    private sealed record Ports(int First, int Last, string Text)
    {
        public static Ports? Of(int? port) => port is { } p ? Single(p) : null;

        public static Ports Single(int port) => new(port, port, port.ToString(System.Globalization.CultureInfo.InvariantCulture));

        public bool AdmittedBy(SecurityRule rule, IpProtocol protocol) => rule.Allows(protocol, First) && rule.Allows(protocol, Last);
    }

    /// <summary>
    /// One end of a hop. <paramref name="Kind"/> is null outside the VPC, or where the stack places
    /// no interface; <paramref name="Label"/> is how reports name it.
    /// </summary>
    private sealed record Endpoint(uint Address, SubnetSpec? Subnet, InterfaceKind? Kind, string? Application, string Label)
    {
        /// <summary>An AWS service reached by name (service:NAME) at addresses the stack cannot know: routed by its endpoint's prefix list, else as any internet address.</summary>
        public string? Service { get; init; }

        /// <summary>The groups of an interface whose groups the stack file names (a stated endpoint's), instead of its kind's.</summary>
        public IReadOnlyList<string>? GroupNames { get; init; }

        public IReadOnlyList<SecurityGroupDesign> Groups(IReadOnlyList<SecurityGroupDesign> all) =>
            GroupNames is { } names ? [.. all.Where(g => names.Contains(g.Name))]
            : Kind is { } kind ? SecurityDesign.On(all, kind, Application) : [];
    }

    private sealed record LegOutcome(
        string? SourceSubnet,
        string? RouteTable,
        string? Selection,
        string? WinningRoute,
        string Target,
        string? DestinationSubnet,
        bool Reachable,
        IReadOnlyList<TraceHop> Path,
        IReadOnlyList<GroupVerdict> Groups)
    {
        /// <summary>The interface the packet left as, where the CNI translated the source (a pod's node).</summary>
        public string? SentAs { get; init; }
    }

    public static TraceResult Run(ValidatedEnvironment env, string from, string to, string? failGateway = null, int? port = null, IpProtocol protocol = IpProtocol.Tcp,
        string? fromInterface = null, string? toInterface = null)
    {
        var network = env.Network;
        if (failGateway is not null && network.FindGateway(failGateway) is null)
        {
            throw new ReviewArgumentException(ReviewInput.Fail, failGateway, $"not a gateway of the stack (gateways: {string.Join(", ", network.Gateways.Select(g => g.Name))})");
        }

        var source = ResolveSource(env, from, fromInterface);
        if (to.StartsWith(LoadBalancerPrefix, StringComparison.Ordinal))
        {
            if (toInterface is not null)
            {
                throw new ReviewArgumentException(ReviewInput.ToInterface, toInterface, $"a load balancer flow ({to}) chooses its interfaces itself");
            }

            return LoadBalancerFlow(env, from, to, source, failGateway, port, protocol);
        }

        if (to.StartsWith(ServicePrefix, StringComparison.Ordinal))
        {
            return ServiceFlow(env, from, to, source, failGateway, port, protocol, toInterface);
        }

        // A subnet stands for a host in it, as for --from.
        var toSubnet = SubnetNamed(network, to);
        uint destinationAddress = 0;
        if (toSubnet is not null)
        {
            destinationAddress = HostIn(toSubnet);
        }
        else if (!Ipv4.TryParse(to, out destinationAddress))
        {
            // Said, not guessed: the ipv6Routes are in the stack, but the VPC's own IPv6 block (the
            // local route) is the one Amazon assigns the replica at `up`, which no one knows here.
            throw new ReviewArgumentException(ReviewInput.To, to, System.Net.IPAddress.TryParse(to, out var other) && other.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
                ? "an IPv6 address: trace follows IPv4 only (the VPC's own IPv6 block is the one Amazon assigns at `up`); give an IPv4 address, a subnet or a load balancer"
                : $"neither a dotted-quad IPv4 address, a subnet nor a load balancer ({LoadBalancerPrefix}APP)");
        }

        var destinationInVpc = network.VpcCidrs.Any(c => c.Contains(destinationAddress));
        if (source.Subnet is null && !destinationInVpc)
        {
            throw new ReviewArgumentException(ReviewInput.To, to, $"both {from} and {to} are outside the VPC: trace follows packets that enter, leave or stay in it");
        }

        var lost = failGateway is null ? [] : LostRoutes(network, failGateway);
        var rewrite = ServiceAddressRewrite(env, source, destinationAddress);
        if (rewrite is not null && toInterface is not null)
        {
            throw new ReviewArgumentException(ReviewInput.ToInterface, toInterface, $"{to} is a Kubernetes service address: kube-proxy rewrites it to a pod");
        }

        var destination = rewrite?.Pod ?? AddressEndpoint(env, destinationAddress, toInterface, ReviewInput.ToInterface);

        // The prose's claims about internet users concern no corporate source (it enters through its gateway).
        var corporateSource = source.Subnet is null && CorporateNetworkOf(env, source.Address) is not null;
        var findings = GuideFindings.For(env)
            .Where(f => f.Applies(source.Subnet, destination.Address, network) && !(corporateSource && f.SourceRoles.Contains(SubnetRoles.InternetSource)))
            .ToList();
        var leg = Leg(env, source, destination, Ports.Of(port), protocol, failGateway, 1, rewrite?.Hops ?? []);
        return new TraceResult(from, to, leg.SourceSubnet, source.Kind?.Key(), leg.RouteTable, leg.Selection, leg.WinningRoute, leg.Target,
            leg.DestinationSubnet, destination.Kind?.Key(), leg.Reachable, failGateway, leg.Path, leg.Groups,
            [new TraceLeg(1, source.Label, destination.Label, port?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "any", leg.Reachable, Allows(leg.Groups))],
            findings, lost)
        { SentAs = leg.SentAs };
    }

    /// <summary>
    /// A request to an AWS service by name (service:NAME). Where the stack has the service's
    /// interface endpoint (private DNS on), the service's name resolves to the endpoint's interface
    /// in the node subnet of the source's zone, reached inside the VPC (VPC User Guide, "Interface
    /// endpoints", private DNS). Otherwise its public addresses are routed: by the gateway
    /// endpoint's prefix-list route where the table has one, else by the default route.
    /// </summary>
    private static TraceResult ServiceFlow(ValidatedEnvironment env, string from, string to, Endpoint source, string? failGateway, int? port, IpProtocol protocol, string? toInterface)
    {
        var network = env.Network;
        var service = to[ServicePrefix.Length..];
        // An interface endpoint the stack file states, with private DNS, answers for its service as the bootstrap's do.
        var stated = network.VpcEndpoints.FirstOrDefault(e => e.Kind == VpcEndpointKind.Interface && e.PrivateDns && e.AwsService(network.Region) == service);
        if (!ServiceNames.Contains(service) && stated is null && !network.VpcEndpoints.Any(e => e.AwsService(network.Region) == service))
        {
            throw new ReviewArgumentException(ReviewInput.To, to, $"not a service trace knows (services: {string.Join(", ", ServiceNames.Select(n => ServicePrefix + n))})");
        }

        if (toInterface is not null)
        {
            throw new ReviewArgumentException(ReviewInput.ToInterface, toInterface, $"a service ({to}) is reached at the interfaces its name resolves to");
        }

        if (source.Subnet is null)
        {
            throw new ReviewArgumentException(ReviewInput.From, from, $"{to} is traced from inside the VPC: give an address in one of its subnets, or a subnet");
        }

        var hostName = $"{service}.{network.Region}.amazonaws.com";
        Endpoint destination;
        TraceHop resolved;
        if (stated is not null)
        {
            var subnets = stated.Subnets.Select(s => network.FindSubnet(s.Value)!).ToList();
            var subnet = subnets.FirstOrDefault(s => s.Zone == source.Subnet.Zone) ?? subnets[0];
            destination = new Endpoint(HostIn(subnet), subnet, InterfaceKind.VpcEndpoint, null, $"{service} endpoint interface ({stated.Name}) in {subnet.Key}")
            {
                GroupNames = [.. stated.SecurityGroups.Select(g => g.Value)],
            };
            resolved = new TraceHop("service", $"{hostName} resolves, by the private DNS of vpcEndpoints.{stated.Name}, to its interfaces: the one in {subnet.Key}");
        }
        else if (env.Cluster?.Bootstrap?.NodeEgress == NodeEgress.VpcEndpoints && NodeBootstrap.InterfaceEndpointServices.Contains(service))
        {
            var subnets = network.SubnetsOf(SubnetRoles.With(ClusterUse.ClusterAndNodes)).ToList();
            var subnet = subnets.FirstOrDefault(s => s.Zone == source.Subnet.Zone) ?? subnets[0];
            destination = new Endpoint(HostIn(subnet), subnet, InterfaceKind.VpcEndpoint, null, $"{service} endpoint interface in {subnet.Key}");
            resolved = new TraceHop("service", $"{hostName} resolves, by the interface endpoint's private DNS, to its interfaces in the node subnets: the one in {subnet.Key}");
        }
        else
        {
            destination = new Endpoint(0, null, null, null, $"{service} ({hostName})") { Service = service };
            resolved = new TraceHop("service", $"{hostName} resolves to {service}'s public addresses in {network.Region} (no interface endpoint of the stack's)");
        }

        var leg = Leg(env, source, destination, Ports.Of(port), protocol, failGateway, 1, [resolved]);
        var findings = destination.Service is null || leg.Target.StartsWith("vpc-endpoint-", StringComparison.Ordinal)
            ? []
            : GuideFindings.For(env).Where(f => f.Scope == FindingScope.OutsideVpc && f.Applies(source.Subnet, 0, network)).ToList();
        var lost = failGateway is null ? [] : LostRoutes(network, failGateway);
        return new TraceResult(from, to, leg.SourceSubnet, source.Kind?.Key(), leg.RouteTable, leg.Selection, leg.WinningRoute, leg.Target,
            leg.DestinationSubnet, destination.Kind?.Key(), leg.Reachable, failGateway, leg.Path, leg.Groups,
            [new TraceLeg(1, source.Label, destination.Label, port?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "any", leg.Reachable, Allows(leg.Groups))],
            findings, lost)
        { SentAs = leg.SentAs };
    }

    /// <summary>
    /// A request to an application's load balancer, hop by hop. The stack's load balancers are
    /// internal, in the subnets whose role hosts them; the client reaches the one in its own zone
    /// (the first zone from outside the VPC). With instance targets the load balancer sends to the
    /// service's NodePort on a node, and kube-proxy on the node forwards to a pod; with ip targets
    /// it sends to the pod itself. Each hop is routed and checked against the groups of the
    /// interfaces it really meets.
    /// </summary>
    private static TraceResult LoadBalancerFlow(ValidatedEnvironment env, string from, string to, Endpoint client, string? failGateway, int? port, IpProtocol protocol)
    {
        var network = env.Network;
        var applicationName = to[LoadBalancerPrefix.Length..];
        var applications = env.Cluster?.Applications ?? [];
        var application = applications.FirstOrDefault(a => a.Name == applicationName)
            ?? throw new ReviewArgumentException(ReviewInput.To, to, applications.Count == 0
                ? "the stack has no load balancers"
                : $"not a load balancer of the stack (load balancers: {string.Join(", ", LoadBalancerNames(env.Cluster))})");

        var zone = client.Subnet?.Zone;
        var balancerSubnet = InZone(network, to, network.OrderedSubnets.Where(s => s.Role.Policy().HostsInternalLoadBalancers), zone);
        var nodeSubnet = InZone(network, to, network.SubnetsOf(SubnetRoles.With(ClusterUse.ClusterAndNodes)), balancerSubnet.Zone);
        var podSubnet = InZone(network, to, network.SubnetsOf(SubnetRoles.With(ClusterUse.EniConfigs)), balancerSubnet.Zone);
        var balancer = new Endpoint(HostIn(balancerSubnet), balancerSubnet, InterfaceKind.LoadBalancer, application.Name,
            $"load balancer {SecurityDesign.LoadBalancerGroup(application.Name)} in {balancerSubnet.Key}");
        var node = new Endpoint(HostIn(nodeSubnet), nodeSubnet, InterfaceKind.Node, null, $"node in {nodeSubnet.Key}");
        var pod = new Endpoint(HostIn(podSubnet), podSubnet, InterfaceKind.Pod, null, $"pod in {podSubnet.Key}");
        var listener = port ?? LoadBalancedApp.ListenerPort;
        var nodePorts = new Ports(SecurityDesign.NodePortFirst, SecurityDesign.NodePortLast, $"NodePort {SecurityDesign.NodePortFirst}-{SecurityDesign.NodePortLast}");

        // The container port is the application's own: the groups must admit it whatever it is.
        var containerPort = new Ports(1, 65535, "the pod's container port (any)");
        var hops = application.TargetType == LoadBalancerTargetType.Instance
            ? new[] { (client, balancer, Ports.Single(listener)), (balancer, node, nodePorts), (node, pod, containerPort) }
            : [(client, balancer, Ports.Single(listener)), (balancer, pod, containerPort)];

        var path = new List<TraceHop>();
        var groups = new List<GroupVerdict>();
        var legs = new List<TraceLeg>();
        var outcomes = new List<LegOutcome>();
        foreach (var (index, (hopFrom, hopTo, ports)) in hops.Index())
        {
            var number = index + 1;
            if (index > 0 && !legs[^1].Delivered)
            {
                break;
            }

            var leg = Leg(env, hopFrom, hopTo, ports, protocol, failGateway, number);
            outcomes.Add(leg);
            path.Add(new TraceHop($"hop {number}", $"{hopFrom.Label} -> {hopTo.Label} on {ports.Text}"));
            path.AddRange(leg.Path);
            groups.AddRange(leg.Groups);
            legs.Add(new TraceLeg(number, hopFrom.Label, hopTo.Label, ports.Text, leg.Reachable, Allows(leg.Groups)));
        }

        var reachable = legs.All(l => l.Reachable) && legs.Count == hops.Length;
        path.Add(new TraceHop("verdict", legs.FirstOrDefault(l => !l.Delivered) is { } stopped
            ? $"stops at hop {stopped.Number} ({stopped.From} -> {stopped.To}): {(stopped.Reachable ? "refused by its security groups" : "not routed")}"
            : $"reaches the pods of {application.Name} through its load balancer ({application.TargetTypeAnnotation} targets)"));
        var findings = GuideFindings.For(env).Where(f => f.Applies(client.Subnet, balancer.Address, network)).ToList();
        var lost = failGateway is null ? [] : LostRoutes(network, failGateway);
        var first = outcomes[0];
        return new TraceResult(from, to, first.SourceSubnet, client.Kind?.Key(), first.RouteTable, first.Selection, first.WinningRoute, first.Target,
            balancerSubnet.Key, InterfaceKind.LoadBalancer.Key(), reachable, failGateway, path, groups, legs, findings, lost);
    }

    /// <summary>Of the subnets a hop can use, the one in the zone (else the first).</summary>
    private static SubnetSpec InZone(NetworkSpec network, string to, IEnumerable<SubnetSpec> subnets, string? zone)
    {
        var candidates = subnets.ToList();
        return candidates.FirstOrDefault(s => s.Zone == zone) ?? candidates.FirstOrDefault()
            ?? throw new ReviewArgumentException(ReviewInput.To, to, $"the VPC has no subnet for one of the load balancer's hops (subnets: {string.Join(", ", network.Subnets.Select(s => s.Key))})");
    }

    /// <summary>A host standing for a subnet: its first address past the AWS reserves at its start.</summary>
    private static uint HostIn(SubnetSpec subnet) => subnet.Cidr.Network + AwsAddressRules.ReservedAddressesPerSubnet - 1;

    /// <summary>Whether every interface admits the packet: a union within an interface, all of them in turn. Null without a port.</summary>
    internal static bool? Allows(IReadOnlyList<GroupVerdict> verdicts) =>
        verdicts.Count == 0 || verdicts.Any(g => g.Allows is null)
            ? null
            : verdicts.GroupBy(g => (g.Leg, g.Interface, g.Direction)).All(onInterface => onInterface.Any(g => g.Allows == true));

    /// <summary>
    /// One packet from one endpoint to the next: the route it takes and the groups it meets.
    /// <paramref name="rewrites"/> are hops told between the source and its route (a service
    /// address kube-proxy rewrote). A pod's packet leaving the VPC is sent as its node's (source NAT).
    /// </summary>
    private static LegOutcome Leg(ValidatedEnvironment env, Endpoint source, Endpoint destination, Ports? ports, IpProtocol protocol, string? failGateway, int legNumber,
        IReadOnlyList<TraceHop>? rewrites = null)
    {
        var network = env.Network;
        var path = new List<TraceHop>();
        var groups = env.SecurityGroups;
        if (source.Subnet is null)
        {
            return Inbound(env, groups, source, destination, path, failGateway, ports, protocol, legNumber);
        }

        path.Add(new TraceHop("source", $"{source.Label} ({source.Subnet.Cidr})"));
        path.AddRange(rewrites ?? []);
        var leavesVpc = destination.Service is not null || !network.VpcCidrs.Any(c => c.Contains(destination.Address));
        var sender = source;
        if (leavesVpc && SourceNat(env, source) is { } node)
        {
            sender = node;
            path.Add(new TraceHop("source NAT", $"the VPC CNI translates the pod's address to its node's primary address in {node.Subnet!.Key} ({node.Subnet.Cidr}) for any destination outside the VPC's CIDRs (its default: AWS_VPC_K8S_CNI_EXTERNALSNAT off, which the stack keeps); the packet leaves through the node's interface, so the node subnet's route table, the node's groups and whatever sees the packet beyond the VPC see the node"));
        }

        var subnet = sender.Subnet!;
        var table = env.RouteTableOf(subnet);
        var explicitly = env.AssociatedSubnets(table).Contains(subnet);
        path.Add(new TraceHop("route table", $"{table.Name}{ReplicaText(table.ReplicaOf)}, {(explicitly ? "explicit association" : "main table (no explicit association)")}"));
        var selection = explicitly ? "explicit" : "main";
        if (destination.Service is { } service && GatewayEndpointRoutes(env, service, table) is { } prefixList)
        {
            path.Add(new TraceHop("route", $"{prefixList} (prefix list) -> the {service} gateway endpoint, a route AWS adds to the tables the endpoint is attached to; the prefix list's blocks are more specific than the default route"));
            path.Add(new TraceHop("target", $"{service} gateway endpoint: to {service} in {network.Region} without leaving AWS's network"));
            return new LegOutcome(source.Subnet.Key, table.Name, selection, prefixList, $"vpc-endpoint-{service}", null, true, path,
                Egress(sender.Groups(groups), sender, AnyPublicAddress, ports, protocol, legNumber))
            { SentAs = sender == source ? null : sender.Label };
        }

        ResolvedRoute? route;
        if (destination.Service is { } unrouted)
        {
            // The service's addresses are public AWS addresses the stack cannot list offline: they
            // take the route any internet address takes, the table's default route.
            route = RouteLookup.For(network, table).Routes.FirstOrDefault(r => r.Destination.PrefixLength == 0);
            path.Add(new TraceHop("service", $"no gateway endpoint of the stack's routes {unrouted} from {table.Name}: its public addresses take the default route (the stack cannot list AWS's addresses, so a more specific route that holds some of them is not considered)"));
        }
        else
        {
            route = RouteLookup.For(network, table).Match(destination.Address);
        }

        string target;
        bool reachable;
        var verdicts = new List<GroupVerdict>();
        if (route is null)
        {
            target = "none";
            reachable = false;
            path.Add(new TraceHop("route", "no route matches: dropped"));
        }
        else
        {
            target = route.Target.Name;
            var blackholed = failGateway is not null && route.Target.Kind == RouteTargetKind.Instance && route.Target.GatewayName == failGateway;
            var noPublicAddress = route.Target.Kind == RouteTargetKind.InternetGateway && leavesVpc ? NoPublicAddress(env, sender) : null;
            reachable = !blackholed && noPublicAddress is null && (route.Target.Kind != RouteTargetKind.NatGateway || network.Nat.Enabled)
                && (route.Target.Kind != RouteTargetKind.Local || destination.Subnet is not null);
            path.Add(new TraceHop("route", $"{route.Destination} -> {route.Target.Name}{(route.Purpose is null ? "" : $" ({route.Purpose})")}, longest matching prefix"));
            if (destination.Subnet is null && destination.Service is null && CorporateNetworkOf(env, destination.Address) is { } corporate)
            {
                path.Add(new TraceHop("destination", $"{Ipv4.Format(destination.Address)}: in the corporate network {corporate} (guideClaims.corporateNetworks), beyond {route.Target.Name}"));
            }

            if (blackholed)
            {
                target = "none";
                path.Add(new TraceHop("target", $"{failGateway} is down: the route is a blackhole and AWS does not fall back to a less specific route"));
            }
            else if (noPublicAddress is not null)
            {
                path.Add(new TraceHop("target", $"internet gateway, which translates only interfaces with a public address: {noPublicAddress}; dropped"));
            }
            else
            {
                path.Add(new TraceHop("target", DescribeTarget(env, route.Target, destination)));
                // A NAT gateway sends on by its own subnet's table (a private one even when the route's NAT is "reachable").
                if (route.Target.Kind == RouteTargetKind.PrivateNat || (reachable && route.Target.IsNat))
                {
                    reachable = FollowNat(env, route.Target, destination, path);
                }
            }

        }

        if (route?.Target.Kind == RouteTargetKind.Local)
        {
            // Inside the VPC the destination interface's ingress decides; every group the stack
            // creates lets everything out (SecurityDesign), so the source's egress never refuses.
            verdicts.AddRange(Ingress(destination.Groups(groups), destination, sender.Address, sender.Groups(groups), ports, protocol, legNumber));
        }
        else if (route is not null)
        {
            // Leaving the VPC: the sender's egress, and where the next hop is a gateway interface
            // this stack creates, that interface's ingress (the appliance forwards what it admits).
            verdicts.AddRange(destination.Service is not null
                ? Egress(sender.Groups(groups), sender, AnyPublicAddress, ports, protocol, legNumber)
                : Egress(sender.Groups(groups), sender, c => c.Contains(destination.Address), ports, protocol, legNumber));
            if (route.Target.Kind == RouteTargetKind.Instance && env.GatewayOf(route.Target) is { Placement: GatewayPlacement.CreatedInterface } gateway)
            {
                var gatewayInterface = new Endpoint(0, null, InterfaceKind.Gateway, null, $"{gateway.Name}'s interface in {gateway.InterfaceSubnet}");
                verdicts.AddRange(Ingress(gatewayInterface.Groups(groups), gatewayInterface, sender.Address, sender.Groups(groups), ports, protocol, legNumber));
            }
        }

        return new LegOutcome(source.Subnet.Key, table.Name, selection, route?.Destination.ToString(), target,
            destination.Subnet?.Key, reachable, path, verdicts)
        { SentAs = sender == source ? null : sender.Label };
    }

    /// <summary>Only a rule to anywhere is sure to admit addresses the stack cannot list (an AWS service's).</summary>
    private static bool AnyPublicAddress(Cidr cidr) => cidr.PrefixLength == 0;

    /// <summary>The prefix list a table routes to the service's gateway endpoint, or null where no endpoint of the stack's is attached to it.</summary>
    private static string? GatewayEndpointRoutes(ValidatedEnvironment env, string service, RouteTableSpec table) =>
        env.GatewayEndpointRoutesOf(table).Select(g => g.PrefixList).FirstOrDefault(p => p == NodeBootstrap.PrefixListName(env.Network.Region, service));

    /// <summary>
    /// The node a pod's packet leaves as, or null where no translation applies. The VPC CNI
    /// (amazon-vpc-cni-k8s, README, AWS_VPC_K8S_CNI_EXTERNALSNAT, default false) translates a pod's
    /// traffic to anything outside the VPC's CIDRs to the primary address of its node's primary
    /// interface, except AWS_VPC_K8S_CNI_EXCLUDE_SNAT_CIDRS, which the stack leaves empty
    /// (CniEmitter sets neither variable). The node is in the pod's zone.
    /// </summary>
    private static Endpoint? SourceNat(ValidatedEnvironment env, Endpoint source)
    {
        if (source.Kind != InterfaceKind.Pod || env.Cluster is null || source.Subnet is null)
        {
            return null;
        }

        var nodeSubnets = env.Network.SubnetsOf(SubnetRoles.With(ClusterUse.ClusterAndNodes)).ToList();
        var nodeSubnet = nodeSubnets.FirstOrDefault(s => s.Zone == source.Subnet.Zone) ?? nodeSubnets.FirstOrDefault();
        return nodeSubnet is null ? null : new Endpoint(HostIn(nodeSubnet), nodeSubnet, InterfaceKind.Node, null, $"node in {nodeSubnet.Key}");
    }

    private sealed record Rewrite(Endpoint Pod, IReadOnlyList<TraceHop> Hops);

    /// <summary>
    /// A Kubernetes service address sent from a node or a pod: kube-proxy's rules on the node
    /// rewrite it to a pod behind the service before the packet leaves (Kubernetes, "Virtual IPs
    /// and Service Proxies"), so the VPC never routes the service CIDR. The cluster DNS address goes
    /// to a CoreDNS pod; the pod stands in the source's zone. Null for any other source or address.
    /// </summary>
    private static Rewrite? ServiceAddressRewrite(ValidatedEnvironment env, Endpoint source, uint address)
    {
        if (env.Cluster is not { } design || source.Kind is not (InterfaceKind.Node or InterfaceKind.Pod) || !design.Cluster.ServiceCidr.Value.Contains(address))
        {
            return null;
        }

        var podSubnet = PodSubnet(env, source.Subnet!.Zone);
        var dns = address == design.Cluster.DnsServiceAddress;
        var pod = new Endpoint(HostIn(podSubnet), podSubnet, InterfaceKind.Pod, null, $"{(dns ? "CoreDNS pod" : "pod")} in {podSubnet.Key}");
        var what = dns ? "the cluster DNS service's address" : "a ClusterIP service address";
        return new Rewrite(pod, [new TraceHop("service address", $"{Ipv4.Format(address)} is {what} in the service CIDR {design.Cluster.ServiceCidr.Value}: kube-proxy on the node rewrites it to a pod behind the service ({pod.Label}; another zone's pod is reached alike) before the packet leaves, so no route table sees it")]);
    }

    /// <summary>Where the cluster's pods are in a zone: its ENIConfig subnet under custom networking, else the node subnet.</summary>
    private static SubnetSpec PodSubnet(ValidatedEnvironment env, string zone)
    {
        var role = env.Cluster!.Cni.CustomNetworking ? SubnetRoles.With(ClusterUse.EniConfigs) : SubnetRoles.With(ClusterUse.ClusterAndNodes);
        var subnets = env.Network.SubnetsOf(role).ToList();
        return subnets.FirstOrDefault(s => s.Zone == zone) ?? subnets[0];
    }

    /// <summary>
    /// Why an interface has no public address, or null when it may have one. The stack's subnets do
    /// not assign public addresses on launch (no mapPublicIpOnLaunch: AWS's default for a subnet one
    /// creates is off), and it associates no Elastic IP with any interface but the NAT gateway's;
    /// an appliance the stack does not create may carry one it does not know of.
    /// </summary>
    private static string? NoPublicAddress(ValidatedEnvironment env, Endpoint at) => at.Kind switch
    {
        InterfaceKind.Gateway when env.GatewaysWithInterfaceIn(at.Subnet!).Any(g => g.Placement != GatewayPlacement.CreatedInterface) => null,
        InterfaceKind.Gateway => "the gateway interfaces the stack creates have none (no Elastic IP is associated with them)",
        null => $"a host in {at.Subnet?.Key} gets none: the stack's subnets do not assign public addresses on launch",
        { } kind => $"a {kind.Key()} interface has none (the stack's subnets assign no public addresses, and it associates no Elastic IP with it)",
    };

    /// <summary>The corporate network (guideClaims.corporateNetworks) that holds an address, most specific first; null for none.</summary>
    private static Cidr? CorporateNetworkOf(ValidatedEnvironment env, uint address) =>
        env.Claims?.CorporateNetworks.Select(c => c.Value).Where(c => c.Contains(address)).OrderByDescending(c => c.PrefixLength).Select(c => (Cidr?)c).FirstOrDefault();

    /// <summary>
    /// A packet from outside the VPC. Where it comes in is where the destination subnet's table
    /// sends the reply (routing is symmetric through a stateful appliance): a corporate, partner or
    /// RFC 1918 source whose return route targets a gateway enters through that gateway's interface;
    /// only a source whose return route is the internet gateway comes from the internet. A private
    /// source with no route to a gateway has no way in.
    /// </summary>
    private static LegOutcome Inbound(ValidatedEnvironment env, IReadOnlyList<SecurityGroupDesign> groups, Endpoint source, Endpoint destination,
        List<TraceHop> path, string? failGateway, Ports? ports, IpProtocol protocol, int legNumber)
    {
        var network = env.Network;
        var sourceAddress = source.Address;
        var destinationSubnet = destination.Subnet;
        if (destinationSubnet is null)
        {
            path.Add(new TraceHop("source", $"{Ipv4.Format(sourceAddress)}, outside the VPC"));
            path.Add(new TraceHop("destination", "inside the VPC's CIDRs but in no subnet: nothing there to deliver to"));
            return new LegOutcome(null, null, null, null, "none", null, false, path, []);
        }

        var table = env.RouteTableOf(destinationSubnet);
        var selection = env.AssociatedSubnets(table).Contains(destinationSubnet) ? "explicit" : "main";
        var back = RouteLookup.For(network, table).Match(sourceAddress);
        var privateSource = SpecialPurposeRanges.IsPrivate(sourceAddress);
        bool reachable;
        string entry;
        string verdict;
        var corporate = CorporateNetworkOf(env, sourceAddress);
        if (back?.Target.Kind == RouteTargetKind.Instance && back.Destination.PrefixLength == 0 && !privateSource && corporate is null)
        {
            // An internet address that only the default route sends to the appliance: the internet
            // reaches no private address through it unless the appliance translates, which is not its job here.
            entry = "none";
            reachable = false;
            path.Add(new TraceHop("source", $"{Ipv4.Format(sourceAddress)}, on the internet"));
            verdict = $"not reachable from the internet: {destinationSubnet.Key} has no public addresses, and its default route to {back.Target.Name} carries outbound traffic only ({Ipv4.Format(sourceAddress)} is in no corporate network the stack names in guideClaims.corporateNetworks)";
        }
        else if (back?.Target.Kind is RouteTargetKind.Instance or RouteTargetKind.Existing or RouteTargetKind.Endpoint)
        {
            entry = back.Target.Name;
            var failed = failGateway is not null && back.Target.Kind == RouteTargetKind.Instance && back.Target.GatewayName == failGateway;
            reachable = !failed;
            path.Add(new TraceHop("source", corporate is { } corporateNetwork && back.Destination.PrefixLength == 0
                ? $"{Ipv4.Format(sourceAddress)}, in the corporate network {corporateNetwork} (guideClaims.corporateNetworks), which has no route of its own: enters through {back.Target.Name}, the gateway the default route returns it to"
                : $"{Ipv4.Format(sourceAddress)}, outside the VPC: enters through {back.Target.Name}, the gateway its return route targets"));
            verdict = failed
                ? $"{failGateway} is down: neither the packet nor its reply has a way through"
                : $"reachable through {back.Target.Name}: it forwards the packet into the VPC and the reply goes back the same way";
        }
        else if (back?.Target.Kind == RouteTargetKind.InternetGateway && !privateSource)
        {
            entry = RouteTarget.InternetGatewayName;
            var noPublicAddress = NoPublicAddress(env, destination);
            reachable = !destinationSubnet.Role.Policy().Private && noPublicAddress is null;
            path.Add(new TraceHop("source", $"{Ipv4.Format(sourceAddress)}, on the internet: enters through the internet gateway"));
            verdict = reachable
                ? "reachable from the internet: the interface has a public address and the subnet routes replies to the internet gateway"
                : destinationSubnet.Role.Policy().Private
                    ? "not reachable from the internet: only public addresses are, and this subnet's interfaces have none (internal load balancers, nodes, pods)"
                    : $"not reachable from the internet: the internet gateway forwards only to public addresses, and {noPublicAddress}";
        }
        else
        {
            entry = "none";
            reachable = false;
            path.Add(new TraceHop("source", $"{Ipv4.Format(sourceAddress)}, outside the VPC"));
            verdict = privateSource
                ? $"no way in: {Ipv4.Format(sourceAddress)} is not an internet address, and {table.Name} routes it to no gateway"
                : "not reachable: replies do not go back through the internet gateway or a gateway";
        }

        path.Add(new TraceHop("destination", $"{destination.Label} ({destinationSubnet.Cidr})"));
        path.Add(new TraceHop("return route", $"{table.Name}: {back?.Destination.ToString() ?? "none"} -> {back?.Target.Name ?? "none"}"));
        path.Add(new TraceHop("verdict", verdict));

        // The gateway forwards the client's packet with its address unchanged, so the destination's
        // ingress judges the client's address; the gateway interface's own egress is open.
        var verdicts = Ingress(destination.Groups(groups), destination, sourceAddress, [], ports, protocol, legNumber);
        return new LegOutcome(null, table.Name, selection, back?.Destination.ToString(), entry, destinationSubnet.Key, reachable, path, verdicts);
    }

    private static List<GroupVerdict> Ingress(IReadOnlyList<SecurityGroupDesign> onInterface, Endpoint at, uint sourceAddress,
        IReadOnlyList<SecurityGroupDesign> sourceGroups, Ports? ports, IpProtocol protocol, int legNumber) =>
        onInterface.Select(g =>
        {
            var matching = g.Rules.Where(r => r.Direction == TrafficDirection.Ingress
                    && (r.Peer.Cidr is { } c ? c.Contains(sourceAddress) : sourceGroups.Any(s => s.Name == r.Peer.GroupName))
                    && (ports is null || ports.AdmittedBy(r, protocol)))
                .Select(r => $"{r.Name}: {r.Protocol.ToString().ToLowerInvariant()} {r.PortText} from {r.Peer}").ToList();
            return new GroupVerdict(g.Name, g.Role.ToString(), at.Label, "ingress", ports is null ? null : matching.Count > 0, matching, legNumber);
        }).ToList();

    private static List<GroupVerdict> Egress(IReadOnlyList<SecurityGroupDesign> onInterface, Endpoint at, Func<Cidr, bool> covers, Ports? ports, IpProtocol protocol, int legNumber) =>
        onInterface.Select(g =>
        {
            var matching = g.Rules.Where(r => r.Direction == TrafficDirection.Egress
                    && r.Peer.Cidr is { } c && covers(c)
                    && (ports is null || ports.AdmittedBy(r, protocol)))
                .Select(r => $"{r.Name}: {r.Protocol.ToString().ToLowerInvariant()} {r.PortText} to {r.Peer} (egress)").ToList();
            return new GroupVerdict(g.Name, g.Role.ToString(), at.Label, "egress", ports is null ? null : matching.Count > 0, matching, legNumber);
        }).ToList();

    /// <summary>
    /// A NAT gateway sends what it translates on by its own subnet's route table; one hop is
    /// followed (a chain of NAT gateways is named, not followed). From a public NAT gateway the
    /// internet gateway gives the packet the Elastic IP, and any other target (an appliance, a transit
    /// gateway) gets it from the NAT gateway's private address (Amazon VPC User Guide, "NAT gateways":
    /// a public NAT gateway used toward other VPCs or an on-premises network replaces the source with
    /// its private address). A private NAT gateway's packets always come from its private address,
    /// and an internet gateway drops them (same guide: private NAT gateway traffic routed to an
    /// internet gateway is dropped).
    /// </summary>
    private static bool FollowNat(ValidatedEnvironment env, RouteTarget target, Endpoint destination, List<TraceHop> path)
    {
        var isPrivate = target.Kind == RouteTargetKind.PrivateNat;
        var (natSubnet, table, onward) = env.OnwardFrom(target, destination.Address);
        path.Add(new TraceHop("onward table", isPrivate
            ? $"{table.Name}{ReplicaText(table.ReplicaOf)}, the route table of {natSubnet.Key}, where the private NAT gateway sits; the packet now comes from its address there"
            : $"{table.Name}{ReplicaText(table.ReplicaOf)}, the route table of {natSubnet.Key}, where the NAT gateway sits"));
        if (onward is null)
        {
            path.Add(new TraceHop("onward route", "no route matches: dropped"));
            return false;
        }

        path.Add(new TraceHop("onward route", $"{onward.Destination} -> {onward.Target.Name}{(onward.Purpose is null ? "" : $" ({onward.Purpose})")}, longest matching prefix"));
        var (detail, delivered) = onward.Target.Kind switch
        {
            RouteTargetKind.InternetGateway when isPrivate => ("internet gateway, which drops what a private NAT gateway sends it (it has no public address)", false),
            RouteTargetKind.InternetGateway => ("internet gateway: out to the internet from the NAT gateway's Elastic IP", true),
            RouteTargetKind.PrivateNat when isPrivate => ($"{onward.Target.Name}, another private NAT gateway: trace does not follow a chain of them", false),
            _ when !isPrivate && onward.Target.IsNat => ($"{onward.Target.Name}, another NAT gateway: trace does not follow a chain of them", false),
            RouteTargetKind.Local when destination.Subnet is null => ("local: inside the VPC but in no subnet: nothing there to deliver to", false),
            _ when isPrivate => (DescribeTarget(env, onward.Target, destination), onward.Target.Kind != RouteTargetKind.NatGateway || env.Network.Nat.Enabled),
            _ => ($"{DescribeTarget(env, onward.Target, destination)}; the packet comes from the NAT gateway's private address (only the internet gateway gives it the Elastic IP)", true),
        };
        path.Add(new TraceHop("onward target", detail));
        return delivered;
    }

    private static string ReplicaText(string? replicaOf) => replicaOf is null ? "" : $" ({replicaOf})";

    private static string DescribeTarget(ValidatedEnvironment env, RouteTarget target, Endpoint destination) => target.Kind switch
    {
        RouteTargetKind.Local => destination.Subnet is null ? "local: inside the VPC but in no subnet: nothing there to deliver to" : $"local: delivered inside the VPC to the {destination.Label} ({destination.Subnet.Cidr})",
        RouteTargetKind.InternetGateway => "internet gateway: out to the internet",
        RouteTargetKind.NatGateway => env.Network.Nat.Enabled
            ? $"NAT gateway{(env.Network.Nat.PerZone ? $" in {target.NatZone(env.Network.Nat)}" : "")}: the source is rewritten to its address and the packet goes on by its subnet's route table"
            : "NAT gateway, which is switched off: dropped",
        RouteTargetKind.Existing => $"{target.ExistingKind} {target.Name}, not the stack's: out of the VPC through it (AWS holds the route only while this VPC is {target.ExistingType switch { ExistingTargetType.TransitGateway => "attached to it", ExistingTargetType.PeeringConnection => "peered through it", _ => "associated with its route table" }})",
        RouteTargetKind.PrivateNat => $"private NAT gateway {target.GatewayName} in {env.SubnetOf(env.NamedNatOf(target)).Key}: the source is rewritten to its private address and the packet goes on by that subnet's route table",
        RouteTargetKind.PublicNat => $"public NAT gateway {target.GatewayName} in {env.SubnetOf(env.NamedNatOf(target)).Key}: the source is rewritten to its address and the packet goes on by that subnet's route table",
        // The appliances behind the endpoint service are another VPC's: trace assumes they pass the packet on, as the stack states nothing of them.
        RouteTargetKind.Endpoint => $"Gateway Load Balancer endpoint {target.GatewayName}: handed to the inspection appliances behind it, assumed to pass it on (trace does not follow them)",
        _ => $"{target.GatewayName}: {env.GatewayOf(target).Description} ({env.GatewayOf(target).Identity})",
    };

    /// <summary>The kinds of interface the stack places in this subnet, the one an address there stands for by default first.</summary>
    public static IReadOnlyList<InterfaceKind> InterfacesIn(ValidatedEnvironment env, SubnetSpec subnet)
    {
        var gatewayHere = env.GatewaysWithInterfaceIn(subnet).Any();
        var endpoints = env.Cluster?.Bootstrap?.NodeEgress == NodeEgress.VpcEndpoints;
        var kinds = subnet.Role.Policy().Interfaces.Where(kind => kind switch
        {
            // A load balancer is reached by name (lb:APP), so its groups are its application's.
            InterfaceKind.LoadBalancer => false,
            InterfaceKind.Gateway => gatewayHere,
            InterfaceKind.VpcEndpoint => endpoints,
            InterfaceKind.Node or InterfaceKind.ControlPlane or InterfaceKind.Pod => env.Cluster is not null,
            _ => true,
        }).ToList();
        if (gatewayHere && !kinds.Contains(InterfaceKind.Gateway))
        {
            kinds.Add(InterfaceKind.Gateway);
        }

        return kinds;
    }

    private static Endpoint AddressEndpoint(ValidatedEnvironment env, uint address, string? interfaceKey, ReviewInput option)
    {
        var network = env.Network;
        var subnet = network.Subnets.FirstOrDefault(s => s.Cidr.Contains(address));
        if (subnet is null)
        {
            return interfaceKey is null
                ? new Endpoint(address, null, null, null, Ipv4.Format(address))
                : throw new ReviewArgumentException(option, interfaceKey, $"{Ipv4.Format(address)} is in none of the stack's subnets, where its interfaces are");
        }

        var kinds = InterfacesIn(env, subnet);
        InterfaceKind? kind = kinds.Count == 0 ? null : kinds[0];
        if (interfaceKey is not null)
        {
            if (!InterfaceKinds.TryParse(interfaceKey, out var asked) || !kinds.Contains(asked))
            {
                throw new ReviewArgumentException(option, interfaceKey, kinds.Count == 0
                    ? $"the stack places no interface in {subnet.Key}"
                    : $"not an interface the stack places in {subnet.Key} (there: {string.Join(", ", kinds.Select(k => k.Key()))})");
            }

            kind = asked;
        }

        var label = kind switch
        {
            null => $"{Ipv4.Format(address)} in {subnet.Key} (no interface of the stack's)",
            InterfaceKind.Gateway => $"{string.Join(" / ", env.GatewaysWithInterfaceIn(subnet).Select(g => g.Name))}'s interface in {subnet.Key}",
            { } k => $"{k.Key()} in {subnet.Key}",
        };
        return new Endpoint(address, subnet, kind, null, label);
    }

    /// <summary>A subnet by its role/zone key or the id of the subnet it replicates; null for anything else.</summary>
    private static SubnetSpec? SubnetNamed(NetworkSpec network, string text) =>
        network.FindSubnet(text) ?? network.Subnets.FirstOrDefault(s => s.ReplicaOf == text);

    private static Endpoint ResolveSource(ValidatedEnvironment env, string from, string? interfaceKey)
    {
        var network = env.Network;
        if (Ipv4.TryParse(from, out var address))
        {
            if (!network.Subnets.Any(s => s.Cidr.Contains(address)) && network.VpcCidrs.Any(c => c.Contains(address)))
            {
                throw new ReviewArgumentException(ReviewInput.From, from, "inside the VPC but in no subnet");
            }

            return AddressEndpoint(env, address, interfaceKey, ReviewInput.FromInterface);
        }

        // A subnet stands for a host in it.
        var bySubnet = SubnetNamed(network, from);
        return bySubnet is null
            ? throw new ReviewArgumentException(ReviewInput.From, from, $"neither an IPv4 address nor a subnet (subnets: {string.Join(", ", network.Subnets.Select(s => s.Key))})")
            : AddressEndpoint(env, HostIn(bySubnet), interfaceKey, ReviewInput.FromInterface);
    }

    /// <summary>For each gateway failure: the routes that become blackholes, table by table.</summary>
    public static IReadOnlyList<LostRoute> LostRoutes(NetworkSpec network, string gateway) =>
        network.RouteTables
            .SelectMany(t => NetworkSpec.Ordered(t.Routes).Where(r => r.Target.Kind == RouteTargetKind.Instance && r.Target.GatewayName == gateway)
                .Select(r => new LostRoute(t.Name, r.Destination.ToString(), r.Purpose ?? "")))
            .ToList();

    /// <summary>
    /// The one-line verdict. A packet the routes deliver but the security groups refuse is told by
    /// its denial: which groups, on which interface, in which direction (an interface admits what any
    /// of its groups allows, so a side denies only when none of them does).
    /// </summary>
    public static string ResultLine(TraceResult result)
    {
        if (result.Delivered)
        {
            return $"Result: delivered via {result.Target}.";
        }

        var denials = result.SecurityGroups
            .GroupBy(g => (g.Leg, g.Interface, g.Direction))
            .Where(side => side.All(g => g.Allows == false))
            .Select(side => $"{side.Key.Direction} on {side.Key.Interface}{(result.Legs.Count > 1 ? $" (hop {side.Key.Leg})" : "")}: no rule of {string.Join(" or ", side.Select(g => g.Group))} allows it")
            .ToList();
        return result.Reachable && denials.Count > 0
            ? $"Result: not delivered: routed, but refused by security groups: {string.Join("; ", denials)}."
            : $"Result: not delivered: {result.Path.LastOrDefault()?.Detail ?? "no path"}.";
    }

    public static Report ToReport(TraceResult result)
    {
        var blocks = new List<Block>
        {
            new TableBlock(["step", "detail"], result.Path.Select(h => (IReadOnlyList<string>)[h.Step, h.Detail]).ToList()),
        };
        if (result.Legs.Count > 1)
        {
            blocks.Add(new Heading("Hop by hop"));
            blocks.Add(new TableBlock(["hop", "from", "to", "ports", "routed", "groups allow"], result.Legs
                .Select(l => (IReadOnlyList<string>)[l.Number.ToString(System.Globalization.CultureInfo.InvariantCulture), l.From, l.To, l.Ports, l.Reachable ? "yes" : "no", YesNo(l.SecurityGroupsAllow)])
                .ToList()));
        }

        blocks.Add(new Paragraph(ResultLine(result)));
        if (result.SecurityGroups.Count > 0)
        {
            blocks.Add(new Heading("Security groups on the interfaces it meets"));
            blocks.Add(new TableBlock(["interface", "direction", "group", "allows", "matching rules"], result.SecurityGroups
                .Select(g => (IReadOnlyList<string>)[result.Legs.Count > 1 ? $"{g.Leg}. {g.Interface}" : g.Interface, g.Direction, g.Group, YesNo(g.Allows), g.MatchingRules.Count == 0 ? "none" : string.Join("\n", g.MatchingRules)])
                .ToList()));
            if (result.SecurityGroupsAllow is { } allow)
            {
                blocks.Add(new Paragraph(allow
                    ? "Security groups: allowed (the groups on one interface are a union: one admitting rule is enough; every interface met must admit it)."
                    : "Security groups: denied (an interface it meets has no group that admits it on this port)."));
            }
        }

        if (result.FailedGateway is not null)
        {
            blocks.Add(new Heading($"If {result.FailedGateway} is down, these destinations lose their route"));
            blocks.Add(new TableBlock(["route table", "destination", "purpose"], result.LostRoutes.Select(l => (IReadOnlyList<string>)[l.RouteTable, l.Destination, l.Purpose]).ToList()));
        }

        if (result.Findings.Count > 0)
        {
            blocks.Add(new Heading("Where the guide's prose and its route tables disagree"));
            blocks.Add(new Bullets(result.Findings.Select(f => f.Text).ToList()));
        }

        return new Report($"trace {result.From} -> {result.To}", blocks, ReportData.Of(result, ReviewJson.Reports.TraceResult));
    }

    private static string YesNo(bool? allows) => allows switch { true => "yes", false => "no", null => "(give --port)" };
}
