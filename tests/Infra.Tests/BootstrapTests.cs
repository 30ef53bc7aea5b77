using System.Text.Json.Nodes;
using Infra.Review;
using Infra.StackConfig;
using Infra.Tests.Harness;

namespace Infra.Tests;

/// <summary>
/// Nodes join only if, while the node group is created, they reach the API server, ECR, S3, STS and
/// EC2 (EKS User Guide, "Deploy private clusters with limited internet access"). qas's default route
/// goes to Aviatrix gateways that forward nothing until they are attached after `pulumi up`, so the
/// shipped stack brings VPC endpoints and private endpoint access.
/// </summary>
public sealed class BootstrapTests
{
    private static MockDeployment Qas => TestStacks.Qas;

    private static IEnumerable<MockResource> Endpoints(MockDeployment deployment) => deployment.OfType("aws:ec2:VpcEndpoint");

    private static MockResource Endpoint(string service) =>
        Endpoints(Qas).Single(e => e.Input("serviceName") == $"com.amazonaws.us-west-2.{service}");

    private static HashSet<string> NodeSubnetIds(MockDeployment deployment) =>
        deployment.OfType("aws:ec2:Subnet").Where(s => s.Tag("Tier") == "nodes").Select(s => s.Id).ToHashSet(StringComparer.Ordinal);

    [Theory]
    [InlineData("ecr.api")]
    [InlineData("ecr.dkr")]
    [InlineData("sts")]
    [InlineData("ec2")]
    [InlineData("elasticloadbalancing")]
    [InlineData("ssm")]
    [InlineData("ssmmessages")]
    [InlineData("ec2messages")]
    public void Qas_has_an_interface_endpoint_with_private_dns_in_both_node_subnets(string service)
    {
        var endpoint = Endpoint(service);
        Assert.Equal("Interface", endpoint.Input("vpcEndpointType"));
        Assert.Equal("true", endpoint.Input("privateDnsEnabled"));
        Assert.Equal(NodeSubnetIds(Qas), endpoint.Inputs["subnetIds"]!.AsArray().Select(s => s!.GetValue<string>()).ToHashSet(StringComparer.Ordinal));
    }

    [Fact]
    public void Private_dns_on_the_endpoints_has_the_vpc_dns_attributes_it_needs()
    {
        // AWS PrivateLink: private DNS names need enableDnsSupport and enableDnsHostnames on the VPC.
        var vpc = Qas.OfType("aws:ec2:Vpc").Single();
        Assert.Equal("true", vpc.Input("enableDnsSupport"));
        Assert.Equal("true", vpc.Input("enableDnsHostnames"));
    }

    [Fact]
    public void Interface_endpoints_admit_https_from_the_vpc_only()
    {
        var group = Qas.ById(Endpoint("sts").Inputs["securityGroupIds"]![0]!.GetValue<string>());
        var ingress = Qas.OfType("aws:vpc:SecurityGroupIngressRule").Where(r => r.Input("securityGroupId") == group.Id).ToList();
        Assert.NotEmpty(ingress);
        Assert.All(ingress, r => Assert.Equal("443", r.Input("fromPort")));
        Assert.Equal(["10.142.32.0/21", "100.96.32.0/21"], ingress.Select(r => r.Input("cidrIpv4")).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void S3_gateway_endpoint_sits_on_the_main_table_the_node_subnets_use()
    {
        var s3 = Endpoint("s3");
        Assert.Equal("Gateway", s3.Input("vpcEndpointType"));
        var mainTable = Qas.OfType("aws:ec2:DefaultRouteTable").Single(t => t.Tag("ReplicaOf") == "rtb-0af593cb336560f42");
        Assert.Equal([mainTable.Id], s3.Inputs["routeTableIds"]!.AsArray().Select(t => t!.GetValue<string>()));
    }

    [Fact]
    public void Node_group_is_created_after_every_endpoint()
    {
        var nodeGroup = Qas.OfType("eks:ManagedNodeGroup").Single();
        // ECR API and DKR, STS, EC2, ELB, SSM, SSM messages, EC2 messages, and the S3 gateway.
        Assert.Equal(9, Endpoints(Qas).Count());
        Assert.All(Endpoints(Qas), e => Assert.True(Qas.WaitsFor(nodeGroup, e), $"{nodeGroup.Name} does not wait for {e.Name}"));
    }

    [Fact]
    public void Dev_reaches_the_internet_through_its_nat_gateway_and_needs_no_endpoints() =>
        Assert.Empty(Endpoints(TestStacks.Run("dev")));

    private static IReadOnlyList<Finding> Bootstrap(JsonObject config) =>
        PolicyCheck.Run(ValidatedEnvironment.From(Load(config)), ProgramSnapshot.Parse(Infra.Emit.ProgramEmitter.Render(Load(config)), "test"))
            .Findings.Where(f => f.RuleId == "INFRA008").ToList();

    private static Model.EnvironmentSpec Load(JsonObject config) =>
        StackLoader.Load("leadertools", "qas", PulumiConfigMap.FromEnvironmentJson(PulumiRun.EncodeConfig(config)));

    [Fact]
    public void Check_passes_the_shipped_qas_bootstrap() =>
        Assert.Empty(Bootstrap(PulumiRun.StackConfig("qas")));

    [Fact]
    public void Check_fails_qas_without_a_bootstrap_path_once_per_node_subnet_for_the_api_and_the_registries()
    {
        var config = PulumiRun.StackConfig("qas");
        config.Remove("leadertools:bootstrap");
        config["leadertools:cluster"]!["endpoint"]!["privateAccess"] = false;
        var findings = Bootstrap(config);
        Assert.All(findings, f => Assert.Equal(Severity.Error, f.Severity));
        Assert.Equal(2, findings.Count(f => f.Message.Contains("Kubernetes API endpoint", StringComparison.Ordinal)));
        Assert.Equal(2, findings.Count(f => f.Message.Contains("ECR", StringComparison.Ordinal)));
        Assert.All(findings, f => Assert.Contains("aviatrix-primary", f.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void Vpc_endpoints_without_private_access_still_leave_the_public_api_endpoint_unreachable()
    {
        var config = PulumiRun.StackConfig("qas");
        config["leadertools:cluster"]!["endpoint"]!["privateAccess"] = false;
        var findings = Bootstrap(config);
        Assert.Equal(2, findings.Count);
        Assert.All(findings, f => Assert.Contains("Kubernetes API endpoint", f.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void Stating_that_the_gateways_already_forward_is_taken_at_its_word()
    {
        var config = PulumiRun.StackConfig("qas");
        config["leadertools:bootstrap"] = new JsonObject { ["nodeEgress"] = "gateways" };
        config["leadertools:cluster"]!["endpoint"]!["privateAccess"] = false;
        Assert.Empty(Bootstrap(config));
        Assert.Empty(Endpoints(MockEngine.Run(PulumiRun.Compile("qas", config).Stdout, config)));
    }

    /// <summary>
    /// A NAT gateway reaches the internet by its own subnet's default route: where that goes to an
    /// appliance, which forwards nothing while the node group is created, the nodes have no internet.
    /// </summary>
    [Fact]
    public void A_nat_gateway_whose_subnet_routes_to_an_appliance_gives_the_nodes_no_internet_at_creation()
    {
        var config = PulumiRun.StackConfig("dev");
        ConfigEdit.Set(config, "leadertools:routeTables.public.routes[0].target", "transit");
        var findings = Bootstrap(config);
        Assert.NotEmpty(findings);
        Assert.All(findings, f => Assert.Contains("default route goes to nat-gateway in public/us-east-1a, and public/us-east-1a's default route goes to transit", f.Message, StringComparison.Ordinal));
    }
}
