namespace Infra.Emit;

/// <summary>The routing concern: the NAT gateway, the gateway interfaces routes target, route tables, routes and associations.</summary>
internal static class RoutingEmitter
{
    /// <summary>An Elastic IP and a NAT gateway in each NAT zone's public subnet.</summary>
    public static void EmitNatGateway(ValidatedEnvironment env, ProgramContext program)
    {
        var network = env.Network;
        var nat = network.Nat;
        foreach (var subnet in env.NatSubnets)
        {
            var first = subnet.Zone == nat.Zone;
            EmitPublicNat(env, program, ResourceNames.NatGatewayIn(nat, subnet.Zone), ResourceNames.NatEipIn(nat, subnet.Zone),
                first ? $"{network.Vpc.Name}-nat" : $"{network.Vpc.Name}-nat-{subnet.Zone}", subnet, nat.ReplicaOf.GetValueOrDefault(subnet.Zone));
        }
    }

    /// <summary>
    /// A public NAT gateway and its Elastic IP, made after the internet gateway its traffic leaves by.
    /// Replaced (moved to another subnet), its successor needs the same Elastic IP, which serves one
    /// NAT gateway at a time: the old one goes first (<see cref="ResourceTypes.NatGateway"/>).
    /// </summary>
    private static void EmitPublicNat(ValidatedEnvironment env, ProgramContext program, string resourceName, string eip, string name, SubnetSpec subnet, string? replicaOf)
    {
        program.Resource(eip, ResourceTypes.Eip, P.Map(
            ("domain", P.Text("vpc")),
            ("tags", Tags.For(env, name, null))));
        program.Resource(
            resourceName,
            ResourceTypes.NatGateway,
            P.Map(
                ("allocationId", P.Ref(eip, "id")),
                ("subnetId", P.Ref(ResourceNames.Subnet(subnet), "id")),
                ("tags", Tags.For(env, name, replicaOf))),
            dependsOn: [ResourceNames.InternetGateway],
            deleteBeforeReplace: true);
    }

    /// <summary>
    /// Each private NAT gateway in its subnet: connectivityType private takes no Elastic IP
    /// (@pulumi/aws 7.48.0 ec2/natGateway.d.ts: allocationId is required only for a public one).
    /// </summary>
    public static void EmitPrivateNatGateways(ValidatedEnvironment env, ProgramContext program)
    {
        foreach (var nat in env.Network.PrivateNatGateways)
        {
            program.Resource(ResourceNames.PrivateNatGateway(nat.Name), ResourceTypes.NatGateway, P.Map(
                ("connectivityType", P.Text("private")),
                ("subnetId", P.Ref(ResourceNames.Subnet(env.SubnetOf(nat)), "id")),
                ("tags", Tags.For(env, $"{env.Network.Vpc.Name}-nat-{nat.Name}", nat.ReplicaOf))));
        }
    }

    /// <summary>Each public NAT gateway stated by name in its public subnet, with an Elastic IP of its own, made as the zone's is.</summary>
    public static void EmitPublicNatGateways(ValidatedEnvironment env, ProgramContext program)
    {
        foreach (var nat in env.Network.PublicNatGateways)
        {
            EmitPublicNat(env, program, ResourceNames.PublicNatGateway(nat.Name), ResourceNames.PublicNatEip(nat.Name),
                $"{env.Network.Vpc.Name}-public-nat-{nat.Name}", env.SubnetOf(nat), nat.ReplicaOf);
        }
    }

    /// <summary>
    /// aws provider v7 routes to an appliance through a network interface, which must be in this
    /// VPC. A created interface is in one of our subnets by construction; an existing appliance is
    /// one the user stated is in this VPC, its interface given or looked up at preview time.
    /// </summary>
    public static void EmitGatewayInterfaces(ValidatedEnvironment env, ProgramContext program)
    {
        var network = env.Network;
        if (SecurityDesign.GatewayInterfaces(network) is { } group)
        {
            SecurityEmitter.EmitGroups(env, [group], program);
        }

        foreach (var gateway in network.Gateways.OrderBy(g => g.Name, StringComparer.Ordinal))
        {
            if (gateway.Placement == GatewayPlacement.CreatedInterface)
            {
                program.Resource(ResourceNames.GatewayInterface(gateway), ResourceTypes.NetworkInterface, P.Map(
                    ("subnetId", P.Ref(ResourceNames.Subnet(env.InterfaceSubnetOf(gateway)), "id")),
                    ("description", P.Text(gateway.Description)),
                    // An appliance forwards packets addressed to others.
                    ("sourceDestCheck", P.Bool(false)),
                    ("securityGroups", P.List(P.Ref(ResourceNames.SecurityGroup(SecurityDesign.GatewayInterfaceGroup), "id"))),
                    ("tags", Tags.For(env, $"{network.Vpc.Name}-{gateway.Name}", gateway.ReplicaOf, ("Gateway", gateway.Name)))));
                continue;
            }

            PValue eni = (gateway.NetworkInterfaceId, gateway.InstanceId) switch
            {
                ({ } configured, _) => P.Text(configured),
                (null, { } instance) => P.Invoke(FunctionTypes.GetInstance.Token, P.Map(("instanceId", P.Text(instance))), FunctionTypes.GetInstance.Package.Version, "networkInterfaceId"),
                _ => throw new InvalidOperationException($"existing gateway {gateway.Name} names neither an interface nor an instance: the stack was not validated"),
            };
            program.Variable(ResourceNames.GatewayInterface(gateway), eni);
        }
    }

    public static void EmitRouteTables(ValidatedEnvironment env, ProgramContext program)
    {
        var network = env.Network;
        foreach (var table in network.RouteTables)
        {
            var tableName = ResourceNames.RouteTable(table);
            var tags = Tags.For(env, $"{network.Vpc.Name}-{table.Name}", table.ReplicaOf);
            if (table.IsMain)
            {
                // Managing the VPC's default route table makes it the main table: subnets without an
                // explicit association get its routes.
                program.Resource(tableName, ResourceTypes.DefaultRouteTable, P.Map(
                    ("defaultRouteTableId", P.Ref(ResourceNames.Vpc, "defaultRouteTableId")),
                    ("tags", tags)));
            }
            else
            {
                program.Resource(tableName, ResourceTypes.RouteTable, P.Map(
                    ("vpcId", P.Ref(ResourceNames.Vpc, "id")),
                    ("tags", tags)));
            }

            // Routes the appliance's controller writes are left to it (NetworkSpec.GatewayRoutesOwner).
            foreach (var route in NetworkSpec.Ordered(table.Routes).Where(r => r.Target.Kind != RouteTargetKind.Instance || network.GatewayRoutesOwner == GatewayRouteOwner.Stack))
            {
                program.Resource(ResourceNames.Route(table, route.Destination), ResourceTypes.Route, P.Map(
                    ("routeTableId", P.Ref(tableName, "id")),
                    ("destinationCidrBlock", P.Text(route.Destination.ToString())),
                    TargetProperty(env, route.Target)));
            }

            foreach (var route in table.Ipv6Routes.Where(r => r.Target != Ipv6RouteTarget.Instance || network.GatewayRoutesOwner == GatewayRouteOwner.Stack))
            {
                program.Resource(ResourceNames.Ipv6Route(table, route.Destination), ResourceTypes.Route, P.Map(
                    ("routeTableId", P.Ref(tableName, "id")),
                    ("destinationIpv6CidrBlock", P.Text(route.Destination)),
                    route.SharedTarget is { } shared
                        ? TargetProperty(env, shared)
                        : ("egressOnlyGatewayId", P.Ref(ResourceNames.EgressOnlyGateway, "id"))));
            }

            foreach (var subnet in env.AssociatedSubnets(table))
            {
                program.Resource(ResourceNames.Association(table, subnet), ResourceTypes.RouteTableAssociation, P.Map(
                    ("subnetId", P.Ref(ResourceNames.Subnet(subnet), "id")),
                    ("routeTableId", P.Ref(tableName, "id"))));
            }
        }
    }

    private static (string, PValue?) TargetProperty(ValidatedEnvironment env, RouteTarget target) => target.Kind switch
    {
        RouteTargetKind.InternetGateway => ("gatewayId", P.Ref(ResourceNames.InternetGateway, "id")),
        RouteTargetKind.NatGateway => ("natGatewayId", P.Ref(ResourceNames.NatGatewayIn(env.Network.Nat, target.NatZone(env.Network.Nat)!), "id")),
        RouteTargetKind.Instance => ("networkInterfaceId", GatewayInterfaceId(env.GatewayOf(target))),
        RouteTargetKind.Existing => (target.ExistingType switch
        {
            ExistingTargetType.TransitGateway => "transitGatewayId",
            ExistingTargetType.PeeringConnection => "vpcPeeringConnectionId",
            _ => "localGatewayId",
        }, P.Text(target.GatewayName!)),
        RouteTargetKind.PrivateNat => ("natGatewayId", P.Ref(ResourceNames.PrivateNatGateway(target.GatewayName!), "id")),
        RouteTargetKind.PublicNat => ("natGatewayId", P.Ref(ResourceNames.PublicNatGateway(target.GatewayName!), "id")),
        RouteTargetKind.Endpoint => ("vpcEndpointId", P.Ref(ResourceNames.StatedVpcEndpoint(target.GatewayName!), "id")),
        _ => throw new InvalidOperationException($"route target {target} cannot be emitted"),
    };

    public static PString GatewayInterfaceId(GatewayInstance gateway) => gateway.Placement == GatewayPlacement.CreatedInterface
        ? P.Ref(ResourceNames.GatewayInterface(gateway), "id")
        : P.Ref(ResourceNames.GatewayInterface(gateway));
}

/// <summary>The names of what <see cref="RoutingEmitter"/> emits (the naming rule: <see cref="ResourceNames"/>).</summary>
public static partial class ResourceNames
{
    public const string NatEip = "nat-eip";

    public const string NatGateway = "nat-gateway";

    /// <summary>A zone's NAT gateway: the first zone's keeps the one NAT gateway's name, so that moving from `zone` to `zones` plans nothing for it.</summary>
    public static string NatGatewayIn(NatGatewaySpec nat, string zone) => zone == nat.Zone ? NatGateway : Of(NatGateway, zone);

    /// <summary>A private NAT gateway, by its name under privateNatGateways.</summary>
    public static string PrivateNatGateway(string name) => Of("private-nat-gateway", name);

    /// <summary>A public NAT gateway stated by name: public-nat-gateway--NAME.</summary>
    public static string PublicNatGateway(string name) => Of("public-nat-gateway", name);

    /// <summary>Its Elastic IP: public-nat-eip--NAME.</summary>
    public static string PublicNatEip(string name) => Of("public-nat-eip", name);

    /// <summary>A zone's NAT gateway's Elastic IP, named as its NAT gateway is.</summary>
    public static string NatEipIn(NatGatewaySpec nat, string zone) => zone == nat.Zone ? NatEip : Of(NatEip, zone);

    public static string RouteTable(RouteTableSpec table) => Of("route-table", table.Name);

    public static string Route(RouteTableSpec table, Cidr destination) =>
        Of("route", table.Name, destination.ToString().Replace('.', '-').Replace('/', '-'));

    /// <summary>An IPv6 route, named by its block with every run of ":" and "/" one hyphen ("::/0" is route-ipv6--main--0).</summary>
    public static string Ipv6Route(RouteTableSpec table, string destination) =>
        Of("route-ipv6", table.Name, System.Text.RegularExpressions.Regex.Replace(destination, "[^0-9a-f]+", "-").Trim('-') is { Length: > 0 } block ? block : "0");

    public static string Association(RouteTableSpec table, SubnetSpec subnet) =>
        subnet.IsZonesFirst ? Of("route-table-association", table.Name, $"{subnet.Role.Key()}-{subnet.Zone}") : Of("route-table-association", table.Name, $"{subnet.Role.Key()}-{subnet.Zone}", $"{subnet.Ordinal}");

    public static string GatewayInterface(GatewayInstance gateway) => Of("gateway-interface", gateway.Name);
}
