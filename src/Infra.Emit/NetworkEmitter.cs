using Infra.Model.Cluster;
using Infra.Model;
using Infra.Model.Network;

namespace Infra.Emit;

/// <summary>The network half: VPC, secondary CIDRs, gateways, subnets, route tables and routes.</summary>
internal static class NetworkEmitter
{
    public static void Emit(EnvironmentSpec env, ProgramContext program)
    {
        var network = env.Network;
        var vpc = network.Vpc;
        program.Resource(ResourceNames.Vpc, ResourceTypes.Vpc, P.Map(
            ("cidrBlock", P.Text(vpc.Primary.Value.ToString())),
            ("enableDnsSupport", P.Bool(true)),
            ("enableDnsHostnames", P.Bool(true)),
            ("tags", Tags.For(env, vpc.Name, vpc.ReplicaOf))));

        for (var i = 0; i < vpc.Secondary.Count; i++)
        {
            program.Resource(ResourceNames.SecondaryCidr(i), ResourceTypes.VpcCidrBlock, P.Map(
                ("vpcId", P.Ref(ResourceNames.Vpc, "id")),
                ("cidrBlock", P.Text(vpc.Secondary[i].Value.ToString()))));
        }

        program.Resource(ResourceNames.InternetGateway, ResourceTypes.InternetGateway, P.Map(
            ("vpcId", P.Ref(ResourceNames.Vpc, "id")),
            ("tags", Tags.For(env, $"{vpc.Name}-igw", network.InternetGatewayReplicaOf))));

        EmitSubnets(env, program);
        EmitNatGateway(env, program);
        EmitGatewayInterfaces(env, program);
        EmitRouteTables(env, program);
        EmitOutputs(env, program);
    }

    private static void EmitSubnets(EnvironmentSpec env, ProgramContext program)
    {
        var network = env.Network;
        foreach (var subnet in network.OrderedSubnets)
        {
            var extraTags = new List<(string, string)> { ("Tier", subnet.Role.Key()) };
            if (subnet.Role.LoadBalancerDiscoveryTag() is { } discovery)
            {
                extraTags.Add((discovery, "1"));
            }

            if (env.Cluster is { } cluster && subnet.Role.SharedWithCluster())
            {
                extraTags.Add(($"kubernetes.io/cluster/{cluster.Cluster.Name}", "shared"));
            }

            var secondary = network.SecondaryCidrIndexOf(subnet);
            program.Resource(
                ResourceNames.Subnet(subnet),
                ResourceTypes.Subnet,
                P.Map(
                    ("vpcId", P.Ref(ResourceNames.Vpc, "id")),
                    ("cidrBlock", P.Text(subnet.Cidr.ToString())),
                    ("availabilityZone", P.Text(subnet.Zone)),
                    ("tags", Tags.For(env, $"{network.Vpc.Name}-{subnet.Role.Key()}-{subnet.Zone}", subnet.ReplicaOf, extraTags.ToArray()))),
                dependsOn: secondary is { } index ? [ResourceNames.SecondaryCidr(index)] : []);
        }
    }

    private static void EmitNatGateway(EnvironmentSpec env, ProgramContext program)
    {
        var network = env.Network;
        if (!network.Nat.Enabled)
        {
            return;
        }

        var subnet = network.FindSubnet(SubnetRole.Public, network.Nat.Zone!)!;
        program.Resource(ResourceNames.NatEip, ResourceTypes.Eip, P.Map(
            ("domain", P.Text("vpc")),
            ("tags", Tags.For(env, $"{network.Vpc.Name}-nat", null))));
        program.Resource(
            ResourceNames.NatGateway,
            ResourceTypes.NatGateway,
            P.Map(
                ("allocationId", P.Ref(ResourceNames.NatEip, "id")),
                ("subnetId", P.Ref(ResourceNames.Subnet(subnet), "id")),
                ("tags", Tags.For(env, $"{network.Vpc.Name}-nat", null))),
            dependsOn: [ResourceNames.InternetGateway]);
    }

    /// <summary>
    /// aws provider v7 routes to an appliance through a network interface, which must be in this
    /// VPC. A created interface is in one of our subnets by construction; an existing appliance is
    /// one the user stated is in this VPC, its interface given or looked up at preview time.
    /// </summary>
    private static void EmitGatewayInterfaces(EnvironmentSpec env, ProgramContext program)
    {
        var network = env.Network;
        if (SecurityDesign.GatewayInterfaces(network) is { } group)
        {
            SecurityGroupEmitter.Emit(env, [group], program);
        }

        foreach (var gateway in network.Gateways.OrderBy(g => g.Name, StringComparer.Ordinal))
        {
            if (gateway.Placement == GatewayPlacement.CreatedInterface)
            {
                program.Resource(ResourceNames.GatewayInterface(gateway), ResourceTypes.NetworkInterface, P.Map(
                    ("subnetId", P.Ref(ResourceNames.Subnet(network.FindSubnet(gateway.InterfaceSubnet!)!), "id")),
                    ("description", P.Text(gateway.Description)),
                    // An appliance forwards packets addressed to others.
                    ("sourceDestCheck", P.Bool(false)),
                    ("securityGroups", P.List(P.Ref(ResourceNames.SecurityGroup(SecurityDesign.GatewayInterfaceGroup), "id"))),
                    ("tags", Tags.For(env, $"{network.Vpc.Name}-{gateway.Name}", gateway.ReplicaOf, ("Gateway", gateway.Name)))));
                continue;
            }

            PValue eni = gateway.NetworkInterfaceId is { } configured
                ? P.Text(configured)
                : P.Invoke(FunctionTypes.GetInstance.Token, P.Map(("instanceId", P.Text(gateway.InstanceId!))), FunctionTypes.GetInstance.Package.Version, "networkInterfaceId");
            program.Variable(ResourceNames.GatewayInterface(gateway), eni);
        }
    }

    private static void EmitRouteTables(EnvironmentSpec env, ProgramContext program)
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

            foreach (var route in NetworkSpec.Ordered(table.Routes))
            {
                program.Resource(ResourceNames.Route(table, route.Destination), ResourceTypes.Route, P.Map(
                    ("routeTableId", P.Ref(tableName, "id")),
                    ("destinationCidrBlock", P.Text(route.Destination.ToString())),
                    TargetProperty(network, route.Target)));
            }

            foreach (var key in table.SubnetKeys.Select(k => k.Value).Order(StringComparer.Ordinal))
            {
                var subnet = network.FindSubnet(key)!;
                program.Resource(ResourceNames.Association(table, subnet), ResourceTypes.RouteTableAssociation, P.Map(
                    ("subnetId", P.Ref(ResourceNames.Subnet(subnet), "id")),
                    ("routeTableId", P.Ref(tableName, "id"))));
            }
        }
    }

    private static (string, PValue?) TargetProperty(NetworkSpec network, RouteTarget target) => target.Kind switch
    {
        RouteTargetKind.InternetGateway => ("gatewayId", P.Ref(ResourceNames.InternetGateway, "id")),
        RouteTargetKind.NatGateway => ("natGatewayId", P.Ref(ResourceNames.NatGateway, "id")),
        RouteTargetKind.Instance => ("networkInterfaceId", GatewayInterfaceId(network.FindGateway(target.GatewayName!)!)),
        _ => throw new InvalidOperationException($"route target {target} cannot be emitted"),
    };

    private static PString GatewayInterfaceId(GatewayInstance gateway) => gateway.Placement == GatewayPlacement.CreatedInterface
        ? P.Ref(ResourceNames.GatewayInterface(gateway), "id")
        : P.Ref(ResourceNames.GatewayInterface(gateway));

    private static void EmitOutputs(EnvironmentSpec env, ProgramContext program)
    {
        var network = env.Network;
        if (network.Gateways.Count > 0)
        {
            // The interfaces the appliances attach (created) or that routes target (existing).
            program.Output("gatewayInterfaceIds", P.Map(network.Gateways.OrderBy(g => g.Name, StringComparer.Ordinal).Select(g => (g.Name, (PValue?)GatewayInterfaceId(g)))));
        }

        program.Output("vpcId", P.Ref(ResourceNames.Vpc, "id"));
        program.Output("subnetIds", P.Map(network.OrderedSubnets
            .GroupBy(s => s.Role)
            .Select(role => (role.Key.Key(), (PValue?)P.Map(role.Select(s => (s.Zone, (PValue?)P.Ref(ResourceNames.Subnet(s), "id"))))))));
        program.Output("routeTableIds", P.Map(network.RouteTables.Select(t => (t.Name, (PValue?)P.Ref(ResourceNames.RouteTable(t), "id")))));
        if (network.Nat.Enabled)
        {
            program.Output("natGatewayId", P.Ref(ResourceNames.NatGateway, "id"));
        }
    }
}
