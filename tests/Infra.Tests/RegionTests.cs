using System.Text.Json.Nodes;
using Infra.Tests.Harness;

namespace Infra.Tests;

/// <summary>Issue 20, item 12: every commercial AWS region, from AWS's published list.</summary>
public sealed class RegionTests
{
    /// <summary>
    /// The commercial regions (partition "aws") as AWS lists them on 2026-12-03: AWS General
    /// Reference, "AWS Regions" (docs.aws.amazon.com/global-infrastructure/latest/regions/aws-regions.html).
    /// </summary>
    private static readonly string[] AwsCommercialRegions =
    [
        "us-east-1", "us-east-2", "us-west-1", "us-west-2",
        "af-south-1",
        "ap-east-1", "ap-east-2", "ap-south-1", "ap-south-2",
        "ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
        "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4", "ap-southeast-5", "ap-southeast-6", "ap-southeast-7",
        "ca-central-1", "ca-west-1",
        "eu-central-1", "eu-central-2", "eu-west-1", "eu-west-2", "eu-west-3", "eu-south-1", "eu-south-2", "eu-north-1",
        "il-central-1", "me-south-1", "me-central-1", "mx-central-1",
        "sa-east-1",
    ];

    public static TheoryData<string> CommercialRegions { get; } = [.. AwsCommercialRegions];

    /// <summary>The qas stack moved to another region: its zones renamed to the region's first two.</summary>
    private static JsonObject QasIn(string region)
    {
        var zones = Regions.ZonesOf(region).Take(2).ToList();
        var text = PulumiRun.StackConfig("qas").ToJsonString()
            .Replace("us-west-2a", zones[0], StringComparison.Ordinal)
            .Replace("us-west-2b", zones[1], StringComparison.Ordinal)
            .Replace("us-west-2", region, StringComparison.Ordinal);
        return JsonNode.Parse(text)!.AsObject();
    }

    [Theory]
    [MemberData(nameof(CommercialRegions))]
    public void A_stack_in_any_commercial_region_compiles_with_that_regions_eks_registry(string region)
    {
        var result = PulumiRun.Compile("qas", QasIn(region));
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Contains($".dkr.ecr.{region}.amazonaws.com/amazon/aws-load-balancer-controller", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void The_region_table_holds_exactly_the_commercial_regions_and_each_has_its_eks_registry()
    {
        Assert.Equal(AwsCommercialRegions.Order(StringComparer.Ordinal), Regions.KnownRegions);
        Assert.All(Regions.KnownRegions, r => Assert.True(EksImageRegistries.Knows(r), $"{r} has no EKS add-on registry"));
    }

    /// <summary>GovCloud and China are partitions of their own, said as such (issue 32, item 12); a misspelling gets a suggestion.</summary>
    [Theory]
    [InlineData("us-gov-west-1", "an AWS GovCloud (US) region: a partition of its own")]
    [InlineData("cn-north-1", "an AWS China region: a partition of its own")]
    [InlineData("us-west-3", "not an AWS commercial region; did you mean us-west-1 or us-west-2?")]
    [InlineData("us-wset-2", "not an AWS commercial region; did you mean us-west-2?")]
    [InlineData("mars-north-1", "not an AWS commercial region (known: ")]
    public void A_region_outside_the_commercial_partition_is_refused_by_key_and_value(string region, string why)
    {
        var config = PulumiRun.StackConfig("qas");
        config["aws:region"] = region;
        var result = PulumiRun.Compile("qas", config);
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("", result.Stdout);
        Assert.Contains($"aws:region = {region}: {why}", result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("us-west-1c", "us-west-1", true)] // older accounts are offered it
    [InlineData("ap-northeast-1b", "ap-northeast-1", true)]
    [InlineData("mx-central-1a", "mx-central-1", true)]
    [InlineData("ca-central-1c", "ca-central-1", false)]
    [InlineData("eu-south-2d", "eu-south-2", false)]
    public void Zone_letters_are_those_an_account_may_be_offered(string zone, string region, bool belongs) =>
        Assert.Equal(belongs, Regions.ZoneBelongsTo(zone, region));
}
