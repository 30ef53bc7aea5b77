using Infra.Tests.Harness;

namespace Infra.Tests;

/// <summary>Every port and source of every security group rule, as the guide draws them.</summary>
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

    [Fact]
    public void Rules_are_exactly_those_the_guide_draws()
    {
        string[] expected =
        [
            // Cluster (control plane): the API server for nodes, and out to kubelets and webhooks.
            "leadertools-qas-cluster in tcp 443-443 leadertools-qas-nodes",
            "leadertools-qas-cluster out -1 all 0.0.0.0/0",

            // The group EKS creates, which managed nodes' primary interfaces carry: NodePorts from
            // each load balancer, for targets of instance type.
            "eks-created in tcp 30000-32767 leadertools-qas-lb-crownpeak",
            "eks-created in tcp 30000-32767 leadertools-qas-lb-ranktracker",
            "eks-created in tcp 30000-32767 leadertools-qas-lb-po3",

            // Nodes: API server ports and kubelet from the control plane, CoreDNS from both VPC
            // CIDRs, NodePorts from each load balancer, and node to node.
            "leadertools-qas-nodes in tcp 443-443 leadertools-qas-cluster",
            "leadertools-qas-nodes in tcp 6443-6443 leadertools-qas-cluster",
            "leadertools-qas-nodes in tcp 8443-8443 leadertools-qas-cluster",
            "leadertools-qas-nodes in tcp 10250-10250 leadertools-qas-cluster",
            "leadertools-qas-nodes in tcp 53-53 10.142.32.0/21",
            "leadertools-qas-nodes in udp 53-53 10.142.32.0/21",
            "leadertools-qas-nodes in tcp 53-53 100.96.32.0/21",
            "leadertools-qas-nodes in udp 53-53 100.96.32.0/21",
            "leadertools-qas-nodes in tcp 30000-32767 leadertools-qas-lb-crownpeak",
            "leadertools-qas-nodes in tcp 30000-32767 leadertools-qas-lb-ranktracker",
            "leadertools-qas-nodes in tcp 30000-32767 leadertools-qas-lb-po3",
            "leadertools-qas-nodes in -1 all leadertools-qas-nodes",
            "leadertools-qas-nodes out -1 all 0.0.0.0/0",
            "leadertools-qas-vpc-endpoints in tcp 443-443 10.142.32.0/21",
            "leadertools-qas-vpc-endpoints in tcp 443-443 100.96.32.0/21",

            // One load balancer group per application: HTTPS in from anywhere, everything out.
            "leadertools-qas-lb-crownpeak in tcp 443-443 0.0.0.0/0",
            "leadertools-qas-lb-crownpeak out -1 all 0.0.0.0/0",
            "leadertools-qas-lb-ranktracker in tcp 443-443 0.0.0.0/0",
            "leadertools-qas-lb-ranktracker out -1 all 0.0.0.0/0",
            "leadertools-qas-lb-po3 in tcp 443-443 0.0.0.0/0",
            "leadertools-qas-lb-po3 out -1 all 0.0.0.0/0",

            // The gateway interfaces this stack creates forward whatever the VPC routes to them.
            "leadertools-qas-gateways in -1 all 10.142.32.0/21",
            "leadertools-qas-gateways in -1 all 100.96.32.0/21",
            "leadertools-qas-gateways out -1 all 0.0.0.0/0",
        ];
        Assert.Equal(expected.Order(StringComparer.Ordinal), Rules().Order(StringComparer.Ordinal));
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
        foreach (var group in Qas.OfType("aws:ec2:SecurityGroup"))
        {
            Assert.False(group.Inputs.ContainsKey("ingress"), group.Name);
            Assert.False(group.Inputs.ContainsKey("egress"), group.Name);
        }
    }
}
