using Infra.Model.Cluster;

namespace Infra.Tests;

/// <summary>Max pods per node, each case worked by hand from the ENI limits table.</summary>
public sealed class MaxPodsTests
{
    [Theory]
    // t3.medium: 3 ENIs x 6 IPv4. Standard 3x5+2 = 17; custom (3-1)x5+2 = 12; prefixes (3-1)x5x16+2 = 162, cap 110.
    [InlineData("t3.medium", PodNetworkingMode.Standard, 110, 17)]
    [InlineData("t3.medium", PodNetworkingMode.CustomNetworking, 110, 12)]
    [InlineData("t3.medium", PodNetworkingMode.CustomNetworkingWithPrefixDelegation, 110, 110)]
    [InlineData("t3.medium", PodNetworkingMode.CustomNetworkingWithPrefixDelegation, 250, 162)]
    // m5.large: 3 x 10. Standard 3x9+2 = 29; custom 2x9+2 = 20; prefixes 2x9x16+2 = 290, cap 110.
    [InlineData("m5.large", PodNetworkingMode.Standard, 110, 29)]
    [InlineData("m5.large", PodNetworkingMode.CustomNetworking, 110, 20)]
    [InlineData("m5.large", PodNetworkingMode.CustomNetworkingWithPrefixDelegation, 110, 110)]
    // t3.nano: 2 x 2. Standard 2x1+2 = 4; custom 1x1+2 = 3; prefixes 1x1x16+2 = 18 (under the cap).
    [InlineData("t3.nano", PodNetworkingMode.Standard, 110, 4)]
    [InlineData("t3.nano", PodNetworkingMode.CustomNetworking, 110, 3)]
    [InlineData("t3.nano", PodNetworkingMode.CustomNetworkingWithPrefixDelegation, 110, 18)]
    // m5.24xlarge: 15 x 50. Standard 15x49+2 = 737; prefixes 14x49x16+2 = 10978, cap 250 when configured.
    [InlineData("m5.24xlarge", PodNetworkingMode.Standard, 110, 737)]
    [InlineData("m5.24xlarge", PodNetworkingMode.CustomNetworkingWithPrefixDelegation, 250, 250)]
    public void Max_pods_matches_the_hand_worked_value(string instanceType, PodNetworkingMode mode, int cap, int expected) =>
        Assert.Equal(expected, MaxPods.ForKubelet(InstanceLimits.Embedded.Get(instanceType), mode, cap));

    [Theory]
    [InlineData("t3.medium")]
    [InlineData("m5.large")]
    [InlineData("m5.xlarge")]
    [InlineData("c5.large")]
    public void Standard_mode_agrees_with_the_max_pods_aws_publishes(string instanceType)
    {
        var limits = InstanceLimits.Embedded.Get(instanceType);
        Assert.Equal(limits.PublishedDefaultMaxPods, MaxPods.Uncapped(limits, PodNetworkingMode.Standard));
    }

    [Fact]
    public void Every_instance_type_of_the_table_is_loaded() =>
        Assert.True(InstanceLimits.Embedded.Count > 1000);
}
