using System.Text.Json.Nodes;
using Infra.Tests.Harness;

namespace Infra.Tests;

/// <summary>
/// The AWS Load Balancer Controller the guide draws on the nodes ("ALB Controllers", which create the
/// internal-k8s-... ALBs from Ingresses), and the VPC CNI's permissions, both on IRSA roles.
/// </summary>
public sealed class LoadBalancerControllerTests
{
    private static MockDeployment Qas => TestStacks.Qas;

    private static MockResource Release => Qas.OfType("kubernetes:helm.sh/v3:Release").Single();

    private static MockResource Cluster => Qas.OfType("eks:Cluster").Single();

    private static MockResource RoleAssumedBy(string serviceAccount) =>
        Qas.OfType("aws:iam:Role").Single(r => r.Input("assumeRolePolicy")!.Contains($"system:serviceaccount:kube-system:{serviceAccount}", StringComparison.Ordinal));

    private static JsonNode Trust(MockResource role) => JsonNode.Parse(role.Input("assumeRolePolicy")!)!["Statement"]![0]!;

    private static IReadOnlyList<JsonNode> ControllerStatements()
    {
        var role = RoleAssumedBy("aws-load-balancer-controller");
        var policy = Qas.OfType("aws:iam:RolePolicy").Single(p => p.Input("role") == role.Outputs["name"]!.GetValue<string>());
        return [.. JsonNode.Parse(policy.Input("policy")!)!["Statement"]!.AsArray().Select(s => s!)];
    }

    private static IEnumerable<string> Strings(JsonNode? node) =>
        node is JsonArray a ? a.Select(x => x!.GetValue<string>()) : node is null ? [] : [node.GetValue<string>()];

    private static IEnumerable<JsonNode> Granting(string action) =>
        ControllerStatements().Where(s => Strings(s["Action"]).Contains(action));

    [Fact]
    public void Controller_is_the_pinned_chart_from_the_configured_repository()
    {
        Assert.Equal("aws-load-balancer-controller", Release.Input("chart"));
        Assert.Equal("3.5.0", Release.Input("version"));
        Assert.Equal("https://aws.github.io/eks-charts", Release.Input("repositoryOpts.repo"));
        Assert.Equal("kube-system", Release.Input("namespace"));
    }

    [Fact]
    public void Controller_is_told_the_cluster_name_region_and_vpc()
    {
        Assert.Equal(Cluster.Input("name"), Release.Input("values.clusterName"));
        Assert.Equal("us-west-2", Release.Input("values.region"));
        Assert.Equal(Qas.OfType("aws:ec2:Vpc").Single().Id, Release.Input("values.vpcId"));
    }

    [Fact]
    public void Controller_image_comes_from_the_regions_eks_registry_the_ecr_endpoints_serve() =>
        // EKS User Guide, "View Amazon container image registries for Amazon EKS add-ons": us-west-2 is 602401143452.
        Assert.Equal("602401143452.dkr.ecr.us-west-2.amazonaws.com/amazon/aws-load-balancer-controller", Release.Input("values.image.repository"));

    [Fact]
    public void Dev_controller_image_comes_from_us_east_1s_registry() =>
        Assert.Equal("602401143452.dkr.ecr.us-east-1.amazonaws.com/amazon/aws-load-balancer-controller", TestStacks.Run("dev").OfType("kubernetes:helm.sh/v3:Release").Single().Input("values.image.repository"));

    [Theory]
    [InlineData("enableShield")]
    [InlineData("enableWaf")]
    [InlineData("enableWafv2")]
    public void Controller_calls_no_service_the_bootstrap_endpoints_lack(string value) =>
        Assert.Equal("false", Release.Input($"values.{value}"));

    [Fact]
    public void Controller_is_installed_on_the_cluster_after_the_node_group()
    {
        Assert.Equal("kubernetes-provider", Release.Provider);
        Assert.True(Qas.WaitsFor(Release, Qas.OfType("eks:ManagedNodeGroup").Single()));
    }

    [Fact]
    public void Controller_service_account_carries_its_irsa_role()
    {
        Assert.Equal("aws-load-balancer-controller", Release.Input("values.serviceAccount.name"));
        Assert.Equal(RoleAssumedBy("aws-load-balancer-controller").Outputs["arn"]!.GetValue<string>(), Release.Inputs["values"]!["serviceAccount"]!["annotations"]!["eks.amazonaws.com/role-arn"]!.GetValue<string>());
    }

    [Fact]
    public void Controller_waits_for_its_role_policy() =>
        Assert.True(Qas.WaitsFor(Release, Qas.OfType("aws:iam:RolePolicy").Single()));

    [Theory]
    [InlineData("aws-load-balancer-controller")]
    [InlineData("aws-node")]
    public void Irsa_role_trusts_only_its_service_account_through_the_clusters_oidc_provider(string serviceAccount)
    {
        var trust = Trust(RoleAssumedBy(serviceAccount));
        var issuer = Cluster.Outputs["oidcIssuer"]!.GetValue<string>();
        Assert.Equal("sts:AssumeRoleWithWebIdentity", trust["Action"]!.GetValue<string>());
        Assert.Equal(Cluster.Outputs["oidcProviderArn"]!.GetValue<string>(), trust["Principal"]!["Federated"]!.GetValue<string>());
        var conditions = trust["Condition"]!["StringEquals"]!.AsObject();
        Assert.Equal($"system:serviceaccount:kube-system:{serviceAccount}", conditions[$"{issuer}:sub"]!.GetValue<string>());
        Assert.Equal("sts.amazonaws.com", conditions[$"{issuer}:aud"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("elasticloadbalancing:CreateLoadBalancer")]
    [InlineData("elasticloadbalancing:CreateTargetGroup")]
    [InlineData("elasticloadbalancing:CreateListener")]
    [InlineData("elasticloadbalancing:RegisterTargets")]
    [InlineData("ec2:DescribeSubnets")]
    [InlineData("ec2:AuthorizeSecurityGroupIngress")]
    public void Controller_may_do_what_an_internal_alb_for_an_ingress_takes(string action) =>
        Assert.NotEmpty(Granting(action));

    [Theory]
    [InlineData("elasticloadbalancing:DeleteLoadBalancer")]
    [InlineData("elasticloadbalancing:DeleteTargetGroup")]
    [InlineData("elasticloadbalancing:ModifyLoadBalancerAttributes")]
    [InlineData("elasticloadbalancing:SetSecurityGroups")]
    [InlineData("ec2:DeleteSecurityGroup")]
    public void Controller_deletes_and_changes_only_what_carries_its_cluster_tag(string action)
    {
        var statements = Granting(action).ToList();
        Assert.NotEmpty(statements);
        Assert.All(statements, s => Assert.Equal("false", s["Condition"]!["Null"]!["aws:ResourceTag/elbv2.k8s.aws/cluster"]!.GetValue<string>()));
    }

    [Fact]
    public void Controller_adds_backend_rules_only_to_groups_in_this_vpc()
    {
        var vpcArn = Qas.OfType("aws:ec2:Vpc").Single().Outputs["arn"]!.GetValue<string>();
        var unscopedByTag = Granting("ec2:AuthorizeSecurityGroupIngress").Where(s => s["Condition"]?["Null"] is null).ToList();
        Assert.NotEmpty(unscopedByTag);
        Assert.All(unscopedByTag, s => Assert.Equal(vpcArn, s["Condition"]!["ArnEquals"]!["ec2:Vpc"]!.GetValue<string>()));
    }

    /// <summary>
    /// The Service Authorization Reference for Amazon EC2 (docs.aws.amazon.com/service-authorization/
    /// latest/reference/list_amazonec2.html), CreateSecurityGroup row: the resource types it is
    /// authorised against and the condition keys each carries (ec2:Region applies to the action).
    /// A condition on a key that no resource of the request carries never matches, so the call is denied.
    /// </summary>
    private static readonly Dictionary<string, string[]> CreateSecurityGroupKeys = new(StringComparer.Ordinal)
    {
        ["security-group"] = ["aws:RequestTag/", "aws:TagKeys", "ec2:SecurityGroupID", "ec2:Region"],
        ["vpc"] = ["aws:ResourceTag/", "ec2:ResourceTag/", "ec2:Tenancy", "ec2:VpcID", "ec2:Region"],
    };

    [Fact]
    public void Controller_may_create_security_groups_in_this_vpc_as_the_authorization_reference_allows()
    {
        var vpcArn = Qas.OfType("aws:ec2:Vpc").Single().Outputs["arn"]!.GetValue<string>();
        var statements = Granting("ec2:CreateSecurityGroup").ToList();
        string ResourceType(string arn) => arn == vpcArn ? "vpc" : arn.Split(':')[^1].Split('/')[0];

        // Both resources of the request are allowed: this VPC (and no other) and a new group.
        Assert.Contains(statements, s => Strings(s["Resource"]).SequenceEqual([vpcArn]));
        Assert.Contains(statements, s => Strings(s["Resource"]).Contains("arn:aws:ec2:*:*:security-group/*"));
        Assert.DoesNotContain(statements, s => Strings(s["Resource"]).Contains("*"));
        foreach (var statement in statements)
        {
            var keys = (statement["Condition"] as JsonObject ?? []).SelectMany(op => op.Value!.AsObject().Select(k => k.Key)).ToList();
            foreach (var type in Strings(statement["Resource"]).Select(ResourceType))
            {
                Assert.All(keys, key => Assert.Contains(CreateSecurityGroupKeys[type], allowed => key.StartsWith(allowed, StringComparison.Ordinal)));
            }
        }
    }

    [Fact]
    public void Controller_policy_grants_no_wildcard_action() =>
        Assert.All(ControllerStatements().SelectMany(s => Strings(s["Action"])), a => Assert.DoesNotContain("*", a, StringComparison.Ordinal));

    [Fact]
    public void Vpc_cni_add_on_runs_with_its_own_irsa_role_holding_the_cni_policy()
    {
        var role = RoleAssumedBy("aws-node");
        var addon = Qas.OfType("aws:eks:Addon").Single(a => a.Input("addonName") == "vpc-cni");
        Assert.Equal(role.Outputs["arn"]!.GetValue<string>(), addon.Input("serviceAccountRoleArn"));
        var attachment = Qas.OfType("aws:iam:RolePolicyAttachment").Single(a => a.Input("role") == role.Outputs["name"]!.GetValue<string>());
        Assert.Equal("arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy", attachment.Input("policyArn"));
        Assert.True(Qas.WaitsFor(addon, attachment));
    }

    [Theory]
    [InlineData("crownpeak", "sg-092ea2ae08df86c55")]
    [InlineData("ranktracker", "sg-0370741c2e987fb22")]
    [InlineData("po3", "sg-064225f82ef9578e6")]
    public void Each_application_gets_the_ingress_annotations_naming_its_security_group(string app, string guideGroup)
    {
        var annotations = Qas.Outputs["ingressAnnotations"]![app]!;
        var group = Qas.OfType("aws:ec2:SecurityGroup").Single(g => g.Tag("ReplicaOf") == guideGroup);
        Assert.Equal(group.Id, annotations["alb.ingress.kubernetes.io/security-groups"]!.GetValue<string>());
        Assert.Equal("internal", annotations["alb.ingress.kubernetes.io/scheme"]!.GetValue<string>());
        Assert.Equal("instance", annotations["alb.ingress.kubernetes.io/target-type"]!.GetValue<string>());
    }

    /// <summary>
    /// The exported annotations agree with the security groups the stack creates (issue 18, item 7):
    /// every listener port is one the load balancer's group admits from clients, and with instance
    /// targets the groups on the nodes admit the NodePort range from that load balancer's group.
    /// </summary>
    [Theory]
    [InlineData("crownpeak")]
    [InlineData("ranktracker")]
    [InlineData("po3")]
    public void Ingress_annotations_agree_with_the_security_groups(string app)
    {
        var annotations = Qas.Outputs["ingressAnnotations"]![app]!;
        var lbGroup = annotations["alb.ingress.kubernetes.io/security-groups"]!.GetValue<string>();
        var ingress = Qas.OfType("aws:vpc:SecurityGroupIngressRule").Where(r => r.Input("securityGroupId") == lbGroup).ToList();
        var listeners = JsonNode.Parse(annotations["alb.ingress.kubernetes.io/listen-ports"]!.GetValue<string>())!.AsArray();
        Assert.NotEmpty(listeners);
        foreach (var listener in listeners.Select(l => l!.AsObject().Single()))
        {
            var port = listener.Value!.GetValue<int>();
            Assert.Contains(ingress, r => int.Parse(r.Input("fromPort")!) <= port && port <= int.Parse(r.Input("toPort")!));
        }

        Assert.Equal("instance", annotations["alb.ingress.kubernetes.io/target-type"]!.GetValue<string>());
        var nodeGroups = Qas.OfType("aws:ec2:LaunchTemplate").Single().Inputs["vpcSecurityGroupIds"]!.AsArray().Select(g => g!.GetValue<string>()).ToList();
        var nodePortRules = Qas.OfType("aws:vpc:SecurityGroupIngressRule").Where(r => r.Input("referencedSecurityGroupId") == lbGroup && r.Input("fromPort") == "30000" && r.Input("toPort") == "32767").ToList();
        Assert.Contains(nodePortRules, r => nodeGroups.Contains(r.Input("securityGroupId")!));
        Assert.Equal("false", annotations["alb.ingress.kubernetes.io/manage-backend-security-group-rules"]!.GetValue<string>());
    }

    [Fact]
    public void A_configured_certificate_reaches_the_https_listener()
    {
        const string certificate = "arn:aws:acm:us-west-2:123456789012:certificate/0f0e0d0c-0b0a-0908-0706-050403020100";
        var config = PulumiRun.StackConfig("qas");
        ConfigEdit.Set(config, "leadertools:loadBalancers[0].certificateArn", certificate);
        var deployment = MockEngine.Run(PulumiRun.Compile("qas", config).Stdout, config);
        Assert.Equal(certificate, deployment.Outputs["ingressAnnotations"]!["crownpeak"]!["alb.ingress.kubernetes.io/certificate-arn"]!.GetValue<string>());
    }

    [Fact]
    public void A_stack_without_the_controller_key_installs_none()
    {
        var config = PulumiRun.StackConfig("qas");
        config.Remove("leadertools:loadBalancerController");
        var deployment = MockEngine.Run(PulumiRun.Compile("qas", config).Stdout, config);
        Assert.Empty(deployment.OfType("kubernetes:helm.sh/v3:Release"));
        Assert.False(deployment.Outputs.ContainsKey("ingressAnnotations"));
        Assert.Single(deployment.OfType("aws:iam:Role"), r => r.Input("assumeRolePolicy")!.Contains("aws-node", StringComparison.Ordinal));
    }
}
