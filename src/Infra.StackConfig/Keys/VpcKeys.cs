namespace Infra.StackConfig.Keys;

/// <summary>The vpc, availabilityZones and internetGateway keys: declared, and bound to the VPC's model.</summary>
internal static class VpcKeys
{
    private static readonly ConfigKey<Located<string>?> Name = Declare.Text("name", "the VPC's Name tag", required: true)
        .NotCompared("a label: drift finds the VPC by its replicaOf id");

    private static readonly ConfigKey<Located<Cidr>?> PrimaryCidr = Declare.Cidr("primaryCidr", "the VPC's primary IPv4 block (/16 to /28)", required: true);

    private static readonly ConfigKey<IReadOnlyList<Located<Cidr>>> SecondaryCidrs = Declare.List("secondaryCidrs", "further IPv4 blocks associated with the VPC (the pod subnets live in one)", Declare.CidrShape, unique: true);

    private static readonly ConfigKey<Located<string>?> VpcReplicaOf = Declare.ReplicaOf("VPC");

    private static readonly ConfigKey<bool?> AmazonIpv6 = Declare.Boolean("amazonIpv6", "give the VPC an IPv6 block from Amazon's pool (the replica's block is its own; an original's is never copied)", @default: false);

    private static readonly ConfigKey<Located<string>?> TrafficType = Declare.OneOf(
        "trafficType", "what the flow logs record: ALL, ACCEPT or REJECT", FlowLogSpec.TrafficTypes, @default: FlowLogSpec.DefaultTrafficType,
        problem: $"expected one of {string.Join(", ", FlowLogSpec.TrafficTypes)}");

    private static readonly ConfigKey<int?> RetentionDays = Declare.LogRetentionDays("retentionDays", "days the stack's log group (/aws/vpc/<vpc name>/flow-logs) keeps the records")
        .NotLive("the log group's retention is CloudWatch Logs', which discover and drift do not read (EC2 only)");

    private static readonly ConfigKey<FlowLogSpec?> FlowLogs = Declare.Key(
        "flowLogs",
        "record the VPC's traffic in CloudWatch Logs (`{}` takes the defaults); left out, no flow logs",
        Declare.Object([TrafficType, RetentionDays], flowLogs => new FlowLogSpec(flowLogs.Required(TrafficType).Value, flowLogs.Required(RetentionDays), flowLogs.At)));

    private static readonly ConfigKey<IReadOnlyList<Located<string>>> LeftOut = Declare.List(
        "leftOut",
        "ids of the original's objects `infra discover` read but the stack format cannot hold (a second NAT gateway in a zone or a private one, a route as TABLE-ID:DESTINATION to a target the format has no key for, ...): nothing creates them, and drift lists them as not compared instead of as drift",
        Declare.TextShape()).NotCompared("what drift leaves out, by the ids listed");

    public static ConfigKey<VpcSpec?> Vpc { get; } = Declare.Key("vpc", "the VPC", Declare.Object(
        [Name, PrimaryCidr, SecondaryCidrs, VpcReplicaOf, AmazonIpv6, FlowLogs, LeftOut],
        vpc => new VpcSpec(vpc.Required(Name).Value, vpc.Required(PrimaryCidr), vpc.Get(SecondaryCidrs), vpc.Get(VpcReplicaOf)?.Value)
        {
            FlowLogs = vpc.Get(FlowLogs),
            LeftOut = [.. vpc.Get(LeftOut).Select(l => l.Value)],
            AmazonIpv6 = vpc.Required(AmazonIpv6),
        }),
        required: true);

    public static ConfigKey<IReadOnlyList<Located<string>>> AvailabilityZones { get; } = Declare.List(
        "availabilityZones", "the zones subnets may use; they must belong to aws:region", Declare.TextShape(), required: true, minItems: 1, unique: true)
        .NotCompared("the zones follow from the subnets', which drift compares");

    private static readonly ConfigKey<Located<string>?> InternetGatewayReplicaOf = Declare.ReplicaOf("internet gateway");

    /// <summary>The internet gateway's original, if the stack names one.</summary>
    public static ConfigKey<Located<string>?> InternetGateway { get; } = Declare.Key("internetGateway", "the VPC's internet gateway", Declare.Object(
        [InternetGatewayReplicaOf], igw => igw.Get(InternetGatewayReplicaOf)));

    private static readonly ConfigKey<Located<string>?> EgressOnlyReplicaOf = Declare.ReplicaOf("egress-only internet gateway");

    /// <summary>Absent: none.</summary>
    public static ConfigKey<EgressOnlyGatewaySpec?> EgressOnlyInternetGateway { get; } = Declare.Key(
        "egressOnlyInternetGateway",
        "an egress-only internet gateway (`{}` is one): IPv6 traffic out, none in; an IPv6 route may then target `egress-only-internet-gateway`",
        Declare.Object([EgressOnlyReplicaOf], eigw => new EgressOnlyGatewaySpec(eigw.Get(EgressOnlyReplicaOf)?.Value, eigw.At)));
}
