using Infra.Tests.Harness;

namespace Infra.Tests;

/// <summary>Max pods per node, each case worked by hand from the ENI limits table.</summary>
public sealed class MaxPodsTests
{
    [Theory]
    // t3.medium (2 vCPUs, AWS cap 110): 3 ENIs x 6 IPv4. Standard 3x5+2 = 17; custom (3-1)x5+2 = 12; prefixes (3-1)x5x16+2 = 162, capped at 110.
    [InlineData("t3.medium", PodNetworkingMode.Standard, null, 17)]
    [InlineData("t3.medium", PodNetworkingMode.CustomNetworking, null, 12)]
    [InlineData("t3.medium", PodNetworkingMode.CustomNetworkingWithPrefixDelegation, null, 110)]
    [InlineData("t3.medium", PodNetworkingMode.CustomNetworkingWithPrefixDelegation, 250, 162)]
    // m5.large (2 vCPUs): 3 x 10. Standard 3x9+2 = 29; custom 2x9+2 = 20; prefixes 2x9x16+2 = 290, capped at 110.
    [InlineData("m5.large", PodNetworkingMode.Standard, null, 29)]
    [InlineData("m5.large", PodNetworkingMode.CustomNetworking, null, 20)]
    [InlineData("m5.large", PodNetworkingMode.CustomNetworkingWithPrefixDelegation, null, 110)]
    // t3.nano (2 vCPUs): 2 x 2. Standard 2x1+2 = 4; custom 1x1+2 = 3; prefixes 1x1x16+2 = 18 (under the cap).
    [InlineData("t3.nano", PodNetworkingMode.Standard, null, 4)]
    [InlineData("t3.nano", PodNetworkingMode.CustomNetworking, null, 3)]
    [InlineData("t3.nano", PodNetworkingMode.CustomNetworkingWithPrefixDelegation, null, 18)]
    // c5.9xlarge (36 vCPUs, above 30: AWS cap 250): 8 x 30. Standard 8x29+2 = 234; custom 7x29+2 = 205;
    // prefixes 7x29x16+2 = 3250, capped at 250.
    [InlineData("c5.9xlarge", PodNetworkingMode.Standard, null, 234)]
    [InlineData("c5.9xlarge", PodNetworkingMode.CustomNetworking, null, 205)]
    [InlineData("c5.9xlarge", PodNetworkingMode.CustomNetworkingWithPrefixDelegation, null, 250)]
    // m5.24xlarge (96 vCPUs): 15 x 50. Standard 15x49+2 = 737, capped at 250 like every setup; a configured cap wins.
    [InlineData("m5.24xlarge", PodNetworkingMode.Standard, null, 250)]
    [InlineData("m5.24xlarge", PodNetworkingMode.CustomNetworkingWithPrefixDelegation, null, 250)]
    [InlineData("m5.24xlarge", PodNetworkingMode.CustomNetworking, 110, 110)]
    // m4.large (Xen, 2 vCPUs): 2 x 10. Standard 2x9+2 = 20; custom 1x9+2 = 11 (prefixes are not available on Xen).
    [InlineData("m4.large", PodNetworkingMode.Standard, null, 20)]
    [InlineData("m4.large", PodNetworkingMode.CustomNetworking, null, 11)]
    // Prefix delegation without custom networking: every ENI holds prefixes. t3.medium 3x5x16+2 = 242, capped at 110 (the case: not 17).
    [InlineData("t3.medium", PodNetworkingMode.PrefixDelegation, null, 110)]
    // t3.nano 2x1x16+2 = 34.
    [InlineData("t3.nano", PodNetworkingMode.PrefixDelegation, null, 34)]
    // c5.metal (bare metal, 96 vCPUs): 15 x 50, no prefixes whatever the setting: 15x49+2 = 737 and 14x49+2 = 688;
    // the configured cap of 1000 replaces AWS's 250, so neither is cut.
    [InlineData("c5.metal", PodNetworkingMode.PrefixDelegation, 1000, 737)]
    [InlineData("c5.metal", PodNetworkingMode.CustomNetworkingWithPrefixDelegation, 1000, 688)]
    public void Max_pods_matches_the_hand_worked_value(string instanceType, PodNetworkingMode mode, int? configuredCap, int expected) =>
        Assert.Equal(expected, MaxPods.ForKubelet(InstanceLimits.Embedded.Get(instanceType), mode, configuredCap));

    [Theory]
    [InlineData("t3.medium", 110)]
    [InlineData("c5.4xlarge", 110)] // 16 vCPUs
    [InlineData("c5.9xlarge", 250)] // 36 vCPUs
    [InlineData("m5.24xlarge", 250)] // 96 vCPUs
    public void Aws_cap_is_110_up_to_30_vcpus_and_250_above(string instanceType, int cap) =>
        Assert.Equal(cap, MaxPods.AwsCap(InstanceLimits.Embedded.Get(instanceType)));

    [Theory]
    [InlineData("m4.large", false)] // Xen
    [InlineData("t2.medium", false)] // Xen
    [InlineData("t3.medium", true)] // Nitro
    [InlineData("c5.metal", false)] // bare metal: EC2 reports no hypervisor, the calculator grants no prefixes
    public void Prefix_delegation_is_available_where_the_hypervisor_is_nitro_only(string instanceType, bool available) =>
        Assert.Equal(available, InstanceLimits.Embedded.Get(instanceType).SupportsPrefixDelegation);

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

    /// <summary>
    /// Every instance type of ../shared/data/ec2-eni-limits.csv in all four CNI setups, against
    /// AWS's max-pods calculator worked independently here from the file's own columns
    /// (awslabs/amazon-eks-ami max-pods-calculator.sh: custom networking drops one ENI; prefixes
    /// count 16 a slot only where the hypervisor is "nitro"; +2; the cap is 110 up to 30 vCPUs and
    /// 250 above, applied in every setup). Reports every instance type that disagrees.
    /// </summary>
    [NeedsSharedFact]
    public void Max_pods_agrees_with_the_calculator_for_every_instance_type_in_every_setup()
    {
        var lines = File.ReadAllLines(System.IO.Path.Combine(Repo.Shared!, "data", "ec2-eni-limits.csv")).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        var header = lines[0].Split(',');
        int Column(string name) => Array.IndexOf(header, name);
        var wrong = new List<string>();
        var checkedRows = 0;
        foreach (var row in lines.Skip(1).Select(l => l.Split(',')))
        {
            var vcpuText = row[Column("vcpus")];
            if (vcpuText.Length == 0)
            {
                continue; // no vCPU count: the stack must configure a cap (tested in ValidationRuleTests)
            }

            var type = row[Column("instance_type")];
            var enis = int.Parse(row[Column("max_enis")], System.Globalization.CultureInfo.InvariantCulture);
            var perEni = int.Parse(row[Column("ipv4_per_eni")], System.Globalization.CultureInfo.InvariantCulture);
            var nitro = row[Column("hypervisor")] == "nitro";
            var cap = int.Parse(vcpuText, System.Globalization.CultureInfo.InvariantCulture) > 30 ? 250 : 110;
            foreach (var (mode, custom, prefixes) in new[]
            {
                (PodNetworkingMode.Standard, false, false),
                (PodNetworkingMode.CustomNetworking, true, false),
                (PodNetworkingMode.PrefixDelegation, false, true),
                (PodNetworkingMode.CustomNetworkingWithPrefixDelegation, true, true),
            })
            {
                var usedEnis = custom ? enis - 1 : enis;
                var calculator = Math.Min(cap, (usedEnis * (perEni - 1) * (prefixes && nitro ? 16 : 1)) + 2);
                var ours = MaxPods.ForKubelet(InstanceLimits.Embedded.Get(type), mode, null);
                if (ours != calculator)
                {
                    wrong.Add($"{type} {mode}: {ours}, calculator {calculator}");
                }
            }

            checkedRows++;
        }

        Assert.True(checkedRows > 1000, $"only {checkedRows} rows read");
        Assert.Empty(wrong);
    }

    [Fact]
    public void Every_instance_type_of_the_table_is_loaded() =>
        Assert.True(InstanceLimits.Embedded.Count > 1000);
}
