namespace Infra.StackConfig.Keys;

/// <summary>The vpcEndpoints key: the original VPC's endpoints, beside the bootstrap's own.</summary>
internal static class VpcEndpointKeys
{
    private static readonly ConfigKey<Located<string>?> Service = Declare.Text("service", "the service's full name, as EC2 writes it (com.amazonaws.us-west-2.s3)", required: true);

    private static readonly ConfigKey<VpcEndpointKind?> Kind = Declare.Choice(
        "type",
        "Gateway (routes from route tables: S3, DynamoDB), Interface (interfaces in subnets) or GatewayLoadBalancer (an interface in one subnet that routes target as `vpc-endpoint/NAME`)",
        [("Gateway", VpcEndpointKind.Gateway), ("Interface", VpcEndpointKind.Interface), ("GatewayLoadBalancer", VpcEndpointKind.GatewayLoadBalancer)],
        "expected Gateway, Interface or GatewayLoadBalancer",
        required: true);

    private static readonly ConfigKey<IReadOnlyList<Located<string>>> RouteTables = Declare.List("routeTables", "Gateway: the route tables, by name, that route the service's prefix list to it", Declare.TextShape(), unique: true);

    private static readonly ConfigKey<IReadOnlyList<Located<string>>> Subnets = Declare.List("subnets", "Interface: `role/zone` of each subnet it has an interface in, one per zone", Declare.TextShape(Declare.SubnetReference), unique: true);

    private static readonly ConfigKey<IReadOnlyList<Located<string>>> SecurityGroups = Declare.List("securityGroups", "Interface: the stack's security groups on its interfaces, by name", Declare.TextShape(), unique: true);

    // No default: EC2's (on for an AWS service) and the provider's (off) differ, so the file says which.
    private static readonly ConfigKey<bool?> PrivateDns = Declare.Key(
        "privateDns",
        "Interface, required: whether the service's name resolves to the endpoint inside the VPC",
        new ConfigShape<bool?>(new ScalarType(ScalarKind.Boolean), (node, _) => node.IsMissing ? null : node.Bool()));

    private static readonly ConfigKey<Located<string>?> ReplicaOf = Declare.ReplicaOf("VPC endpoint");

    // What each type takes is declared, so the schema says it too: a gateway endpoint is routed from
    // route tables; an interface endpoint has interfaces in subnets, maybe groups, and says whether it
    // has private DNS (no default: EC2's, on for an AWS service, and the provider's, off, differ).
    private static readonly ConfigShape<VpcEndpointSpec?> Endpoint = Declare.Object(
        [Service, Kind, RouteTables, Subnets, SecurityGroups, PrivateDns, ReplicaOf],
        Bind,
        conditions:
        [
            Declare.When(Kind, ["Gateway"], [RouteTables], [Subnets, SecurityGroups, PrivateDns], "a gateway endpoint is routed from route tables and has no interfaces"),
            Declare.When(Kind, ["Interface"], [Subnets, PrivateDns], [RouteTables], "an interface endpoint has interfaces in subnets and says whether it has private DNS (true or false: EC2 and the aws provider default differently)"),
            Declare.When(Kind, ["GatewayLoadBalancer"], [Subnets], [RouteTables, SecurityGroups, PrivateDns], "a Gateway Load Balancer endpoint is an interface in one subnet, without groups or private DNS; routes target it"),
        ]);

    private static VpcEndpointSpec? Bind(Section endpoint)
    {
        var kind = endpoint.Required(Kind);
        return new VpcEndpointSpec(
            endpoint.Name,
            endpoint.Required(Service).Value,
            kind,
            endpoint.Get(RouteTables),
            endpoint.Get(Subnets),
            endpoint.Get(SecurityGroups),
            endpoint.Get(PrivateDns) ?? false,
            endpoint.Get(ReplicaOf)?.Value,
            endpoint.At);
    }

    public static ConfigKey<IReadOnlyList<VpcEndpointSpec>> VpcEndpoints { get; } = Declare.Map(
        "vpcEndpoints",
        "VPC endpoints as an original VPC has them (`infra discover` writes them), beside the ones bootstrap.nodeEgress: vpcEndpoints creates",
        "name",
        Endpoint,
        "an endpoint: its service, type, and its route tables (Gateway) or subnets, groups and private DNS (Interface)");
}
