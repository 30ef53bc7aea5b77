using System.Text.Json.Nodes;
using Infra.Review;
using Infra.Tests.Harness;

namespace Infra.Tests;

/// <summary>
/// `diff --state FILE` (issue 19, item 2) against checkpoints the tests write in Pulumi's deployment
/// format, version 3 (pulumi/pulumi sdk/go/common/apitype/core.go: UntypedDeployment {version,
/// deployment}; DeploymentV3 {manifest, resources}; ResourceV3 {urn, custom, id, type, inputs,
/// outputs, parent, provider}; a secret is an object holding the key SecretSig with a ciphertext):
/// the shipped qas program, deployed under the mock engine, is the deployed state.
/// </summary>
public sealed class DiffStateTests
{
    private const string Ciphertext = "v1:c2VjcmV0LWNpcGhlcnRleHQtbmV2ZXItcHJpbnRlZA==";

    /// <summary>The state type token: aws modules are file paths (aws:ec2/vpc:Vpc), the eks components live in `index`.</summary>
    private static string StateType(string type)
    {
        var parts = type.Split(':');
        return parts switch
        {
            ["aws", var module, var name] => $"aws:{module}/{char.ToLowerInvariant(name[0])}{name[1..]}:{name}",
            ["eks", var name] => $"eks:index:{name}",
            _ => type,
        };
    }

    private static string Checkpoint(Action<JsonObject>? edit = null)
    {
        var deployment = TestStacks.Qas;
        var program = ProgramSnapshot.Parse(TestStacks.Program("qas"), "qas");
        var stack = "urn:pulumi:qas::leadertools::pulumi:pulumi:Stack::leadertools-qas";
        var resources = new JsonArray(new JsonObject { ["urn"] = stack, ["custom"] = false, ["type"] = "pulumi:pulumi:Stack" });
        foreach (var resource in deployment.Resources.Where(r => r.Parent is null))
        {
            var type = StateType(resource.Type);
            var inputs = resource.Inputs.DeepClone().AsObject();
            if (type.StartsWith("pulumi:providers:", StringComparison.Ordinal))
            {
                // As a provider's SDK class registers them: structured inputs JSON-encoded, and its version.
                inputs = new JsonObject(inputs.Select(kv => KeyValuePair.Create(kv.Key, kv.Value is JsonObject or JsonArray ? (JsonNode?)JsonValue.Create(kv.Value.ToJsonString()) : kv.Value?.DeepClone())));
                inputs["version"] = program.Find(resource.Name)!["(options).version"];
            }

            resources.Add(new JsonObject
            {
                ["urn"] = $"urn:pulumi:qas::leadertools::{type}::{resource.Name}",
                ["custom"] = !resource.Type.StartsWith("eks:", StringComparison.Ordinal) && resource.Type != "kubernetes:yaml/v2:ConfigGroup",
                ["id"] = resource.Id,
                ["type"] = type,
                ["inputs"] = inputs,
                ["outputs"] = resource.Outputs.DeepClone(),
                ["parent"] = stack,
                ["protect"] = program.Find(resource.Name)?["(options).protect"] == "true",
            });
        }

        var state = new JsonObject
        {
            ["version"] = 3,
            ["deployment"] = new JsonObject
            {
                ["manifest"] = new JsonObject { ["time"] = "2026-12-01T00:00:00Z", ["magic"] = "", ["version"] = "v3.200.0" },
                ["resources"] = resources,
            },
        };
        edit?.Invoke(state);
        return state.ToJsonString();
    }

    private static JsonNode Resource(JsonObject state, string name) =>
        state["deployment"]!["resources"]!.AsArray().Single(r => r!["urn"]!.GetValue<string>().EndsWith($"::{name}", StringComparison.Ordinal))!;

    private static (CompilerResult Result, JsonNode? Diff) DiffState(string checkpoint, string format = "json")
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, checkpoint);
            var result = InfraCli.Run("diff", "--stack", "qas", "--state", file, "--format", format);
            return (result, format == "json" && result.ExitCode is 0 or 2 or 4 or 5 ? JsonNode.Parse(result.Stdout) : null);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void The_program_against_its_own_deployment_has_no_changes()
    {
        var (result, diff) = DiffState(Checkpoint());
        Assert.True(result.ExitCode == 0, string.Join("\n", diff?["resources"]?.AsArray().Select(r => $"{r!["action"]} {r["name"]}: {string.Join(", ", r["changes"]!.AsArray().Select(c => $"{c!["path"]} {c["old"]} -> {c["new"]}"))}") ?? [result.Stderr]));
    }

    [Fact]
    public void A_deployed_input_the_program_changes_is_an_update()
    {
        var (result, diff) = DiffState(Checkpoint(s => Resource(s, "node-group")["inputs"]!["scalingConfig"]!["maxSize"] = 4));
        Assert.Equal(2, result.ExitCode);
        var change = diff!["resources"]!.AsArray().Single()!;
        Assert.Equal(("update", "node-group"), (change["action"]!.GetValue<string>(), change["name"]!.GetValue<string>()));
        Assert.Equal(("scalingConfig.maxSize", "4", "6"), (change["changes"]![0]!["path"]!.GetValue<string>(), change["changes"]![0]!["old"]!.GetValue<string>(), change["changes"]![0]!["new"]!.GetValue<string>()));
    }

    [Fact]
    public void A_deployed_cluster_of_another_name_is_replaced_and_refused_as_protected_in_the_state()
    {
        var (result, diff) = DiffState(Checkpoint(s => Resource(s, "eks-cluster")["inputs"]!["name"] = "leadertools-old"));
        Assert.Equal(5, result.ExitCode);
        Assert.Contains(diff!["refusals"]!.AsArray(), r => r!["rule"]!.GetValue<string>() == "APPLY007" && r["resource"]!.GetValue<string>() == "eks-cluster");
        var cluster = diff!["resources"]!.AsArray().Single(r => r!["name"]!.GetValue<string>() == "eks-cluster")!;
        Assert.Equal("replace", cluster["action"]!.GetValue<string>());
        Assert.Equal("name", cluster["replaceReasons"]![0]!["path"]!.GetValue<string>());
    }

    /// <summary>
    /// The same truth as --base (issue 28, item 6): a subnet the state holds at another CIDR is
    /// replaced, and what refers to it follows, although the state's ids are all resolved.
    /// </summary>
    [Fact]
    public void A_subnet_replaced_through_drift_carries_what_refers_to_it()
    {
        var (_, diff) = DiffState(Checkpoint(s => Resource(s, "subnet-pods-us-west-2a")["inputs"]!["cidrBlock"] = "100.96.40.0/22"));
        var actions = diff!["resources"]!.AsArray().ToDictionary(r => r!["name"]!.GetValue<string>(), r => r!["action"]!.GetValue<string>());
        Assert.Equal("replace", actions["subnet-pods-us-west-2a"]);
        Assert.Equal("update", actions["eni-configs"]);
    }

    /// <summary>Protection is read from the state's `protect`: a deployment made without it is protected by this up, no provider call.</summary>
    [Fact]
    public void Protection_comes_from_the_state()
    {
        var (result, diff) = DiffState(Checkpoint(s => Resource(s, "eks-vpc")["protect"] = false));
        Assert.Equal(2, result.ExitCode);
        var vpc = diff!["resources"]!.AsArray().Single()!;
        Assert.Equal(("eks-vpc", "protect"), (vpc["name"]!.GetValue<string>(), vpc["action"]!.GetValue<string>()));
    }

    /// <summary>The deployed provider's default tags, stored JSON-encoded, are compared with the program's, and their effect shown.</summary>
    [Fact]
    public void Default_tags_deployed_otherwise_update_the_provider_and_every_tagged_resource()
    {
        var (_, diff) = DiffState(Checkpoint(s => Resource(s, "aws-provider")["inputs"]!["defaultTags"] = "{\"tags\":{\"Project\":\"leadertools\",\"Environment\":\"qas\"}}"));
        var provider = diff!["resources"]!.AsArray().Single(r => r!["name"]!.GetValue<string>() == "aws-provider")!;
        Assert.Equal("update", provider["action"]!.GetValue<string>());
        Assert.Contains(diff["resources"]!.AsArray(), r => r!["name"]!.GetValue<string>() == "eks-vpc" && r["changes"]!.AsArray().Any(c => c!["path"]!.GetValue<string>() == "tagsAll"));
    }

    [Fact]
    public void What_the_program_no_longer_declares_is_deleted_and_what_is_new_is_created()
    {
        var (result, diff) = DiffState(Checkpoint(s =>
        {
            var resources = s["deployment"]!["resources"]!.AsArray();
            resources.Remove(Resource(s, "coredns-addon"));
            var extra = Resource(s, "security-group--lb-po3").DeepClone();
            extra["urn"] = "urn:pulumi:qas::leadertools::aws:ec2/securityGroup:SecurityGroup::security-group--lb-retired";
            resources.Add(extra);
        }));
        Assert.Equal(2, result.ExitCode);
        var actions = diff!["resources"]!.AsArray().ToDictionary(r => r!["name"]!.GetValue<string>(), r => r!["action"]!.GetValue<string>());
        Assert.Equal("create", actions["coredns-addon"]);
        Assert.Equal("delete", actions["security-group--lb-retired"]);
    }

    [Fact]
    public void A_secret_in_the_state_is_never_printed()
    {
        var checkpoint = Checkpoint(s =>
        {
            var inputs = Resource(s, "eks-vpc")["inputs"]!.AsObject();
            inputs["cidrBlock"] = new JsonObject { [DeployedState.SecretSignature] = "1b47061264138c4ac30d75fd1eb44270", ["ciphertext"] = Ciphertext };
        });
        foreach (var format in new[] { "json", "text", "markdown" })
        {
            var (result, _) = DiffState(checkpoint, format);
            Assert.DoesNotContain(Ciphertext, result.Stdout, StringComparison.Ordinal);
            Assert.DoesNotContain("c2VjcmV0", result.Stdout + result.Stderr, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("{\"version\":2,\"deployment\":{}}", "version 3")]
    [InlineData("not json", "not JSON")]
    public void A_file_that_is_not_a_version_3_deployment_is_refused_naming_the_option(string text, string why)
    {
        var (result, _) = DiffState(text);
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("", result.Stdout);
        Assert.Contains("--state = ", result.Stderr, StringComparison.Ordinal);
        Assert.Contains(why, result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Base_and_state_together_are_refused() =>
        Assert.Equal(1, InfraCli.Run("diff", "--stack", "qas", "--base", "HEAD", "--state", "x.json").ExitCode);

    [Theory]
    [InlineData("aws:ec2/vpc:Vpc", "aws:ec2:Vpc")]
    [InlineData("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "aws:vpc:SecurityGroupIngressRule")]
    [InlineData("eks:index:ManagedNodeGroup", "eks:ManagedNodeGroup")]
    [InlineData("kubernetes:helm.sh/v3:Release", "kubernetes:helm.sh/v3:Release")]
    [InlineData("pulumi:providers:kubernetes", "pulumi:providers:kubernetes")]
    public void State_type_tokens_read_as_the_program_writes_them(string state, string program) =>
        Assert.Equal(program, DeployedState.ProgramType(state));
}
