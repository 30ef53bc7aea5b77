using Infra.Tests.Harness;

namespace Infra.Tests;

/// <summary>
/// The one subnet-role table, and that each layer follows it: the program's tags (emit), the
/// trace's security groups, and check's discovery-tag rule.
/// </summary>
public sealed class SubnetRoleTests
{
    [Theory]
    [InlineData(SubnetRole.Public, "public", "kubernetes.io/role/elb", true, false, false)]
    [InlineData(SubnetRole.Nodes, "nodes", "kubernetes.io/role/internal-elb", true, false, true)]
    [InlineData(SubnetRole.Pods, "pods", null, false, true, true)]
    public void Each_role_has_its_key_tags_home_and_privacy(SubnetRole role, string key, string? discoveryTag, bool shared, bool secondary, bool isPrivate)
    {
        var policy = role.Policy();
        Assert.Equal((key, discoveryTag, shared, secondary, isPrivate), (policy.Key, policy.LoadBalancerDiscoveryTag, policy.SharedWithCluster, policy.InSecondaryCidr, policy.Private));
    }

    [Fact]
    public void The_cluster_runs_in_the_node_subnets_and_gives_pods_the_pod_subnets()
    {
        Assert.Equal(SubnetRole.Nodes, SubnetRoles.With(ClusterUse.ClusterAndNodes));
        Assert.Equal(SubnetRole.Pods, SubnetRoles.With(ClusterUse.EniConfigs));
    }

    /// <summary>
    /// The load balancer controller's subnet discovery (EKS User Guide, "Route internet traffic with
    /// AWS Load Balancer Controller", subnet tagging): internet-facing load balancers in public
    /// subnets (kubernetes.io/role/elb), internal ones in the node subnets the guide puts the
    /// internal ALBs in (kubernetes.io/role/internal-elb), none in the pod subnets; the cluster tag
    /// marks subnets the cluster shares.
    /// </summary>
    [Theory]
    [InlineData("public", "kubernetes.io/role/elb", "shared")]
    [InlineData("nodes", "kubernetes.io/role/internal-elb", "shared")]
    [InlineData("pods", null, null)]
    public void Every_subnet_of_the_program_carries_the_discovery_tags_of_its_tier(string tier, string? discoveryTag, string? clusterTag)
    {
        var subnets = TestStacks.Qas.OfType("aws:ec2:Subnet").Where(s => s.Tag("Tier") == tier).ToList();
        Assert.Equal(2, subnets.Count);
        foreach (var subnet in subnets)
        {
            var roleTags = subnet.Inputs["tags"]!.AsObject().Where(t => t.Key.StartsWith("kubernetes.io/role/", StringComparison.Ordinal)).Select(t => t.Key).ToList();
            Assert.Equal(discoveryTag is null ? [] : [discoveryTag], roleTags);
            if (discoveryTag is not null)
            {
                Assert.Equal("1", subnet.Tag(discoveryTag));
            }

            Assert.Equal(clusterTag, subnet.Tag("kubernetes.io/cluster/leadertools-qas"));
        }
    }

    [Fact]
    public void Eni_configs_use_the_pod_subnets_and_the_cluster_the_node_subnets()
    {
        var qas = TestStacks.Qas;
        string Tier(string? id) => qas.ById(id!).Tag("Tier")!;
        var eniConfigs = qas.Resources.Where(r => r.Type == "kubernetes:crd.k8s.amazonaws.com/v1alpha1:ENIConfig").ToList();
        Assert.Equal(2, eniConfigs.Count);
        Assert.All(eniConfigs, e => Assert.Equal("pods", Tier(e.Inputs["spec"]!["subnet"]!.GetValue<string>())));
        var cluster = qas.OfType("eks:Cluster").Single();
        Assert.All(cluster.Inputs["subnetIds"]!.AsArray(), id => Assert.Equal("nodes", Tier(id!.GetValue<string>())));
    }

    /// <summary>
    /// The groups a packet meets are those of the interface it reaches (issue 19, item 3): a node
    /// carries the EKS-created group and the guide's node group (its launch template names both), the
    /// control plane the cluster group and the EKS-created one, a pod the groups its ENIConfig names.
    /// </summary>
    [Theory]
    [InlineData(InterfaceKind.Node, new[] { "eks-managed", "nodes" })]
    [InlineData(InterfaceKind.ControlPlane, new[] { "cluster", "eks-managed" })]
    [InlineData(InterfaceKind.Pod, new[] { "eks-managed", "nodes" })]
    [InlineData(InterfaceKind.Gateway, new[] { "gateways" })]
    public void An_interface_carries_the_groups_of_its_kind_and_no_others(InterfaceKind kind, string[] groups)
    {
        var env = Infra.StackConfig.StackLoader.Load(new Infra.StackConfig.StackSource.StackFile(Repo.Root, "qas"));
        var design = SecurityDesign.All(env.Network, env.Cluster!);
        Assert.Equal(groups.Order(StringComparer.Ordinal), SecurityDesign.On(design, kind).Select(g => g.Name).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("nodes/us-west-2a", new[] { "node", "control-plane", "endpoint" })]
    [InlineData("pods/us-west-2b", new[] { "pod" })]
    [InlineData("public/us-west-2a", new[] { "gateway" })]
    public void A_subnet_offers_the_interfaces_the_stack_places_in_it_the_default_first(string subnet, string[] kinds)
    {
        var env = Infra.StackConfig.StackLoader.Load(new Infra.StackConfig.StackSource.StackFile(Repo.Root, "qas"));
        Assert.Equal(kinds, Infra.Review.Trace.InterfacesIn(ValidatedEnvironment.From(env), env.Network.FindSubnet(subnet)!).Select(k => k.Key()));
    }
}
