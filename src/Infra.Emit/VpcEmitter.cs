namespace Infra.Emit;

/// <summary>The vpc concern: the VPC, its secondary CIDR blocks, its internet gateway and its flow logs.</summary>
internal static class VpcEmitter
{
    /// <summary>The VPC, its secondary CIDR blocks and its internet gateway.</summary>
    public static void Emit(ValidatedEnvironment env, ProgramContext program)
    {
        var network = env.Network;
        var vpc = network.Vpc;
        program.Resource(ResourceNames.Vpc, ResourceTypes.Vpc, P.Map(
            ("cidrBlock", P.Text(vpc.Primary.Value.ToString())),
            ("enableDnsSupport", P.Bool(true)),
            ("enableDnsHostnames", P.Bool(true)),
            ("assignGeneratedIpv6CidrBlock", vpc.AmazonIpv6 ? P.Bool(true) : null),
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

        if (network.EgressOnlyGateway is { } egressOnly)
        {
            program.Resource(ResourceNames.EgressOnlyGateway, ResourceTypes.EgressOnlyInternetGateway, P.Map(
                ("vpcId", P.Ref(ResourceNames.Vpc, "id")),
                ("tags", Tags.For(env, $"{vpc.Name}-eigw", egressOnly.ReplicaOf))));
        }

        if (vpc.FlowLogs is { } flowLogs)
        {
            EmitFlowLogs(env, vpc, flowLogs, program);
        }
    }

    /// <summary>
    /// The flow log, the stack's own log group (with a retention: a group the service created itself
    /// would keep records forever), and the role the service delivers with, allowed to write to that
    /// group only.
    /// </summary>
    private static void EmitFlowLogs(ValidatedEnvironment env, VpcSpec vpc, FlowLogSpec flowLogs, ProgramContext program)
    {
        program.Resource(ResourceNames.FlowLogGroup, ResourceTypes.LogGroup, P.Map(
            ("name", P.Text(vpc.FlowLogGroupName)),
            ("retentionInDays", P.Number(flowLogs.RetentionDays)),
            ("tags", Tags.For(env, vpc.FlowLogGroupName, null))));
        SecurityEmitter.EmitServiceRole(env, program, ResourceNames.FlowLogRole, "vpc-flow-logs.amazonaws.com", $"{env.Prefix}-flow-log-role", []);
        var group = P.Ref(ResourceNames.FlowLogGroup, "arn");
        program.Resource(ResourceNames.FlowLogRolePolicy, ResourceTypes.IamRolePolicy, P.Map(
            ("role", P.Ref(ResourceNames.FlowLogRole, "name")),
            ("policy", P.ToJson(P.Map(
                ("Version", P.Text("2012-10-17")),
                ("Statement", P.List(P.Map(
                    ("Sid", P.Text("DeliverToTheStackLogGroup")),
                    ("Effect", P.Text("Allow")),
                    ("Action", P.List(P.Text("logs:CreateLogStream"), P.Text("logs:PutLogEvents"), P.Text("logs:DescribeLogGroups"), P.Text("logs:DescribeLogStreams"))),
                    ("Resource", P.List(group, P.Concat(group, P.Text(":*"))))))))))));
        program.Resource(ResourceNames.FlowLog, ResourceTypes.FlowLog, P.Map(
            ("vpcId", P.Ref(ResourceNames.Vpc, "id")),
            ("trafficType", P.Text(flowLogs.TrafficType)),
            ("logDestinationType", P.Text("cloud-watch-logs")),
            ("logDestination", group),
            ("iamRoleArn", P.Ref(ResourceNames.FlowLogRole, "arn")),
            ("tags", Tags.For(env, $"{vpc.Name}-flow-log", null))),
            // Created before its role may write, the first deliveries fail until IAM catches up.
            dependsOn: [ResourceNames.FlowLogRolePolicy]);
    }
}

/// <summary>The names of what <see cref="VpcEmitter"/> emits (the naming rule: <see cref="ResourceNames"/>).</summary>
public static partial class ResourceNames
{
    public const string EgressOnlyGateway = "egress-only-internet-gateway";

    public const string Vpc = "eks-vpc";

    public static string SecondaryCidr(int index) => $"vpc-secondary-cidr-{index}";

    public const string InternetGateway = "internet-gateway";

    public const string FlowLog = "vpc-flow-log";

    public const string FlowLogGroup = "vpc-flow-log-group";

    public const string FlowLogRole = "vpc-flow-log-role";

    public const string FlowLogRolePolicy = "vpc-flow-log-role-policy";
}
