using Infra.Tests.Harness;

namespace Infra.Tests;

/// <summary>The mock engine must catch what Pulumi would: dangling references, cycles, missing outputs.</summary>
public sealed class MockEngineTests
{
    [Fact]
    public void Reference_to_an_undeclared_name_fails()
    {
        var program = "resources:\n  a:\n    type: aws:ec2:Vpc\n    properties:\n      cidrBlock: ${nowhere.id}\n";
        var error = Assert.Throws<MockEngineException>(() => MockEngine.Run(program));
        Assert.Contains("nowhere", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Dependency_cycle_fails()
    {
        var program = "resources:\n  a:\n    type: aws:ec2:Subnet\n    properties:\n      vpcId: ${b.id}\n  b:\n    type: aws:ec2:Subnet\n    properties:\n      vpcId: ${a.id}\n";
        var error = Assert.Throws<MockEngineException>(() => MockEngine.Run(program));
        Assert.Contains("cycle", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reference_to_an_output_the_resource_does_not_have_fails()
    {
        var program = "resources:\n  a:\n    type: aws:ec2:Vpc\n  b:\n    type: aws:ec2:Subnet\n    properties:\n      vpcId: ${a.noSuchOutput}\n";
        Assert.Throws<MockEngineException>(() => MockEngine.Run(program));
    }

    [Fact]
    public void Interpolations_and_invokes_resolve()
    {
        var program = "variables:\n  eni:\n    fn::invoke:\n      function: aws:ec2:getInstance\n      arguments:\n        instanceId: i-0123\n      options:\n        version: 7.48.0\n      return: networkInterfaceId\nresources:\n  a:\n    type: aws:ec2:Vpc\n    properties:\n      tags:\n        Name: vpc-${eni}-$${literal}\n";
        var deployment = MockEngine.Run(program);
        Assert.Equal("vpc-eni-of-i-0123-${literal}", deployment.Named("a").Tag("Name"));
    }

    [Fact]
    public void Object_keys_are_expressions_too()
    {
        // pulumi-yaml v1.38.1: pkg/pulumiyaml/ast/expr.go parses a key with ParseExpr, and
        // run.go evaluateObject evaluates it; an IRSA trust policy's condition keys rely on it.
        var program = "resources:\n  a:\n    type: aws:ec2:Vpc\n  b:\n    type: aws:ec2:Vpc\n    properties:\n      tags:\n        ${a.id}:sub: x\n        $${a.id}: y\n";
        var tags = MockEngine.Run(program).Named("b").Inputs["tags"]!.AsObject();
        Assert.Equal("x", tags["a_id:sub"]!.GetValue<string>());
        Assert.Equal("y", tags["${a.id}"]!.GetValue<string>());
    }
}
