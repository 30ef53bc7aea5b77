namespace Infra.Emit;

/// <summary>The endpoints concern: the VPC endpoints the stack file states (`vpcEndpoints`); the bootstrap's own are <see cref="ClusterEmitter"/>'s.</summary>
internal static class VpcEndpointEmitter
{
    public static void Emit(ValidatedEnvironment env, ProgramContext program)
    {
        var network = env.Network;
        var groups = env.SecurityGroups.ToDictionary(g => g.Name, StringComparer.Ordinal);
        foreach (var endpoint in network.VpcEndpoints)
        {
            var gateway = endpoint.Kind == VpcEndpointKind.Gateway;
            program.Resource(
                ResourceNames.StatedVpcEndpoint(endpoint.Name),
                ResourceTypes.VpcEndpoint,
                P.Map(
                    ("vpcId", P.Ref(ResourceNames.Vpc, "id")),
                    ("serviceName", P.Text(endpoint.Service)),
                    ("vpcEndpointType", P.Text(endpoint.Kind.ToString())),
                    ("routeTableIds", gateway ? P.List(endpoint.RouteTables.Select(t => (PValue)P.Ref(ResourceNames.RouteTable(network.RouteTables.Single(r => r.Name == t.Value)), "id"))) : null),
                    ("subnetIds", gateway ? null : P.List(endpoint.Subnets.Select(s => (PValue)P.Ref(ResourceNames.Subnet(network.FindSubnet(s.Value)!), "id")))),
                    ("securityGroupIds", gateway || endpoint.SecurityGroups.Count == 0 ? null : P.List(endpoint.SecurityGroups.Select(g => (PValue)SecurityEmitter.GroupId(groups[g.Value])))),
                    ("privateDnsEnabled", gateway ? null : P.Bool(endpoint.PrivateDns)),
                    ("tags", Tags.For(env, $"{network.Vpc.Name}-{endpoint.Name}", endpoint.ReplicaOf))),
                // With private DNS, the successor of a replaced endpoint cannot exist beside it.
                deleteBeforeReplace: endpoint.PrivateDns);
        }
    }
}

/// <summary>The names of what <see cref="VpcEndpointEmitter"/> emits (the naming rule: <see cref="ResourceNames"/>).</summary>
public static partial class ResourceNames
{
    /// <summary>A stated endpoint, apart from the bootstrap's (vpc-endpoint--SERVICE).</summary>
    public static string StatedVpcEndpoint(string name) => Of("endpoint", name);
}
