using System.Text.Json.Nodes;
using Infra.Tests.Harness;

namespace Infra.Tests;

/// <summary>
/// Ways to open a port to the internet, or otherwise ship something dangerous, that `check` must see
/// whatever form the program uses (issue 10, item 7). Each case adds one resource to the qas program.
/// </summary>
public sealed class PolicyGapTests
{
    private static JsonNode Check(string program)
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, program);
            var result = InfraCli.Run("check", "--stack", "qas", "--program", file, "--format", "json");
            Assert.True(result.ExitCode is 0 or 2, result.Stderr);
            return JsonNode.Parse(result.Stdout)!;
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static List<string> RulesFor(string added, string resource, string variables = "")
    {
        var program = TestStacks.Program("qas").Replace("resources:\n", "resources:\n" + added.Replace("\r\n", "\n", StringComparison.Ordinal), StringComparison.Ordinal);
        if (variables.Length > 0)
        {
            // Into the program's own variables section.
            program = program.Replace("variables:\n", variables, StringComparison.Ordinal);
        }

        return [.. Check(program)["findings"]!.AsArray().Where(f => f!["resource"]!.GetValue<string>() == resource).Select(f => f!["ruleId"]!.GetValue<string>()).Order(StringComparer.Ordinal)];
    }

    [Theory]
    [InlineData("ipProtocol: tcp\n    fromPort: 22\n    toPort: 22\n    cidrIpv6: ::/0")]
    [InlineData("ipProtocol: \"6\"\n    fromPort: 22\n    toPort: 22\n    cidrIpv4: 0.0.0.0/0")]
    [InlineData("ipProtocol: TCP\n    fromPort: 22\n    toPort: 22\n    cidrIpv4: 0.0.0.0/0")]
    public void Ssh_open_to_the_internet_is_an_error_however_written(string properties)
    {
        var rule = $"  open:\n    type: aws:vpc:SecurityGroupIngressRule\n    properties:\n      securityGroupId: ${{security-group--nodes.id}}\n      {properties.Replace("\n    ", "\n      ", StringComparison.Ordinal)}\n";
        Assert.Equal(["INFRA001", "INFRA002"], RulesFor(rule, "open"));
    }

    [Fact]
    public void All_traffic_from_the_ipv6_internet_opens_ssh_and_rdp()
    {
        var rule = "  open:\n    type: aws:vpc:SecurityGroupIngressRule\n    properties:\n      securityGroupId: ${security-group--nodes.id}\n      ipProtocol: \"-1\"\n      cidrIpv6: ::/0\n";
        Assert.Equal(["INFRA001", "INFRA002", "INFRA002"], RulesFor(rule, "open"));
    }

    [Fact]
    public void Ssh_open_through_a_variable_is_an_error()
    {
        var rule = "  open:\n    type: aws:vpc:SecurityGroupIngressRule\n    properties:\n      securityGroupId: ${security-group--nodes.id}\n      ipProtocol: tcp\n      fromPort: 22\n      toPort: 22\n      cidrIpv4: ${everyone}\n";
        Assert.Equal(["INFRA001", "INFRA002"], RulesFor(rule, "open", "variables:\n  everyone: 0.0.0.0/0\n"));
    }

    [Fact]
    public void Two_halves_of_the_internet_are_the_internet()
    {
        var rules = "  half-a:\n    type: aws:vpc:SecurityGroupIngressRule\n    properties:\n      securityGroupId: ${security-group--nodes.id}\n      ipProtocol: tcp\n      fromPort: 22\n      toPort: 22\n      cidrIpv4: 0.0.0.0/1\n"
            + "  half-b:\n    type: aws:vpc:SecurityGroupIngressRule\n    properties:\n      securityGroupId: ${security-group--nodes.id}\n      ipProtocol: tcp\n      fromPort: 22\n      toPort: 22\n      cidrIpv4: 128.0.0.0/1\n";
        Assert.Equal(["INFRA001", "INFRA002"], RulesFor(rules, "half-a"));
    }

    [Fact]
    public void Inline_ingress_on_a_security_group_is_checked()
    {
        var group = "  inline-group:\n    type: aws:ec2:SecurityGroup\n    properties:\n      vpcId: ${eks-vpc.id}\n      ingress:\n        - protocol: tcp\n          fromPort: 3389\n          toPort: 3389\n          cidrBlocks:\n            - 0.0.0.0/0\n";
        Assert.Equal(["INFRA001", "INFRA002"], RulesFor(group, "inline-group"));
    }

    [Fact]
    public void Security_group_rule_resources_are_checked()
    {
        var rule = "  old-style:\n    type: aws:ec2:SecurityGroupRule\n    properties:\n      type: ingress\n      securityGroupId: ${security-group--nodes.id}\n      protocol: \"-1\"\n      fromPort: 0\n      toPort: 0\n      cidrBlocks:\n        - 10.0.0.0/8\n        - 0.0.0.0/0\n";
        Assert.Equal(["INFRA001", "INFRA002", "INFRA002"], RulesFor(rule, "old-style"));
    }

    [Fact]
    public void A_public_aws_eks_cluster_is_flagged_like_the_component()
    {
        var cluster = "  raw-cluster:\n    type: aws:eks:Cluster\n    properties:\n      roleArn: arn:aws:iam::123456789012:role/x\n      vpcConfig:\n        subnetIds:\n          - ${subnet-nodes-us-west-2a.id}\n";
        Assert.Equal(["INFRA003"], RulesFor(cluster, "raw-cluster"));
    }

    [Fact]
    public void A_program_without_resources_is_an_error()
    {
        var ids = Check("outputs:\n  x: 1\n")["findings"]!.AsArray().Select(f => f!["ruleId"]!.GetValue<string>());
        Assert.Contains("INFRA009", ids);
    }

    [Fact]
    public void Routes_hanging_on_the_only_gateway_are_a_single_point_of_failure()
    {
        var findings = InfraCli.Json("check", "--stack", "dev")["findings"]!.AsArray();
        Assert.Contains(findings, f => f!["ruleId"]!.GetValue<string>() == "INFRA004" && f["message"]!.GetValue<string>().Contains("the only gateway", StringComparison.Ordinal));
    }
}
