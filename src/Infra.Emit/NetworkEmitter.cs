namespace Infra.Emit;

/// <summary>The network half, concern by concern (VpcEmitter, SubnetEmitter, RoutingEmitter), in the order the program lists them.</summary>
internal static class NetworkEmitter
{
    public static void Emit(ValidatedEnvironment env, ProgramContext program)
    {
        VpcEmitter.Emit(env, program);
        SubnetEmitter.Emit(env, program);
        RoutingEmitter.EmitNatGateway(env, program);
        RoutingEmitter.EmitPrivateNatGateways(env, program);
        RoutingEmitter.EmitPublicNatGateways(env, program);
        if (env.Network.SecurityGroups.Count > 0)
        {
            SecurityEmitter.EmitGroups(env, env.Network.SecurityGroups, program);
        }

        VpcEndpointEmitter.Emit(env, program);
        RoutingEmitter.EmitGatewayInterfaces(env, program);
        RoutingEmitter.EmitRouteTables(env, program);
        EmitOutputs(env, program);
    }

    private static void EmitOutputs(ValidatedEnvironment env, ProgramContext program)
    {
        var network = env.Network;
        if (network.Gateways.Count > 0)
        {
            // The interfaces the appliances attach (created) or that routes target (existing).
            program.Output("gatewayInterfaceIds", P.Map(network.Gateways.OrderBy(g => g.Name, StringComparer.Ordinal).Select(g => (g.Name, (PValue?)RoutingEmitter.GatewayInterfaceId(g)))));
        }

        program.Output("vpcId", P.Ref(ResourceNames.Vpc, "id"));
        program.Output("subnetIds", P.Map(network.OrderedSubnets
            .GroupBy(s => s.Role)
            .Select(role => (role.Key.Key(), (PValue?)P.Map(role.Select(s => (s.IsZonesFirst ? s.Zone : $"{s.Zone}/{s.Ordinal}", (PValue?)P.Ref(ResourceNames.Subnet(s), "id"))))))));
        program.Output("routeTableIds", P.Map(network.RouteTables.Select(t => (t.Name, (PValue?)P.Ref(ResourceNames.RouteTable(t), "id")))));
        if (network.Nat.Enabled)
        {
            program.Output("natGatewayId", P.Ref(ResourceNames.NatGateway, "id"));
            if (network.Nat.PerZone)
            {
                program.Output("natGatewayIds", P.Map(network.Nat.Zones.Select(z => (z, (PValue?)P.Ref(ResourceNames.NatGatewayIn(network.Nat, z), "id")))));
            }
        }
    }
}
