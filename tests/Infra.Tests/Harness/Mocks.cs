using System.Text.Json.Nodes;

namespace Infra.Tests.Harness;

/// <summary>
/// What the providers would answer, in the spirit of Pulumi's IMocks: every resource gets an id and
/// echoes its inputs, plus the outputs its provider computes; invokes answer from a table.
/// </summary>
public sealed class Mocks
{
    public const string AccountId = "123456789012";

    /// <summary>The /56 Amazon gives a VPC that asks for one, as EC2 writes it.</summary>
    public string VpcIpv6Block { get; init; } = "2600:1f14:e0e:7f00::/56";

    public static string IdOf(string name) => $"{name}_id";

    public static string EniOf(string instanceId) => $"eni-of-{instanceId}";

    public const string FloatingAmi = "ami-recommended-today";

    public static string AmiFor(string parameter) =>
        parameter.Contains("/recommended/", StringComparison.Ordinal) ? FloatingAmi : $"ami-of-{parameter.Split('/')[^2]}";

    public (string Id, JsonObject State) NewResource(string type, string name, JsonObject inputs)
    {
        var state = (JsonObject)inputs.DeepClone();
        var id = IdOf(name);
        switch (type)
        {
            case "aws:ec2:Vpc":
                state["defaultRouteTableId"] = $"{name}_default_route_table";
                if (inputs["assignGeneratedIpv6CidrBlock"]?.GetValue<bool>() == true)
                {
                    state["ipv6CidrBlock"] = VpcIpv6Block;
                }

                state["arn"] = $"arn:aws:ec2:us-west-2:{AccountId}:vpc/{id}";
                break;
            case "aws:iam:Role":
                state["name"] = name;
                state["arn"] = $"arn:aws:iam::{AccountId}:role/{name}";
                break;
            case "aws:kms:Key":
                state["arn"] = $"arn:aws:kms:us-west-2:{AccountId}:key/{id}";
                break;
            case "aws:ec2:LaunchTemplate":
                state["latestVersion"] = 1;
                break;
            case "aws:eks:Addon":
                state["arn"] = $"arn:aws:eks:us-west-2:{AccountId}:addon/{inputs["clusterName"]}/{inputs["addonName"]}/{id}";
                break;
            case "eks:Cluster":
                var clusterName = inputs["name"]?.GetValue<string>() ?? name;
                state["eksCluster"] = new JsonObject
                {
                    ["name"] = clusterName,
                    ["endpoint"] = $"https://{clusterName}.gr7.us-west-2.eks.amazonaws.com",
                    ["vpcConfig"] = new JsonObject { ["clusterSecurityGroupId"] = $"{name}_eks_managed_sg" },
                    ["certificateAuthority"] = new JsonObject { ["data"] = $"{clusterName}-ca-data" },
                };
                state["kubeconfigJson"] = $"{{\"clusters\":[{{\"name\":\"{clusterName}\"}}]}}";
                state["oidcIssuer"] = $"oidc.eks.us-west-2.amazonaws.com/id/{clusterName}";
                state["oidcProviderArn"] = $"arn:aws:iam::{AccountId}:oidc-provider/oidc.eks.us-west-2.amazonaws.com/id/{clusterName}";
                break;
        }

        // Every aws resource gets an ARN here, shaped as AWS shapes them. Not every aws type has one
        // (ec2:Route has none): whether a referenced output exists is pulumi-typecheck's to say,
        // against @pulumi/aws 7.48.0's typings, and CI runs it on both programs.
        if (type.StartsWith("aws:", StringComparison.Ordinal) && !state.ContainsKey("arn"))
        {
            var parts = type.Split(':');
            state["arn"] = $"arn:aws:{parts[1]}:us-west-2:{AccountId}:{parts[2].ToLowerInvariant()}/{id}";
        }

        return (id, state);
    }

    public JsonNode? Call(string function, JsonObject arguments) => function switch
    {
        "aws:ec2:getInstance" => new JsonObject
        {
            ["id"] = arguments["instanceId"]?.DeepClone(),
            ["networkInterfaceId"] = EniOf(arguments["instanceId"]!.GetValue<string>()),
        },
        // The EKS AMI parameters: a fixed release answers one image id for good; "recommended" answers
        // whatever AWS recommends today, which the mock makes visible as such.
        "aws:ssm:getParameter" => new JsonObject
        {
            ["name"] = arguments["name"]?.DeepClone(),
            ["insecureValue"] = AmiFor(arguments["name"]!.GetValue<string>()),
            ["value"] = AmiFor(arguments["name"]!.GetValue<string>()),
        },
        "aws:getCallerIdentity" => new JsonObject { ["accountId"] = AccountId, ["arn"] = $"arn:aws:iam::{AccountId}:user/deployer" },
        _ => throw new MockEngineException($"no mock answers the invoke {function}"),
    };
}
