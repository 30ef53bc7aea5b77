using System.Text.Json.Nodes;
using Infra.Tests.Harness;

namespace Infra.Tests;

/// <summary>Hardening round three (issue 20): the fuzzer's reproducers that need more than a corpus line.</summary>
public sealed class HardeningTests
{
    [Fact]
    public void More_gateway_interfaces_than_the_subnet_has_addresses_are_refused()
    {
        // A /25 has 128 - 5 = 123 usable addresses; 124 interfaces do not fit.
        var config = PulumiRun.StackConfig("qas");
        var gateways = config["leadertools:gateways"]!.AsObject();
        for (var i = 0; i < 123; i++)
        {
            gateways[$"extra-{i:D3}"] = JsonNode.Parse("""{"interface":{"subnet":"public/us-west-2a"}}""");
        }

        var result = PulumiRun.Compile("qas", config);
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("", result.Stdout);
        Assert.Contains("the stack takes 124 addresses in public/us-west-2a (124 gateway interfaces), which has 123 usable", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Interfaces_endpoints_and_the_control_plane_are_counted_in_a_node_subnet()
    {
        // A /28 node subnet: 11 usable; the control plane's 6 and 8 interface endpoints need 14.
        var config = PulumiRun.StackConfig("qas");
        ConfigEdit.Set(config, "leadertools:subnets.nodes.us-west-2a", "10.142.36.0/28");
        var result = PulumiRun.Compile("qas", config);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("which has 11 usable", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_carriage_return_in_free_text_reaches_pulumi_as_written()
    {
        var config = PulumiRun.StackConfig("qas");
        ConfigEdit.Set(config, "leadertools:gateways.aviatrix-primary.description", "a\rb");
        var result = PulumiRun.Compile("qas", config);
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("\"a\\rb\"", result.Stdout, StringComparison.Ordinal);
        var deployment = MockEngine.Run(result.Stdout, config);
        Assert.Contains(deployment.Resources, r => r.Tag("Description") == "a\rb" || r.Inputs["description"]?.ToString() == "a\rb");
    }

    [Theory]
    [InlineData("PULUMI_STACK", "a;touch ./PWNED")]
    [InlineData("PULUMI_STACK", "x/../../f")]
    [InlineData("PULUMI_PROJECT", "a;touch ./PWNED")]
    public void Stack_and_project_names_from_pulumi_are_validated_as_the_stack_option_is(string variable, string value)
    {
        var environment = new Dictionary<string, string>
        {
            ["PULUMI_STACK"] = "qas",
            ["PULUMI_PROJECT"] = PulumiRun.ProjectName,
            ["PULUMI_ROOT_DIRECTORY"] = Repo.Root,
            ["PULUMI_CONFIG"] = PulumiRun.EncodeConfig(PulumiRun.StackConfig("qas")),
            [variable] = value,
        };
        var result = PulumiRun.Run([], environment);
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("", result.Stdout);
        ErrorLines.AssertNames(result.Stderr, variable);
    }

    [Fact]
    public void A_five_thousand_character_stack_name_from_pulumi_is_refused()
    {
        var environment = new Dictionary<string, string>
        {
            ["PULUMI_STACK"] = new string('s', 5000),
            ["PULUMI_PROJECT"] = PulumiRun.ProjectName,
            ["PULUMI_CONFIG"] = PulumiRun.EncodeConfig(PulumiRun.StackConfig("qas")),
        };
        var result = PulumiRun.Run([], environment);
        Assert.Equal(1, result.ExitCode);
        ErrorLines.AssertNames(result.Stderr, "PULUMI_STACK");
        Assert.True(result.Stderr.Length < 1000);
    }

    [Fact]
    public void More_route_tables_than_a_vpc_holds_are_refused()
    {
        var config = PulumiRun.StackConfig("qas");
        var tables = config["leadertools:routeTables"]!.AsObject();
        for (var i = 0; i < 198; i++)
        {
            tables[$"extra-{i:D3}"] = JsonNode.Parse("""{"routes":[]}""");
        }

        var result = PulumiRun.Compile("qas", config);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("a VPC holds 200 route tables by default", result.Stderr, StringComparison.Ordinal);
    }
}
