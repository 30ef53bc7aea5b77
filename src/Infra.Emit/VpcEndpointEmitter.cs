namespace Infra.Emit;

/// <summary>The endpoints concern: the VPC endpoints the nodes' bootstrap needs, and those the stack file states (`vpcEndpoints`).</summary>
internal static class VpcEndpointEmitter
{
    /// <summary>
    /// The VPC endpoints nodes need to join without internet egress (NodeBootstrap): interface
    /// endpoints with private DNS in the node subnets, and the S3 gateway endpoint on the node
    /// subnets' route tables. Returns the names the node group waits for.
    /// </summary>
    public static IReadOnlyList<string> EmitBootstrap(ValidatedEnvironment env, ProgramContext program)
    {
        var network = env.Network;
        SecurityEmitter.EmitGroups(env, [SecurityDesign.VpcEndpoints(network)], program);
        var nodeSubnets = network.SubnetsOf(SubnetRoles.With(ClusterUse.ClusterAndNodes)).ToList();
        var names = new List<string>();
        foreach (var service in NodeBootstrap.InterfaceEndpointServices)
        {
            var name = ResourceNames.VpcEndpoint(service);
            program.Resource(name, ResourceTypes.VpcEndpoint, P.Map(
                ("vpcId", P.Ref(ResourceNames.Vpc, "id")),
                ("serviceName", P.Text($"com.amazonaws.{network.Region}.{service}")),
                ("vpcEndpointType", P.Text("Interface")),
                ("privateDnsEnabled", P.Bool(true)),
                ("subnetIds", P.List(nodeSubnets.Select(s => (PValue)P.Ref(ResourceNames.Subnet(s), "id")))),
                ("securityGroupIds", P.List(P.Ref(ResourceNames.SecurityGroup(SecurityDesign.VpcEndpointGroup), "id"))),
                ("tags", Tags.For(env, $"{network.Vpc.Name}-{service}", null))),
                // With private DNS, the successor of a replaced endpoint cannot exist beside it.
                deleteBeforeReplace: true);
            names.Add(name);
        }

        var tables = NodeBootstrap.GatewayEndpointTables(network);
        var s3 = ResourceNames.VpcEndpoint(NodeBootstrap.GatewayEndpointService);
        program.Resource(s3, ResourceTypes.VpcEndpoint, P.Map(
            ("vpcId", P.Ref(ResourceNames.Vpc, "id")),
            ("serviceName", P.Text(NodeBootstrap.PrefixListName(network.Region, NodeBootstrap.GatewayEndpointService))),
            ("vpcEndpointType", P.Text("Gateway")),
            ("routeTableIds", P.List(tables.Select(t => (PValue)P.Ref(ResourceNames.RouteTable(t), "id")))),
            ("tags", Tags.For(env, $"{network.Vpc.Name}-{NodeBootstrap.GatewayEndpointService}", null))));
        names.Add(s3);
        return names;
    }


    public static void Emit(ValidatedEnvironment env, ProgramContext program)
    {
        var network = env.Network;
        var groups = env.SecurityGroups.ToDictionary(g => g.Name, StringComparer.Ordinal);
        foreach (var endpoint in network.VpcEndpoints)
        {
            var gateway = endpoint.Kind == VpcEndpointKind.Gateway;
            var balancer = endpoint.Kind == VpcEndpointKind.GatewayLoadBalancer;
            program.Resource(
                ResourceNames.StatedVpcEndpoint(endpoint.Name),
                ResourceTypes.VpcEndpoint,
                P.Map(
                    ("vpcId", P.Ref(ResourceNames.Vpc, "id")),
                    ("serviceName", P.Text(endpoint.Service)),
                    ("vpcEndpointType", P.Text(endpoint.Kind.ToString())),
                    ("routeTableIds", gateway ? P.List(endpoint.RouteTables.Select(t => (PValue)P.Ref(ResourceNames.RouteTable(network.RouteTables.Single(r => r.Name == t.Value)), "id"))) : null),
                    ("subnetIds", gateway ? null : P.List(endpoint.Subnets.Select(s => (PValue)P.Ref(ResourceNames.Subnet(network.FindSubnet(s.Value)!), "id")))),
                    ("securityGroupIds", gateway || balancer || endpoint.SecurityGroups.Count == 0 ? null : P.List(endpoint.SecurityGroups.Select(g => (PValue)SecurityEmitter.GroupId(groups[g.Value])))),
                    ("privateDnsEnabled", gateway || balancer ? null : P.Bool(endpoint.PrivateDns)),
                    ("tags", Tags.For(env, $"{network.Vpc.Name}-{endpoint.Name}", endpoint.ReplicaOf))),
                // With private DNS, the successor of a replaced endpoint cannot exist beside it.
                deleteBeforeReplace: endpoint.PrivateDns);
        }
    }
}

/// <summary>The names of what <see cref="VpcEndpointEmitter"/> emits (the naming rule: <see cref="ResourceNames"/>).</summary>
public static partial class ResourceNames
{
    /// <summary>A bootstrap endpoint, by its service.</summary>
    public static string VpcEndpoint(string service) => Of("vpc-endpoint", service.Replace('.', '-'));

    /// <summary>A stated endpoint, apart from the bootstrap's (vpc-endpoint--SERVICE).</summary>
    public static string StatedVpcEndpoint(string name) => Of("endpoint", name);
}
