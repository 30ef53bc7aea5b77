namespace Infra.Model.Vpc;

/// <summary>The kinds of VPC endpoint the stack states (EC2 VpcEndpointType).</summary>
public enum VpcEndpointKind
{
    /// <summary>Routes the service's prefix list to it from the route tables named (S3, DynamoDB).</summary>
    Gateway,

    /// <summary>An interface in each subnet named, with its security groups and, optionally, private DNS.</summary>
    Interface,

    /// <summary>
    /// An interface in one subnet that sends what routes give it to a Gateway Load Balancer's
    /// appliances (an inspection VPC's endpoint service, com.amazonaws.vpce.REGION.vpce-svc-...);
    /// routes target it as `vpc-endpoint/NAME`.
    /// </summary>
    GatewayLoadBalancer,
}

/// <summary>
/// A route AWS adds to a table a gateway endpoint is attached to: from the service's prefix list
/// (<paramref name="PrefixList"/>, com.amazonaws.REGION.SERVICE) to the endpoint (VPC User Guide,
/// "Gateway endpoints"). The program declares the endpoint, not the route.
/// </summary>
/// <param name="Endpoint">The endpoint's name in reports: the bootstrap's (vpc-endpoint-s3) or a stated one's.</param>
/// <param name="Why">Who the endpoint is for, in reports.</param>
public sealed record GatewayEndpointRoute(string PrefixList, string Endpoint, string Why);

/// <summary>
/// A VPC endpoint the stack file states as an original VPC has it (`vpcEndpoints`), beside the ones
/// the bootstrap phase creates for the nodes.
/// </summary>
/// <param name="Service">The service's full name, as EC2 writes it (com.amazonaws.us-west-2.s3).</param>
/// <param name="RouteTables">Gateway: the stack's route tables, by name, that route the service's prefix list to it.</param>
/// <param name="Subnets">Interface: the subnets (role/zone) it has an interface in, one per zone; GatewayLoadBalancer: its one subnet.</param>
/// <param name="SecurityGroups">Interface: the stack's groups on its interfaces, by name.</param>
public sealed record VpcEndpointSpec(
    string Name,
    string Service,
    VpcEndpointKind Kind,
    IReadOnlyList<Located<string>> RouteTables,
    IReadOnlyList<Located<string>> Subnets,
    IReadOnlyList<Located<string>> SecurityGroups,
    bool PrivateDns,
    string? ReplicaOf,
    Origin At)
{
    /// <summary>The service's short name for an AWS service of the stack's region (s3, sts), else null.</summary>
    public string? AwsService(string region) =>
        Service.StartsWith($"com.amazonaws.{region}.", StringComparison.Ordinal) ? Service[$"com.amazonaws.{region}.".Length..] : null;
}
