using System.Text.Json.Nodes;
using Infra.Tests.Harness;

namespace Infra.Tests;

/// <summary>
/// The nodes as they boot (issue 18 items 2 and 3, issue 23 item 4): the guide's node group on every
/// node interface, an AMI and add-ons that no AWS release changes unreviewed, IMDSv2, an encrypted
/// root volume, tags that reach instances. Each fact as the eks component and the aws provider would
/// see it (harness: ComponentModels.ManagedNodeGroup, KubeProxyAddon).
/// </summary>
public sealed class NodeLaunchTests
{
    private static MockDeployment Qas => TestStacks.Qas;

    private static MockResource Template => NodeUserData.LaunchTemplate(Qas);

    private static MockResource NodeGroup => Qas.OfType("aws:eks:NodeGroup").Single();

    private static IEnumerable<string> Strings(JsonNode? node) => node!.AsArray().Select(x => x!.GetValue<string>());

    [Fact]
    public void Node_interfaces_carry_the_guides_node_security_group()
    {
        var guideNodes = Qas.OfType("aws:ec2:SecurityGroup").Single(g => g.Tag("ReplicaOf") == "sg-07019a3af3f18cfa1");
        Assert.Contains(guideNodes.Id, Strings(Template.Inputs["vpcSecurityGroupIds"]));
    }

    [Fact]
    public void Node_interfaces_keep_the_eks_created_cluster_group_a_template_would_otherwise_drop()
    {
        var eksCreated = Qas.OfType("eks:Cluster").Single().Outputs["eksCluster"]!["vpcConfig"]!["clusterSecurityGroupId"]!.GetValue<string>();
        Assert.Contains(eksCreated, Strings(Template.Inputs["vpcSecurityGroupIds"]));
    }

    [Fact]
    public void Node_group_boots_from_the_stacks_template_at_its_latest_version()
    {
        Assert.Equal(Template.Id, NodeGroup.Input("launchTemplate.id"));
        Assert.Equal(Template.Outputs["latestVersion"]!.ToJsonString(), NodeGroup.Input("launchTemplate.version"));
    }

    [Fact]
    public void Node_ami_is_the_pinned_release_not_todays_recommendation()
    {
        // Pulumi.qas.yaml: amiReleaseVersion "1.36.2-20260714", the AMI named
        // amazon-eks-node-al2023-x86_64-standard-1.36-v20260714 (awslabs/amazon-eks-ami CHANGELOG, "AMI Release v20260714").
        Assert.Equal("ami-of-amazon-eks-node-al2023-x86_64-standard-1.36-v20260714", Template.Input("imageId"));
    }

    [Fact]
    public void Node_group_sets_no_ami_type_which_aws_refuses_beside_an_ami_id() =>
        // EKS User Guide, launch templates: amiType, releaseVersion and version cannot be set with an AMI id.
        Assert.Null(NodeGroup.Input("amiType"));

    [Fact]
    public void A_stack_without_an_ami_release_follows_the_floating_recommendation()
    {
        var config = PulumiRun.StackConfig("qas");
        ConfigEdit.Remove(config, "leadertools:nodeGroup.amiReleaseVersion");
        var deployment = MockEngine.Run(PulumiRun.Compile("qas", config).Stdout, config);
        Assert.Equal(Mocks.FloatingAmi, NodeUserData.LaunchTemplate(deployment).Input("imageId"));
    }

    [Theory]
    // Pulumi.qas.yaml's pins for 1.36 (the version catalogue's rows, src/Infra.Model/Versions/addon-versions.csv).
    [InlineData("vpc-cni", "v1.21.1-eksbuild.8")]
    [InlineData("coredns", "v1.14.3-eksbuild.3")]
    [InlineData("kube-proxy", "v1.36.0-eksbuild.14")]
    public void Each_eks_add_on_runs_the_pinned_version(string addon, string version) =>
        Assert.Equal(version, Qas.OfType("aws:eks:Addon").Single(a => a.Input("addonName") == addon).Input("addonVersion"));

    [Fact]
    public void Without_a_pin_kube_proxy_follows_the_most_recent_version()
    {
        var config = PulumiRun.StackConfig("qas");
        ConfigEdit.Remove(config, "leadertools:cluster.addonVersions.kubeProxy");
        var deployment = MockEngine.Run(PulumiRun.Compile("qas", config).Stdout, config);
        Assert.Equal(ComponentModels.MostRecentAddonVersion, deployment.OfType("aws:eks:Addon").Single(a => a.Input("addonName") == "kube-proxy").Input("addonVersion"));
    }

    [Fact]
    public void Instance_metadata_needs_imdsv2_tokens() =>
        Assert.Equal("required", Template.Input("metadataOptions.httpTokens"));

    [Fact]
    public void Instance_metadata_hop_limit_lets_pods_outside_the_host_network_reach_it() =>
        Assert.Equal("2", Template.Input("metadataOptions.httpPutResponseHopLimit"));

    [Fact]
    public void Root_volume_is_encrypted_gp3_of_20_gib()
    {
        var root = Template.Inputs["blockDeviceMappings"]!.AsArray().Single()!;
        Assert.Equal("/dev/xvda", root["deviceName"]!.GetValue<string>());
        Assert.Equal("true", root["ebs"]!["encrypted"]!.GetValue<string>());
        Assert.Equal("gp3", root["ebs"]!["volumeType"]!.GetValue<string>());
        Assert.Equal(20L, root["ebs"]!["volumeSize"]!.GetValue<long>());
    }

    [Theory]
    [InlineData("instance")]
    [InlineData("volume")]
    [InlineData("network-interface")]
    public void Tags_reach_what_the_node_group_launches(string resourceType)
    {
        var spec = Template.Inputs["tagSpecifications"]!.AsArray().Single(t => t!["resourceType"]!.GetValue<string>() == resourceType)!;
        Assert.Equal("qas", spec["tags"]!["Environment"]!.GetValue<string>());
        Assert.Equal("leadertools", spec["tags"]!["Project"]!.GetValue<string>());
    }

    [Fact]
    public void Nodes_join_the_guides_cluster_with_its_service_cidr()
    {
        var config = NodeUserData.NodeConfigs(Qas).Single();
        var cluster = Qas.OfType("eks:Cluster").Single().Outputs["eksCluster"]!;
        Assert.Equal("leadertools-qas", NodeUserData.Find(config, "spec", "cluster", "name"));
        Assert.Equal(cluster["endpoint"]!.GetValue<string>(), NodeUserData.Find(config, "spec", "cluster", "apiServerEndpoint"));
        Assert.Equal(cluster["certificateAuthority"]!["data"]!.GetValue<string>(), NodeUserData.Find(config, "spec", "cluster", "certificateAuthority"));
        Assert.Equal("172.20.0.0/16", NodeUserData.Find(config, "spec", "cluster", "cidr"));
    }

    [Fact]
    public void The_eks_component_refuses_kubelet_arguments_beside_a_launch_template()
    {
        // The harness models pulumi-eks's own validation: a program that gave both would fail at preview.
        var program = PulumiRun.Compile("qas", PulumiRun.StackConfig("qas")).Stdout.Replace(
            "      launchTemplate:\n", "      kubeletExtraArgs: --max-pods=110\n      launchTemplate:\n", StringComparison.Ordinal);
        var error = Assert.Throws<MockEngineException>(() => MockEngine.Run(program, PulumiRun.StackConfig("qas")));
        Assert.Contains("kubeletExtraArgs", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Nodes_are_reached_through_session_manager_not_ssh()
    {
        var nodeRole = Qas.OfType("aws:iam:Role").Single(r => r.Input("assumeRolePolicy")!.Contains("ec2.amazonaws.com", StringComparison.Ordinal));
        Assert.Contains(Qas.OfType("aws:iam:RolePolicyAttachment"), a => a.Input("role") == nodeRole.Outputs["name"]!.GetValue<string>() && a.Input("policyArn") == "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore");
        Assert.Null(NodeGroup.Input("remoteAccess"));
    }

    [Theory]
    [InlineData("m7g.large", "arm64")]
    [InlineData("c6gn.xlarge", "arm64")]
    [InlineData("t4g.medium", "arm64")]
    [InlineData("t3.medium", "x86_64")]
    [InlineData("g4dn.xlarge", "x86_64")]
    [InlineData("m5.large", "x86_64")]
    public void The_ami_parameter_names_the_architecture_ec2_reports(string instanceType, string architecture)
    {
        var config = PulumiRun.StackConfig("qas");
        ConfigEdit.Set(config, "leadertools:nodeGroup.instanceTypes[0]", instanceType);
        ConfigEdit.Set(config, "leadertools:nodeGroup.maxPodsCap", 50);
        var result = PulumiRun.Compile("qas", config);
        Assert.Equal(0, result.ExitCode);
        Assert.Contains($"/amazon-linux-2023/{architecture}/standard/amazon-eks-node-al2023-{architecture}-standard-1.36-v20260714/image_id", result.Stdout, StringComparison.Ordinal);
    }
}
