using System.Text.Json.Nodes;
using Infra.Tests.Harness;

namespace Infra.Tests;

/// <summary>The EKS cluster, the VPC CNI custom networking and the node group, on the qas program.</summary>
public sealed class ClusterTests
{
    private static MockDeployment Qas => TestStacks.Qas;

    private static MockResource Cluster => Qas.OfType("eks:Cluster").Single();

    private static MockResource NodeSecurityGroup => Qas.OfType("aws:ec2:SecurityGroup").Single(g => g.Tag("ReplicaOf") == "sg-07019a3af3f18cfa1");

    private static IEnumerable<string> NodeSubnetIds => Qas.OfType("aws:ec2:Subnet").Where(s => s.Tag("Tier") == "nodes").Select(s => s.Id).Order(StringComparer.Ordinal);

    [Fact]
    public void Api_endpoint_is_public_to_anywhere_as_documented()
    {
        Assert.Equal("true", Cluster.Input("endpointPublicAccess"));
        Assert.Equal(["0.0.0.0/0"], Cluster.Inputs["publicAccessCidrs"]!.AsArray().Select(c => c!.GetValue<string>()));
    }

    [Fact]
    public void Api_endpoint_is_also_private_so_nodes_join_before_the_gateways_forward() =>
        // A deviation from the guide (public only): see NodeBootstrap and Pulumi.qas.yaml.
        Assert.Equal("true", Cluster.Input("endpointPrivateAccess"));

    [Fact]
    public void Service_cidr_is_the_guides() =>
        Assert.Equal("172.20.0.0/16", Cluster.Input("kubernetesServiceIpAddressRange"));

    [Fact]
    public void Control_plane_sits_in_the_two_node_subnets() =>
        Assert.Equal(NodeSubnetIds, Cluster.Inputs["subnetIds"]!.AsArray().Select(s => s!.GetValue<string>()).Order(StringComparer.Ordinal));

    [Fact]
    public void Cluster_has_an_oidc_provider_for_irsa() =>
        Assert.Equal("true", Cluster.Input("createOidcProvider"));

    [Fact]
    public void Cluster_takes_version_and_log_types_from_config()
    {
        Assert.Equal("1.36", Cluster.Input("version"));
        Assert.Equal(["api", "audit", "authenticator"], Cluster.Inputs["enabledClusterLogTypes"]!.AsArray().Select(s => s!.GetValue<string>()));
    }

    [Fact]
    public void Cluster_has_no_default_node_group() =>
        Assert.Equal("true", Cluster.Input("skipDefaultNodeGroup"));

    [Fact]
    public void Cluster_control_plane_gets_our_additional_security_group()
    {
        var group = Qas.ById(Cluster.Input("clusterSecurityGroup")!);
        Assert.Equal("aws:ec2:SecurityGroup", group.Type);
        Assert.Equal("leadertools-qas-cluster", group.Tag("Name"));
    }

    [Fact]
    public void Eks_created_cluster_security_group_is_tagged_as_the_replica_of_the_guides()
    {
        // The guide's sg-0da734f201fa4ca64 is "auto-created by EKS": the group EKS makes with the cluster.
        var tag = Qas.OfType("aws:ec2:Tag").Single();
        Assert.Equal(Cluster.Outputs["eksCluster"]!["vpcConfig"]!["clusterSecurityGroupId"]!.GetValue<string>(), tag.Input("resourceId"));
        Assert.Equal("ReplicaOf", tag.Input("key"));
        Assert.Equal("sg-0da734f201fa4ca64", tag.Input("value"));
    }

    private static IEnumerable<MockResource> EniConfigs => Qas.OfType("kubernetes:crd.k8s.amazonaws.com/v1alpha1:ENIConfig");

    private static MockResource EksManagedGroupTag => Qas.OfType("aws:ec2:Tag").Single();

    [Theory]
    [InlineData("AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG", "true")]
    [InlineData("ENI_CONFIG_LABEL_DEF", "topology.kubernetes.io/zone")]
    [InlineData("ENABLE_PREFIX_DELEGATION", "true")]
    [InlineData("WARM_PREFIX_TARGET", "1")]
    public void Aws_node_daemonset_gets_custom_networking_with_the_zone_label_and_prefix_delegation(string variable, string value) =>
        Assert.Equal(value, Qas.AwsNodeEnvironment()[variable]);

    [Fact]
    public void Vpc_cni_add_on_belongs_to_the_cluster_and_the_cluster_makes_none_of_its_own()
    {
        var addon = Qas.OfType("aws:eks:Addon").Single(a => a.Input("addonName") == "vpc-cni");
        Assert.Equal(Cluster.Outputs["eksCluster"]!["name"]!.GetValue<string>(), addon.Input("clusterName"));
        Assert.Null(addon.Parent);
        Assert.Equal("true", Cluster.Input("useDefaultVpcCni"));
    }

    [Theory]
    [InlineData("us-west-2a", "100.96.32.0/22")]
    [InlineData("us-west-2b", "100.96.36.0/22")]
    public void Eni_config_pairs_its_zone_with_that_zones_pod_subnet(string zone, string podCidr)
    {
        var eniConfig = EniConfigs.Single(r => r.Input("metadata.name") == zone);
        var subnet = Qas.ById(eniConfig.Input("spec.subnet")!);
        Assert.Equal(podCidr, subnet.Input("cidrBlock"));
        Assert.Equal(zone, subnet.Input("availabilityZone"));
    }

    [Theory]
    [InlineData("us-west-2a")]
    [InlineData("us-west-2b")]
    public void Pod_interfaces_carry_the_eks_managed_cluster_group_and_the_node_group(string zone)
    {
        // AWS's custom networking tutorial puts the cluster security group into the ENIConfig: it is
        // what lets pods, nodes and the control plane reach each other on any port.
        var eniConfig = EniConfigs.Single(r => r.Input("metadata.name") == zone);
        var groups = eniConfig.Inputs["spec"]!["securityGroups"]!.AsArray().Select(s => s!.GetValue<string>()).Order(StringComparer.Ordinal);
        Assert.Equal(new[] { EksManagedGroupTag.Input("resourceId")!, NodeSecurityGroup.Id }.Order(StringComparer.Ordinal), groups);
    }

    [Fact]
    public void Eni_configs_are_applied_through_a_provider_made_from_the_clusters_kubeconfig()
    {
        var group = Qas.OfType("kubernetes:yaml/v2:ConfigGroup").Single();
        var provider = Qas.Named(group.Provider!);
        Assert.Equal("pulumi:providers:kubernetes", provider.Type);
        Assert.Equal(Cluster.Outputs["kubeconfigJson"]!.GetValue<string>(), provider.Input("kubeconfig"));
        Assert.All(EniConfigs, e => Assert.Equal(group.Name, e.Parent));
    }

    [Fact]
    public void There_is_one_eni_config_per_zone() =>
        Assert.Equal(["us-west-2a", "us-west-2b"], EniConfigs.Select(r => r.Input("metadata.name")!).Order(StringComparer.Ordinal));

    [Fact]
    public void Node_group_is_created_only_after_the_cni_settings_and_every_eni_config()
    {
        var nodeGroup = Qas.OfType("eks:ManagedNodeGroup").Single();
        var cni = Qas.OfType("aws:eks:Addon").Single(a => a.Input("addonName") == "vpc-cni");
        Assert.True(Qas.WaitsFor(nodeGroup, cni));
        Assert.NotEmpty(EniConfigs);
        Assert.All(EniConfigs, e => Assert.True(Qas.WaitsFor(nodeGroup, e)));
    }

    [Fact]
    public void Eni_configs_are_applied_after_the_cni_add_on_that_installs_their_definition()
    {
        var cni = Qas.OfType("aws:eks:Addon").Single(a => a.Input("addonName") == "vpc-cni");
        Assert.All(EniConfigs, e => Assert.True(Qas.WaitsFor(e, cni)));
    }

    [Fact]
    public void Coredns_add_on_is_created_only_after_the_node_group()
    {
        var coredns = Qas.OfType("aws:eks:Addon").Single(a => a.Input("addonName") == "coredns");
        Assert.Contains(Qas.OfType("eks:ManagedNodeGroup").Single().Name, coredns.DependsOn);
        Assert.Equal(Cluster.Outputs["eksCluster"]!["name"]!.GetValue<string>(), coredns.Input("clusterName"));
    }

    [Fact]
    public void Cluster_component_creates_no_coredns_add_on_of_its_own() =>
        Assert.Equal("false", Cluster.Input("corednsAddonOptions.enabled"));

    [Fact]
    public void Node_group_spans_both_node_subnets_with_configured_sizes()
    {
        var nodeGroup = Qas.OfType("eks:ManagedNodeGroup").Single();
        Assert.Equal(NodeSubnetIds, nodeGroup.Inputs["subnetIds"]!.AsArray().Select(s => s!.GetValue<string>()).Order(StringComparer.Ordinal));
        Assert.Equal(["t3.medium"], nodeGroup.Inputs["instanceTypes"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.Equal("2", nodeGroup.Input("scalingConfig.minSize"));
        Assert.Equal("2", nodeGroup.Input("scalingConfig.desiredSize"));
        Assert.Equal("6", nodeGroup.Input("scalingConfig.maxSize"));
        Assert.Equal(Cluster.Id, nodeGroup.Input("cluster"));
    }

    [Fact]
    public void Node_group_max_pods_is_worked_out_for_custom_networking_with_prefix_delegation()
    {
        // t3.medium: 3 ENIs, 6 IPv4 each. Custom networking leaves the primary ENI without pods:
        // (3 - 1) ENIs x (6 - 1) slots x 16 addresses per /28 + 2 = 162, capped at 110.
        Assert.Equal(110, NodeUserData.MaxPods(Qas));
    }

    [Fact]
    public void Dev_stack_without_prefix_delegation_gets_the_custom_networking_max_pods()
    {
        // m5.large: 3 ENIs, 10 IPv4 each; custom networking without prefixes: (3 - 1) x (10 - 1) + 2 = 20.
        Assert.Equal(20, NodeUserData.MaxPods(TestStacks.Run("dev")));
    }

    [Theory]
    // c5.9xlarge, 36 vCPUs: (8 - 1) x 29 x 16 + 2 = 3250, AWS's cap above 30 vCPUs is 250.
    [InlineData("c5.9xlarge", true, 250)]
    // m4.large runs on Xen: no prefixes; custom networking on secondary IPs: (2 - 1) x 9 + 2 = 11.
    [InlineData("m4.large", false, 11)]
    public void Node_group_max_pods_follows_aws_cap_by_vcpus_and_nitro(string instanceType, bool prefixDelegation, int expected)
    {
        var config = PulumiRun.StackConfig("qas");
        ConfigEdit.Set(config, "leadertools:nodeGroup.instanceTypes[0]", instanceType);
        ConfigEdit.Set(config, "leadertools:cni.prefixDelegation", prefixDelegation);
        var result = PulumiRun.Compile("qas", config);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(expected, NodeUserData.MaxPods(MockEngine.Run(result.Stdout, config)));
    }

    [Fact]
    public void Outputs_give_cluster_name_endpoint_security_groups_and_oidc_provider()
    {
        Assert.Equal("leadertools-qas", Qas.Outputs["clusterName"]!.GetValue<string>());
        Assert.Equal(Cluster.Outputs["eksCluster"]!["endpoint"]!.GetValue<string>(), Qas.Outputs["clusterEndpoint"]!.GetValue<string>());
        Assert.Equal(NodeSecurityGroup.Id, Qas.Outputs["nodeSecurityGroupId"]!.GetValue<string>());
        Assert.Equal(Qas.ById(Cluster.Input("clusterSecurityGroup")!).Id, Qas.Outputs["clusterSecurityGroupId"]!.GetValue<string>());
        Assert.Equal(Cluster.Outputs["oidcProviderArn"]!.GetValue<string>(), Qas.Outputs["oidcProviderArn"]!.GetValue<string>());
    }

    [Fact]
    public void Kubeconfig_output_is_a_secret()
    {
        Assert.Contains("kubeconfig", Qas.SecretOutputs);
        Assert.Equal(Cluster.Outputs["kubeconfigJson"]!.GetValue<string>(), Qas.Outputs["kubeconfig"]!.GetValue<string>());
    }

    [Fact]
    public void Node_role_has_only_the_policies_nodes_need()
    {
        var role = Qas.OfType("aws:iam:Role").Single(r => r.Name == "node-role");
        var policy = JsonNode.Parse(role.Input("assumeRolePolicy")!)!;
        Assert.Equal("ec2.amazonaws.com", policy["Statement"]![0]!["Principal"]!["Service"]!.GetValue<string>());
        var attached = Qas.OfType("aws:iam:RolePolicyAttachment").Where(a => a.Input("role") == role.Outputs["name"]!.GetValue<string>()).Select(a => a.Input("policyArn")).Order(StringComparer.Ordinal);
        Assert.Equal(
            // The CNI's policy is on its own IRSA role; Session Manager replaces SSH.
            ["arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly", "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy", "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"],
            attached);
        Assert.Equal(role.Outputs["arn"]!.GetValue<string>(), Qas.OfType("eks:ManagedNodeGroup").Single().Input("nodeRoleArn"));
    }
}

/// <summary>Who can use the cluster after the first `up` (issue 18, item 6).</summary>
public sealed class AccessEntryTests
{
    private static MockResource ClusterWith(string entries)
    {
        var config = PulumiRun.StackConfig("qas");
        ConfigEdit.Set(config, "leadertools:cluster.accessEntries", JsonNode.Parse(entries));
        var result = PulumiRun.Compile("qas", config);
        Assert.Equal(0, result.ExitCode);
        return MockEngine.Run(result.Stdout, config).OfType("eks:Cluster").Single();
    }

    [Fact]
    public void A_ci_role_gets_cluster_admin_on_the_whole_cluster()
    {
        var cluster = ClusterWith("""{"ci":{"principalArn":"arn:aws:iam::123456789012:role/ci-deployer","policy":"clusterAdmin"}}""");
        var entry = cluster.Inputs["accessEntries"]!["ci"]!;
        Assert.Equal("arn:aws:iam::123456789012:role/ci-deployer", entry["principalArn"]!.GetValue<string>());
        var association = entry["accessPolicies"]!["clusterAdmin"]!;
        Assert.Equal("arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy", association["policyArn"]!.GetValue<string>());
        Assert.Equal("cluster", association["accessScope"]!["type"]!.GetValue<string>());
    }

    [Fact]
    public void A_team_role_may_be_limited_to_namespaces()
    {
        var cluster = ClusterWith("""{"team":{"principalArn":"arn:aws:iam::123456789012:role/team","policy":"edit","namespaces":["apps"]}}""");
        var scope = cluster.Inputs["accessEntries"]!["team"]!["accessPolicies"]!["edit"]!["accessScope"]!;
        Assert.Equal("namespace", scope["type"]!.GetValue<string>());
        Assert.Equal(["apps"], scope["namespaces"]!.AsArray().Select(n => n!.GetValue<string>()));
    }

    [Theory]
    [InlineData("""{"x":{"principalArn":"arn:aws:iam::123456789012:group/admins","policy":"view"}}""", "leadertools:cluster.accessEntries.x.principalArn")]
    [InlineData("""{"x":{"principalArn":"arn:aws:iam::123456789012:role/r","policy":"root"}}""", "leadertools:cluster.accessEntries.x.policy")]
    public void A_malformed_access_entry_is_refused_naming_its_key(string entries, string key)
    {
        var config = PulumiRun.StackConfig("qas");
        ConfigEdit.Set(config, "leadertools:cluster.accessEntries", JsonNode.Parse(entries));
        var result = PulumiRun.Compile("qas", config);
        Assert.Equal(1, result.ExitCode);
        ErrorLines.AssertNames(result.Stderr, key);
    }
}

/// <summary>Secrets encryption and control-plane logs the stack owns (issue 23, items 2 and 3).</summary>
public sealed class ClusterDefaultsTests
{
    private static MockDeployment Qas => TestStacks.Qas;

    private static MockResource Cluster => Qas.OfType("eks:Cluster").Single();

    private static MockResource Key => Qas.OfType("aws:kms:Key").Single();

    [Fact]
    public void Secrets_are_encrypted_with_the_stacks_key() =>
        Assert.Equal(Key.Outputs["arn"]!.GetValue<string>(), Cluster.Input("encryptionConfigKeyArn"));

    [Fact]
    public void The_secrets_key_rotates() =>
        Assert.Equal("true", Key.Input("enableKeyRotation"));

    [Fact]
    public void The_secrets_key_policy_names_the_cluster_role_and_the_account_administers_it()
    {
        var role = Qas.ById(Cluster.Inputs["serviceRole"]!.GetValue<string>());
        var statements = JsonNode.Parse(Key.Input("policy")!)!["Statement"]!.AsArray();
        var usage = statements.Single(s => s!["Principal"]!["AWS"]!.GetValue<string>() == role.Outputs["arn"]!.GetValue<string>())!;
        Assert.Contains("kms:Decrypt", usage["Action"]!.AsArray().Select(a => a!.GetValue<string>()));
        Assert.Contains(statements, s => s!["Principal"]!["AWS"]!.GetValue<string>() == $"arn:aws:iam::{Mocks.AccountId}:root");
    }

    [Fact]
    public void The_cluster_role_is_trusted_by_eks_only() =>
        Assert.Equal("eks.amazonaws.com", JsonNode.Parse(Qas.ById(Cluster.Inputs["serviceRole"]!.GetValue<string>()).Input("assumeRolePolicy")!)!["Statement"]![0]!["Principal"]!["Service"]!.GetValue<string>());

    [Fact]
    public void A_key_arn_from_the_stack_file_replaces_the_stacks_key()
    {
        const string arn = "arn:aws:kms:us-west-2:123456789012:key/0f0e0d0c-0b0a-0908-0706-050403020100";
        var config = PulumiRun.StackConfig("qas");
        ConfigEdit.Set(config, "leadertools:cluster.secretsKmsKeyArn", arn);
        var deployment = MockEngine.Run(PulumiRun.Compile("qas", config).Stdout, config);
        Assert.Empty(deployment.OfType("aws:kms:Key"));
        Assert.Equal(arn, deployment.OfType("eks:Cluster").Single().Input("encryptionConfigKeyArn"));
    }

    [Fact]
    public void The_control_plane_log_group_is_the_one_eks_writes_to_with_90_days_retention()
    {
        var group = Qas.OfType("aws:cloudwatch:LogGroup").Single();
        Assert.Equal("/aws/eks/leadertools-qas/cluster", group.Input("name"));
        Assert.Equal("90", group.Input("retentionInDays"));
    }

    [Fact]
    public void The_log_group_exists_before_the_cluster() =>
        Assert.True(Qas.WaitsFor(Cluster, Qas.OfType("aws:cloudwatch:LogGroup").Single()));
}
