namespace Infra.StackConfig.Keys;

/// <summary>The vpcEndpoints key: the original VPC's endpoints, beside the bootstrap's own.</summary>
internal static class VpcEndpointKeys
{
    private static readonly ConfigKey<Located<string>?> Service = Declare.Text("service", "the service's full name, as EC2 writes it (com.amazonaws.us-west-2.s3)", required: true);

    private static readonly ConfigKey<VpcEndpointKind?> Kind = Declare.Choice(
        "type",
        "Gateway (routes from route tables: S3, DynamoDB) or Interface (interfaces in subnets)",
        [("Gateway", VpcEndpointKind.Gateway), ("Interface", VpcEndpointKind.Interface)],
        "expected Gateway or Interface (Gateway Load Balancer endpoints are not in the stack format)",
        required: true);

    private static readonly ConfigKey<IReadOnlyList<Located<string>>> RouteTables = Declare.List("routeTables", "Gateway: the route tables, by name, that route the service's prefix list to it", Declare.TextShape());

    private static readonly ConfigKey<IReadOnlyList<Located<string>>> Subnets = Declare.List("subnets", "Interface: `role/zone` of each subnet it has an interface in, one per zone", Declare.TextShape(Declare.SubnetReference));

    private static readonly ConfigKey<IReadOnlyList<Located<string>>> SecurityGroups = Declare.List("securityGroups", "Interface: the stack's security groups on its interfaces, by name", Declare.TextShape());

    // No default: EC2's (on for an AWS service) and the provider's (off) differ, so the file says which.
    private static readonly ConfigKey<bool?> PrivateDns = Declare.Key(
        "privateDns",
        "Interface, required: whether the service's name resolves to the endpoint inside the VPC",
        new ConfigShape<bool?>(new ScalarType(ScalarKind.Boolean), (node, _) => node.IsMissing ? null : node.Bool()));

    private static readonly ConfigKey<Located<string>?> ReplicaOf = Declare.ReplicaOf("VPC endpoint");

    private static readonly ConfigShape<VpcEndpointSpec?> Endpoint = Declare.Object(
        [Service, Kind, RouteTables, Subnets, SecurityGroups, PrivateDns, ReplicaOf],
        Bind);

    private static VpcEndpointSpec? Bind(Section endpoint)
    {
        var kind = endpoint.Required(Kind);
        (string Key, bool Given)[] foreign = kind == VpcEndpointKind.Gateway
            ? [(Subnets.Name, endpoint.Get(Subnets).Count > 0), (SecurityGroups.Name, endpoint.Get(SecurityGroups).Count > 0), (PrivateDns.Name, endpoint.Get(PrivateDns) == true)]
            : [(RouteTables.Name, endpoint.Get(RouteTables).Count > 0)];
        if (kind == VpcEndpointKind.Interface && endpoint.Get(PrivateDns) is null)
        {
            endpoint.Problem(PrivateDns, "an interface endpoint says whether it has private DNS (true or false): EC2 and the aws provider default differently");
            return null;
        }

        if (foreign.FirstOrDefault(f => f.Given) is { Given: true } given)
        {
            endpoint.Problem($"`{given.Key}` is for {(kind == VpcEndpointKind.Gateway ? "interface" : "gateway")} endpoints; a {kind} endpoint does not take it");
            return null;
        }

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
