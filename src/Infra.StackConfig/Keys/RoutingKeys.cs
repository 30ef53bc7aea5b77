namespace Infra.StackConfig.Keys;

/// <summary>The route targets (natGateway, gateways), who writes the gateway routes, and the routeTables key.</summary>
internal static class RoutingKeys
{
    private static readonly ConfigKey<bool?> NatEnabled = Declare.Boolean("enabled", "create the NAT gateways (a route may then target `nat-gateway`, or `nat-gateway/ZONE` with several)", @default: false);

    private static readonly ConfigKey<Located<string>?> NatZone = Declare.Text("zone", "the zone of the public subnet that holds the one NAT gateway");

    private static readonly ConfigKey<IReadOnlyList<Located<string>>> NatZones = Declare.List(
        "zones",
        "instead of `zone`: one NAT gateway in each of these zones' public subnets; routes name theirs `nat-gateway/ZONE` (the first zone's keeps the one NAT gateway's resource names)",
        Declare.TextShape(),
        unique: true);

    private static readonly ConfigShape<Located<string>?> NatOriginal = Declare.TextShape();

    private static readonly ConfigKey<IReadOnlyDictionary<string, string>> NatReplicaOf = Declare.Key(
        "replicaOf",
        "the original NAT gateway (nat-...) each zone's stands for, by zone (recorded as a tag)",
        new ConfigShape<IReadOnlyDictionary<string, string>>(
            new MapType("zone", NatOriginal.Type, "the original NAT gateway's id"),
            (node, required) => new SortedDictionary<string, string>(
                node.Entries(required).Select(e => (e.Key, Id: NatOriginal.Read(e.Node, true))).Where(e => e.Id is not null).ToDictionary(e => e.Key, e => e.Id!.Value),
                StringComparer.Ordinal)));

    /// <summary>Absent: no NAT gateway.</summary>
    public static ConfigKey<NatGatewaySpec?> NatGateway { get; } = Declare.Key("natGateway", "optional NAT gateways: one (`zone`) or one per zone (`zones`)", Declare.Object(
        [NatEnabled, NatZone, NatZones, NatReplicaOf],
        BindNat,
        bindWhenAbsent: true,
        atMostOneOf: [NatZone.Name, NatZones.Name]));

    private static NatGatewaySpec? BindNat(Section nat)
    {
        // The declaration holds it to `zone` (one NAT gateway) or `zones` (one per zone), not both.
        var zone = nat.Get(NatZone);
        var zones = nat.Get(NatZones);

        // The declaration holds `zones` to each zone once: one NAT gateway per zone.
        var listed = zones.Count > 0 ? zones.Select(z => z.Value).ToList() : zone is null ? [] : [zone.Value];
        return new NatGatewaySpec(nat.Required(NatEnabled), listed, nat.At) { ReplicaOf = nat.Get(NatReplicaOf) };
    }

    private static readonly ConfigKey<Located<string>?> Description = Declare.Text("description", "what the gateway is, for reports (default: its name)")
        .NotCompared("a label for reports");

    private static readonly ConfigKey<Located<string>?> GatewayReplicaOf = Declare.Outlined("replicaOf", "id of the original appliance (its instance, i-..., or interface, eni-...) this one replicates; recorded as a `ReplicaOf` tag, nothing is imported", RoutingRules.ApplianceIdRule);

    private static readonly ConfigKey<Located<string>?> InterfaceSubnet = Declare.Key("subnet", "`role/zone` of the subnet the interface goes in", Declare.TextShape(Declare.SubnetReference), required: true);

    private static readonly ConfigKey<Located<string>?> Interface = Declare.Key(
        "interface",
        "the stack creates a network interface (source/destination check off) for the appliance to attach, and exports its id in `gatewayInterfaceIds`",
        Declare.Object([InterfaceSubnet], created => created.Get(InterfaceSubnet)));

    private static readonly ConfigKey<Located<string>?> InstanceId = Declare.Outlined("instanceId", "the appliance's instance (routes target its primary interface)", RoutingRules.InstanceIdRule);

    private static readonly ConfigKey<Located<string>?> NetworkInterfaceId = Declare.Outlined("networkInterfaceId", "the appliance's interface", RoutingRules.EniIdRule);

    private static readonly ConfigKey<bool?> InThisVpc = Declare.Key(
        "inThisVpc",
        "must be true: a route can only target an interface in its own VPC, so state that the appliance was launched into this stack's VPC",
        new ConfigShape<bool?>(new ScalarType(ScalarKind.Boolean, ["true"]), (node, _) => node.Bool(false)),
        required: true);

    private static readonly ConfigKey<ExistingAppliance?> Existing = Declare.Key(
        "existing",
        "an appliance already running in this stack's VPC",
        Declare.Object([InstanceId, NetworkInterfaceId, InThisVpc], BindExisting, exactlyOneOf: [InstanceId.Name, NetworkInterfaceId.Name]))
        .NotDiscovered("discover replicates: the replica creates an interface for each original appliance (`interface`); `existing` is for appliances already running in the stack's own VPC");

    private sealed record ExistingAppliance(string? InstanceId, string? NetworkInterfaceId);

    private static ExistingAppliance? BindExisting(Section existing)
    {
        // The declaration holds it to exactly one of instanceId and networkInterfaceId: routes target
        // one interface, so with both one would be dropped silently.
        var instanceId = existing.Get(InstanceId)?.Value;
        var eni = existing.Get(NetworkInterfaceId)?.Value;
        if (existing.Get(InThisVpc) is not true)
        {
            existing.Problem(
                InThisVpc,
                "this stack creates its VPC, so an existing appliance is in it only if it was launched into it after the first deployment; state `inThisVpc: true` once it is, or let the stack create the interface (`interface: {subnet: role/zone}`)");
        }
        else
        {
            return new ExistingAppliance(instanceId, eni);
        }

        return null;
    }

    /// <summary>The earlier layout's keys for the guide's instances: they live in the original VPC, so a route in this stack's new VPC cannot target them.</summary>
    private static readonly string[] MisplacedIds = ["instanceId", "networkInterfaceId"];

    private static readonly ConfigShape<GatewayInstance?> Gateway = new(
        new ObjectType([Description.Field, GatewayReplicaOf.Field, Interface.Field, Existing.Field], ExactlyOneOf: [Interface.Name, Existing.Name]),
        (node, _) =>
        {
            if (!node.IsObject())
            {
                return null;
            }

            var before = node.Problems.Count;
            var description = Description.Read(node.Child(Description.Name))?.Value ?? node.Name;
            var replicaOf = GatewayReplicaOf.Read(node.Child(GatewayReplicaOf.Name))?.Value;
            var interfaceNode = node.Child(Interface.Name);
            var existingNode = node.Child(Existing.Name);
            foreach (var misplaced in MisplacedIds)
            {
                if (node.Refused(misplaced) is { Value: not null } refused)
                {
                    refused.Problem(
                        "a route can only target an interface in this stack's VPC: record the original as `replicaOf`, let the stack create the interface (`interface: {subnet: role/zone}`), or, once the appliance runs in this VPC, give it under `existing` with `inThisVpc: true`");
                }
            }

            node.RejectUnknownKeys();
            if (interfaceNode.Value is not null && existingNode.Value is not null)
            {
                existingNode.Problem("give either `interface` (the stack creates it) or `existing`, not both");
            }
            else if (interfaceNode.Value is not null)
            {
                if (Interface.Read(interfaceNode) is { } subnet && node.Problems.Count == before)
                {
                    return new GatewayInstance(node.Name, description, GatewayPlacement.CreatedInterface, subnet.Value, null, null, replicaOf, node.At);
                }
            }
            else if (existingNode.Value is not null)
            {
                if (Existing.Read(existingNode) is { } existing && node.Problems.Count == before)
                {
                    return new GatewayInstance(node.Name, description, GatewayPlacement.ExistingInThisVpc, null, existing.InstanceId, existing.NetworkInterfaceId, replicaOf, node.At);
                }
            }
            else
            {
                node.Problem("says nowhere how the gateway exists in this VPC: give `interface: {subnet: role/zone}` (the stack creates it) or `existing: {instanceId, inThisVpc: true}`");
            }

            return null;
        });

    public static ConfigKey<IReadOnlyList<GatewayInstance>> Gateways { get; } = Declare.Map(
        "gateways", "route targets other than the internet and NAT gateways (the Aviatrix gateways)", "name", Gateway, "a gateway: give `interface` or `existing`");

    private static readonly ConfigKey<GatewayRouteOwner?> ManagedBy = Declare.Choice(
        "managedBy",
        "`stack`: the program writes the routes that target the gateways; `appliance`: the appliance's controller (Aviatrix programs its spoke VPCs' route tables) does, and the program leaves them out",
        [("stack", GatewayRouteOwner.Stack), ("appliance", GatewayRouteOwner.Appliance)],
        "expected stack (this program writes the routes to the gateways) or appliance (the appliance's controller does, e.g. Aviatrix)",
        @default: "stack");

    /// <summary>Absent: the stack writes them.</summary>
    public static ConfigKey<GatewayRouteOwner?> GatewayRoutes { get; } = Declare.Key(
        "gatewayRoutes", "who writes the routes to the gateways", Declare.ValueObject([ManagedBy], routes => routes.Required(ManagedBy), bindWhenAbsent: true))
        .NotLive("who writes the routes to the appliances is not in what EC2 shows of them");

    private static readonly ConfigKey<Located<string>?> PrivateNatSubnet = Declare.Key("subnet", "`role/zone` (or `role/zone/N`) of the subnet it sits in; its address there is the one traffic leaves with", Declare.TextShape(Declare.SubnetReference), required: true);

    private static readonly ConfigKey<Located<string>?> PrivateNatReplicaOf = Declare.Outlined("replicaOf", "id of the original NAT gateway (nat-...) this one replicates; recorded as a `ReplicaOf` tag, nothing is imported", RoutingRules.NatIdRule);

    public static ConfigKey<IReadOnlyList<NamedNatGatewaySpec>> PrivateNatGateways { get; } = Declare.Map(
        "privateNatGateways",
        "private NAT gateways (no Elastic IP, no internet: they rewrite the source to their private address and send traffic on by their subnet's route table), by name; routes target them as `private-nat-gateway/NAME`",
        "name",
        Declare.Object([PrivateNatSubnet, PrivateNatReplicaOf], nat => new NamedNatGatewaySpec(nat.Name, nat.Required(PrivateNatSubnet).Value, nat.Get(PrivateNatReplicaOf)?.Value, nat.At)),
        "a private NAT gateway: its subnet and the original it stands for");

    private static readonly ConfigKey<Located<string>?> PublicNatSubnet = Declare.Key("subnet", "`public/zone` (or `public/zone/N`) of the public subnet it sits in", Declare.TextShape(Declare.SubnetReference), required: true);

    public static ConfigKey<IReadOnlyList<NamedNatGatewaySpec>> PublicNatGateways { get; } = Declare.Map(
        "publicNatGateways",
        "public NAT gateways by name, beside the zone's of `natGateway` (a second one in a zone: more connections to one destination, or an address of its own a partner allows), each with an Elastic IP of its own; routes target them as `public-nat-gateway/NAME`",
        "name",
        Declare.Object([PublicNatSubnet, PrivateNatReplicaOf], nat => new NamedNatGatewaySpec(nat.Name, nat.Required(PublicNatSubnet).Value, nat.Get(PrivateNatReplicaOf)?.Value, nat.At) { IsPublic = true }),
        "a public NAT gateway: its subnet and the original it stands for");

    private static readonly ConfigKey<Located<Cidr>?> Destination = Declare.Cidr("destination", "the destination block; inside the VPC only a subnet's exact CIDR", required: true);

    private static readonly ConfigKey<Located<string>?> Target = Declare.Text("target", "`internet-gateway`, `nat-gateway`, a gateway's name, `vpc-endpoint/NAME` (a Gateway Load Balancer endpoint of `vpcEndpoints`), `private-nat-gateway/NAME` (one of `privateNatGateways`), `public-nat-gateway/NAME` (one of `publicNatGateways`), or the id of a transit gateway (`tgw-...`), peering connection (`pcx-...`) or Outpost local gateway (`lgw-...`) the stack does not own", required: true);

    private static readonly ConfigKey<Located<string>?> Purpose = Declare.Text("purpose", "why the route exists, for reports")
        .NotLive("a note for reviewers: EC2 keeps none");

    private static readonly ConfigShape<RouteSpec?> Route = Declare.Object(
        [Destination, Target, Purpose],
        route => new RouteSpec(route.Required(Destination).Value, RouteTarget.Parse(route.Required(Target).Value), route.Get(Purpose)?.Value, route.At));

    private static readonly ConfigKey<Located<string>?> Ipv6Destination = Declare.Outlined("destination", "the destination IPv6 block, as EC2 writes it (::/0)", Declare.Ipv6BlockOutline, required: true);

    private static readonly ConfigKey<Located<string>?> Ipv6Target = Declare.Matching(
        "target",
        "`egress-only-internet-gateway`, `internet-gateway`, a gateway's name, `vpc-endpoint/NAME` (a Gateway Load Balancer endpoint of `vpcEndpoints`), `nat-gateway` (or `nat-gateway/ZONE`), `public-nat-gateway/NAME` or `private-nat-gateway/NAME` for NAT64 (64:ff9b::/96), or the id of a transit gateway, peering connection or local gateway the stack does not own (`tgw-...`, `pcx-...`, `lgw-...`)",
        $"^({RouteTarget.EndpointPrefix}.+|{RouteTarget.NatGatewayName}/.+|{RouteTarget.PrivateNatPrefix}.+|{RouteTarget.PublicNatPrefix}.+|[^/]+)$",
        "expected egress-only-internet-gateway, internet-gateway, a gateway's name, vpc-endpoint/NAME, nat-gateway[/ZONE], public-nat-gateway/NAME, private-nat-gateway/NAME or a tgw-, pcx- or lgw- id",
        required: true);

    private static readonly ConfigShape<Ipv6RouteSpec?> Ipv6Route = Declare.Object(
        [Ipv6Destination, Ipv6Target, Purpose],
        route =>
        {
            var (target, reference) = Ipv6RouteSpec.ParseTarget(route.Required(Ipv6Target).Value);
            return new Ipv6RouteSpec(route.Required(Ipv6Destination).Value, target, route.Get(Purpose)?.Value, route.At, reference);
        });

    private static readonly ConfigKey<IReadOnlyList<Ipv6RouteSpec>> Ipv6Routes = Declare.List("ipv6Routes", "the table's IPv6 routes (the VPC's own block is routed locally)", Ipv6Route, unique: true);

    private static readonly ConfigKey<bool?> Main = Declare.Boolean("main", "this table is the VPC's main route table (exactly one table is)", @default: false);

    private static readonly ConfigKey<Located<string>?> TableReplicaOf = Declare.ReplicaOf("route table");

    private static readonly ConfigKey<IReadOnlyList<Located<string>>> TableSubnets = Declare.List("subnets", "`role/zone` of each subnet associated explicitly; others use the main table", Declare.TextShape(Declare.SubnetReference), unique: true);

    private static readonly ConfigKey<IReadOnlyList<RouteSpec>> Routes = Declare.List("routes", "the table's routes (the local routes are implied)", Route, unique: true);

    private static readonly ConfigShape<RouteTableSpec?> Table = Declare.Object(
        [Main, TableReplicaOf, TableSubnets, Routes, Ipv6Routes],
        table => new RouteTableSpec(table.Name, table.Required(Main), table.Get(TableReplicaOf)?.Value, table.Get(Routes), table.Get(TableSubnets), table.At) { Ipv6Routes = table.Get(Ipv6Routes) });

    public static ConfigKey<IReadOnlyList<RouteTableSpec>> RouteTables { get; } = Declare.Map(
        "routeTables", "route tables by name", "name", Table, "a route table", required: true, minEntries: 1);
}
