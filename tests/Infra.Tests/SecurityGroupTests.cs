using Infra.Tests.Harness;

namespace Infra.Tests;

/// <summary>The guide's security group rules (its "Security Groups Flow" section), one fact each.</summary>
public sealed class SecurityGroupTests
{
    private static MockDeployment Qas => TestStacks.Qas;

    private static string EksManagedGroupId => Qas.OfType("eks:Cluster").Single().Outputs["eksCluster"]!["vpcConfig"]!["clusterSecurityGroupId"]!.GetValue<string>();

    /// <summary>Our groups by their Name tag; the group EKS creates by what it is.</summary>
    private static string GroupName(string id) => id == EksManagedGroupId ? "eks-created" : Qas.ById(id).Tag("Name")!;

    /// <summary>(group, direction, protocol, ports, peer) of every rule in the program.</summary>
    private static IEnumerable<string> Rules() =>
        Qas.OfType("aws:vpc:SecurityGroupIngressRule").Select(r => Describe(r, "in"))
            .Concat(Qas.OfType("aws:vpc:SecurityGroupEgressRule").Select(r => Describe(r, "out")));

    private static string Describe(MockResource rule, string direction)
    {
        var ports = rule.Input("ipProtocol") == "-1" ? "all" : $"{rule.Input("fromPort")}-{rule.Input("toPort")}";
        var peer = rule.Input("cidrIpv4") ?? GroupName(rule.Input("referencedSecurityGroupId")!);
        return $"{GroupName(rule.Input("securityGroupId")!)} {direction} {rule.Input("ipProtocol")} {ports} {peer}";
    }

    /// <summary>The node group that stands for the guide's sg-07019a3af3f18cfa1.</summary>
    private static string NodeGroupName => Qas.OfType("aws:ec2:SecurityGroup").Single(g => g.Tag("ReplicaOf") == "sg-07019a3af3f18cfa1").Tag("Name")!;

    private static IEnumerable<string> LoadBalancerGroupNames =>
        Qas.OfType("aws:ec2:SecurityGroup").Select(g => g.Tag("Name")!).Where(n => n.Contains("-lb-", StringComparison.Ordinal));

    private static bool Admits(string group, string protocol, int port, Func<string, bool>? peer = null) =>
        Qas.OfType("aws:vpc:SecurityGroupIngressRule").Any(r =>
            GroupName(r.Input("securityGroupId")!) == group
            && (r.Input("ipProtocol") == "-1" || (r.Input("ipProtocol") == protocol && int.Parse(r.Input("fromPort")!, System.Globalization.CultureInfo.InvariantCulture) <= port && port <= int.Parse(r.Input("toPort")!, System.Globalization.CultureInfo.InvariantCulture)))
            && (peer is null || peer(r.Input("cidrIpv4") ?? GroupName(r.Input("referencedSecurityGroupId")!))));

    // "Node Security Groups: sg-07019a3af3f18cfa1 - API Server: 443, 6443, 8443; Kubelet: 10250"
    [Theory]
    [InlineData(443)]
    [InlineData(6443)]
    [InlineData(8443)]
    [InlineData(10250)]
    public void The_node_group_admits_the_guides_api_server_and_kubelet_ports_from_the_control_plane(int port) =>
        Assert.True(Admits(NodeGroupName, "tcp", port, peer => peer.EndsWith("-cluster", StringComparison.Ordinal)), $"{NodeGroupName} tcp {port}");

    // "CoreDNS: 53"
    [Theory]
    [InlineData("tcp", "10.142.32.0/21")]
    [InlineData("udp", "10.142.32.0/21")]
    [InlineData("tcp", "100.96.32.0/21")]
    [InlineData("udp", "100.96.32.0/21")]
    public void The_node_group_admits_coredns_on_53_from_both_vpc_blocks(string protocol, string block) =>
        Assert.True(Admits(NodeGroupName, protocol, 53, peer => peer == block));

    // "NodePort: 30000-32767", reached from the load balancers of "Internet -> ALB Security Groups -> Node Security Groups".
    [Theory]
    [InlineData(30000)]
    [InlineData(32767)]
    public void The_node_group_admits_nodeports_from_every_load_balancer_group(int port)
    {
        Assert.NotEmpty(LoadBalancerGroupNames);
        Assert.All(LoadBalancerGroupNames, lb => Assert.True(Admits(NodeGroupName, "tcp", port, peer => peer == lb), $"{lb} -> {NodeGroupName}:{port}"));
    }

    // "Worker nodes -> HTTPS:443 -> EKS control plane"
    [Fact]
    public void The_control_plane_admits_https_from_the_nodes() =>
        Assert.True(Admits("leadertools-qas-cluster", "tcp", 443, peer => peer == NodeGroupName));

    // "ALB Security Groups: Inbound: 443 <- 0.0.0.0/0; Outbound: ALL -> 0.0.0.0/0"
    [Fact]
    public void Each_load_balancer_group_admits_https_from_anywhere_and_sends_anything_anywhere()
    {
        Assert.Equal(3, LoadBalancerGroupNames.Count());
        foreach (var lb in LoadBalancerGroupNames)
        {
            Assert.Equal([$"{lb} in tcp 443-443 0.0.0.0/0"], Rules().Where(r => r.StartsWith(lb + " in ", StringComparison.Ordinal)));
            Assert.Equal([$"{lb} out -1 all 0.0.0.0/0"], Rules().Where(r => r.StartsWith(lb + " out ", StringComparison.Ordinal)));
        }
    }

    /// <summary>The internet reaches only the load balancers, and only on 443 (the guide's one inbound path).</summary>
    [Fact]
    public void Only_load_balancer_groups_admit_the_internet()
    {
        var open = Rules().Where(r => r.EndsWith(" 0.0.0.0/0", StringComparison.Ordinal) && r.Contains(" in ", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(open);
        Assert.All(open, r => Assert.Matches(@"^leadertools-qas-lb-[a-z0-9-]+ in tcp 443-443 0\.0\.0\.0/0$", r));
    }

    // "EKS Cluster Security Group: sg-0da734f201fa4ca64, all traffic within cluster (auto-created by EKS)":
    // EKS creates it and its self-rule; the stack tags it and adds the NodePorts managed nodes need.
    [Fact]
    public void The_eks_created_group_is_tagged_as_the_guides_and_admits_nodeports_from_the_load_balancers()
    {
        var tag = Qas.OfType("aws:ec2:Tag").Single(t => t.Input("key") == "ReplicaOf");
        Assert.Equal("sg-0da734f201fa4ca64", tag.Input("value"));
        Assert.Equal(EksManagedGroupId, tag.Input("resourceId"));
        Assert.All(LoadBalancerGroupNames, lb => Assert.True(Admits("eks-created", "tcp", 30000, peer => peer == lb)));
    }

    [Theory]
    [InlineData("crownpeak", "sg-092ea2ae08df86c55")]
    [InlineData("ranktracker", "sg-0370741c2e987fb22")]
    [InlineData("po3", "sg-064225f82ef9578e6")]
    public void Each_application_gets_a_load_balancer_group_replicating_the_guides(string application, string replicaOf)
    {
        var group = Qas.OfType("aws:ec2:SecurityGroup").Single(g => g.Tag("Name") == $"leadertools-qas-lb-{application}");
        Assert.Equal(replicaOf, group.Tag("ReplicaOf"));
        Assert.Equal(Qas.OfType("aws:ec2:Vpc").Single().Id, group.Input("vpcId"));
    }

    [Fact]
    public void No_group_mixes_inline_rules_with_rule_resources()
    {
        var groups = Qas.OfType("aws:ec2:SecurityGroup").ToList();
        Assert.NotEmpty(groups);
        foreach (var group in groups)
        {
            Assert.False(group.Inputs.ContainsKey("ingress"), group.Name);
            Assert.False(group.Inputs.ContainsKey("egress"), group.Name);
        }
    }
}
