using Amazon.EC2.Model;
using Infra.Model.Cluster;
using Infra.Tests.Harness;

namespace Infra.Tests;

/// <summary>
/// Which AMI a node boots comes from EC2's instance data, never from a type's name (issue 31, item 4):
/// a1.* is arm64 and first-generation Graviton, which Amazon Linux 2023 does not run.
/// </summary>
public sealed class InstanceArchitectureTests
{
    private static CompilerResult CompileWith(params string[] instanceTypes)
    {
        var config = PulumiRun.StackConfig("qas");
        ConfigEdit.Set(config, "leadertools:nodeGroup.instanceTypes", new System.Text.Json.Nodes.JsonArray([.. instanceTypes.Select(t => (System.Text.Json.Nodes.JsonNode)t)]));
        ConfigEdit.Set(config, "leadertools:nodeGroup.maxPodsCap", 50);
        return PulumiRun.Compile("qas", config);
    }

    /// <summary>
    /// The shipped table is what EC2's DescribeInstanceTypes answers (here moto's recorded copy of it,
    /// read through the AWS SDK as tests/refresh-instance-architectures reads it through the CLI):
    /// every row, and every type the answer holds.
    /// </summary>
    [NeedsMotoFact]
    public void The_architecture_table_is_ec2s_describe_instance_types_answer()
    {
        using var moto = MotoServer.Start();
        using var ec2 = moto.Client("us-east-1");
        var answer = new Dictionary<string, string>(StringComparer.Ordinal);
        var paginator = ec2.Paginators.DescribeInstanceTypes(new DescribeInstanceTypesRequest());
        foreach (var type in paginator.InstanceTypes.ToBlockingEnumerable())
        {
            answer[type.InstanceType.Value] = string.Join(";", type.ProcessorInfo.SupportedArchitectures);
        }

        Assert.Equal(answer.Count, InstanceArchitectures.Embedded.Count);
        Assert.All(answer, kv => Assert.Equal(kv.Value, string.Join(";", InstanceArchitectures.Embedded.Of(kv.Key) ?? [])));
    }

    [Theory]
    [InlineData("m7g.large", "arm64")]
    [InlineData("c6gn.xlarge", "arm64")]
    [InlineData("t4g.medium", "arm64")]
    [InlineData("t3.medium", "x86_64")]
    [InlineData("m5.large", "x86_64")]
    [InlineData("c1.medium", "x86_64")] // EC2 lists i386 and x86_64: the 64-bit AMI boots it
    public void A_supported_type_boots_the_ami_of_its_ec2_architecture(string instanceType, string architecture) =>
        Assert.Equal(new NodeArchitecture(architecture, null), InstanceArchitectures.Embedded.AmiFor(instanceType));

    /// <summary>
    /// Amazon Linux 2023 User Guide, "AL2023 system requirements": for ARM-based instances AL2023
    /// supports only Graviton2 or later processors and does not support A1 instances. EC2 reports A1
    /// as arm64, so a name rule ('g' after the generation digit) sent it to the x86_64 AMI.
    /// </summary>
    [Theory]
    [InlineData("a1.medium")]
    [InlineData("a1.large")]
    [InlineData("a1.metal")]
    public void Graviton_1_is_refused_naming_the_key_and_why(string instanceType)
    {
        Assert.Equal(["arm64"], InstanceArchitectures.Embedded.Of(instanceType));
        var result = CompileWith(instanceType);
        Assert.Equal(1, result.ExitCode);
        Assert.Empty(result.Stdout);
        ErrorLines.AssertNames(result.Stderr, "leadertools:nodeGroup.instanceTypes[0]");
        Assert.Contains("Graviton2 or later", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Graviton_1_beside_an_x86_type_is_refused_not_taken_for_one_architecture()
    {
        var result = CompileWith("a1.large", "t3.medium");
        Assert.Equal(1, result.ExitCode);
        ErrorLines.AssertNames(result.Stderr, "leadertools:nodeGroup.instanceTypes[0]");
    }

    [Fact]
    public void Arm_and_x86_types_in_one_group_are_refused_as_two_amis()
    {
        var result = CompileWith("m7g.large", "t3.medium");
        Assert.Equal(1, result.ExitCode);
        ErrorLines.AssertNames(result.Stderr, "leadertools:nodeGroup.instanceTypes");
        Assert.Contains("mixes arm64 and x86_64", result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("mac1.metal")] // EC2: x86_64_mac
    [InlineData("mac2.metal")] // EC2: arm64_mac
    public void Mac_types_are_refused(string instanceType)
    {
        Assert.EndsWith("_mac", Assert.Single(InstanceArchitectures.Embedded.Of(instanceType)!), StringComparison.Ordinal);
        Assert.Contains("macOS", InstanceArchitectures.Embedded.AmiFor(instanceType).Refusal, StringComparison.Ordinal);
    }

    /// <summary>A type the ENI table knows but EC2's data here does not is refused, not guessed.</summary>
    [Fact]
    public void A_type_without_architecture_data_is_refused_with_how_to_refresh_it()
    {
        var unknown = InstanceLimits.Embedded.InstanceTypes.First(t => InstanceArchitectures.Embedded.Of(t) is null);
        var result = CompileWith(unknown);
        Assert.Equal(1, result.ExitCode);
        ErrorLines.AssertNames(result.Stderr, "leadertools:nodeGroup.instanceTypes[0]");
        Assert.Contains("tests/refresh-instance-architectures", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_type_of_the_eni_table_gets_an_ami_or_a_reason()
    {
        Assert.All(InstanceLimits.Embedded.InstanceTypes, t =>
        {
            var ami = InstanceArchitectures.Embedded.AmiFor(t);
            Assert.True(ami.Architecture is "x86_64" or "arm64" ^ ami.Refusal is not null, t);
        });
    }
}
