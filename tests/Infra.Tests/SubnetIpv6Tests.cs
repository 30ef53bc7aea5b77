using System.Net;
using System.Text.Json.Nodes;
using Infra.Model.Addressing;
using Infra.Review;
using Infra.Tests.Harness;

namespace Infra.Tests;

/// <summary>
/// A subnet's own IPv6 block (issue 29, item 2): `ipv6Index` names which /64 of the VPC's
/// Amazon-provided /56 it takes. The program writes the /64 from the /56 only `up` knows, with
/// pulumi-yaml's text functions; these tests run that text under the mock engine's pulumi-yaml
/// semantics for every shape EC2's shortest form gives a /56, and hold it to EC2's own text.
/// </summary>
public sealed class SubnetIpv6Tests
{
    /// <summary>dev with an IPv6 block, a dual-stack public subnet in each zone (1a's assigns and answers DNS64), and an IPv6-addressed node subnet.</summary>
    private static string DevDualStack(string publicA = "{ cidr: 10.150.3.0/26, ipv6Index: 0, assignIpv6: true, dns64: true }", string vpcIpv6 = "    amazonIpv6: true\n") =>
        TempProject.Edited(
            TempProject.Edited(
                TempProject.Edited(
                    TempProject.EditedStack("dev", "    primaryCidr: 10.150.0.0/22\n", "    primaryCidr: 10.150.0.0/22\n" + vpcIpv6),
                    "      us-east-1a: 10.150.3.0/26\n", $"      us-east-1a: {publicA}\n"),
                "      us-east-1b: 10.150.3.64/26\n", "      us-east-1b: { cidr: 10.150.3.64/26, ipv6Index: 17 }\n"),
            "      us-east-1a: 10.150.0.0/24\n", "      us-east-1a: { cidr: 10.150.0.0/24, ipv6Index: 9 }\n");

    private static (CompilerResult Result, string Program) Compile(string stackText)
    {
        using var project = new TempProject("ipv6").WithStack("dev", stackText);
        var result = InfraCli.Run("compile", "--stack", "dev", "--dir", project.Directory);
        return (result, result.Stdout);
    }

    /// <summary>Each subnet's ipv6CidrBlock as the program evaluates it when Amazon gives the VPC <paramref name="vpcBlock"/>.</summary>
    private static Dictionary<string, string> EvaluatedBlocks(string program, string vpcBlock) =>
        MockEngine.Run(program, DevConfig.Value, mocks: new Mocks { VpcIpv6Block = vpcBlock }).Resources
            .Where(r => r.Type == "aws:ec2:Subnet" && r.Inputs["ipv6CidrBlock"] is not null)
            .ToDictionary(r => r.Name, r => r.Inputs["ipv6CidrBlock"]!.GetValue<string>());

    // The program refers to no config value these edits change.
    private static readonly Lazy<JsonObject> DevConfig = new(() => PulumiRun.StackConfig("dev"));

    private static readonly Lazy<string> DualStackProgram = new(() =>
    {
        var (result, program) = Compile(DevDualStack());
        Assert.True(result.ExitCode == 0, result.Stderr);
        return program;
    });

    [Fact]
    public void Each_subnet_takes_its_index_of_the_vpcs_block_and_the_flags_it_states()
    {
        var blocks = EvaluatedBlocks(DualStackProgram.Value, "2600:1f14:e0e:7f00::/56");
        Assert.Equal(new Dictionary<string, string>
        {
            ["subnet-public-us-east-1a"] = "2600:1f14:e0e:7f00::/64",
            ["subnet-public-us-east-1b"] = "2600:1f14:e0e:7f11::/64",
            ["subnet-nodes-us-east-1a"] = "2600:1f14:e0e:7f09::/64",
        }, blocks);
        var program = ProgramSnapshot.Parse(DualStackProgram.Value, "program");
        var publicA = program.Resources.Single(r => r.Name == "subnet-public-us-east-1a");
        Assert.Equal("true", publicA["assignIpv6AddressOnCreation"]);
        Assert.Equal("true", publicA["enableDns64"]);
        var publicB = program.Resources.Single(r => r.Name == "subnet-public-us-east-1b");
        Assert.Null(publicB["assignIpv6AddressOnCreation"]);
        Assert.Null(publicB["enableDns64"]);
        Assert.Null(program.Resources.Single(r => r.Name == "subnet-pods-us-east-1a")["ipv6CidrBlock"]);
    }

    /// <summary>The shortest forms a /56 takes, and what each index of it is as EC2 writes it.</summary>
    [Theory]
    [InlineData("2600:1f14:e0e:7f00::/56", 0, "2600:1f14:e0e:7f00::/64")]
    [InlineData("2600:1f14:e0e:7f00::/56", 3, "2600:1f14:e0e:7f03::/64")]
    [InlineData("2600:1f14:e0e:700::/56", 3, "2600:1f14:e0e:703::/64")]
    [InlineData("2600:1f14:e0e:700::/56", 255, "2600:1f14:e0e:7ff::/64")]
    [InlineData("2600:1f14:e0e:a000::/56", 16, "2600:1f14:e0e:a010::/64")]
    // The fourth group 0: EC2 folds it into "::", and the /64's fourth group is the index alone.
    [InlineData("2600:1f14:e0e::/56", 0, "2600:1f14:e0e::/64")]
    [InlineData("2600:1f14:e0e::/56", 3, "2600:1f14:e0e:3::/64")]
    [InlineData("2600:1f14:e0e::/56", 16, "2600:1f14:e0e:10::/64")]
    // A third group ending in 00 before a folded fourth group: the "00" must stay the third group's.
    [InlineData("2600:1f14:ab00::/56", 1, "2600:1f14:ab00:1::/64")]
    [InlineData("2600:0:0:ab00::/56", 1, "2600:0:0:ab01::/64")]
    [InlineData("2600::/56", 171, "2600:0:0:ab::/64")]
    public void The_block_at_an_index_is_EC2s_shortest_text(string vpcBlock, int index, string expected)
    {
        Assert.Equal(expected, Ipv6SubnetBlocks.BlockAt(vpcBlock, index));
        Assert.Equal(index, Ipv6SubnetBlocks.IndexWithin(vpcBlock, expected));
    }

    [Theory]
    [InlineData("2600:1f14:e0e:7f00::/56", "2600:1f14:e0e:7e03::/64")]
    [InlineData("2600:1f14:e0e:7f00::/56", "2600:1f14:e0e:7f03::/80")]
    [InlineData("2600:1f14:e0e:7f00::/56", "10.0.0.0/24")]
    [InlineData("2600:1f14:e0e:7f00::/48", "2600:1f14:e0e:7f03::/64")]
    public void A_block_outside_the_vpcs_or_of_another_size_has_no_index(string vpcBlock, string subnetBlock) =>
        Assert.Null(Ipv6SubnetBlocks.IndexWithin(vpcBlock, subnetBlock));

    /// <summary>
    /// The program's text, run as pulumi-yaml runs it, over /56s of every shape (random groups,
    /// with zeros drawn often so that folded and shortened groups come up), at every index a
    /// subnet of the program takes, equals EC2's text for the block.
    /// </summary>
    [Fact]
    public void The_programs_text_gives_EC2s_block_for_any_vpc_block()
    {
        var (result, program) = Compile(IndexesSweep());
        Assert.True(result.ExitCode == 0, result.Stderr);
        var random = new Random(56);
        for (var sample = 0; sample < 60; sample++)
        {
            var bytes = new byte[16];
            for (var i = 0; i < 7; i++)
            {
                bytes[i] = random.Next(3) == 0 ? (byte)0 : (byte)random.Next(256);
            }

            bytes[0] = (byte)(bytes[0] | 0x20); // a global unicast address, as Amazon's are
            var vpcBlock = $"{new IPAddress(bytes)}/56";
            var blocks = EvaluatedBlocks(program, vpcBlock);
            Assert.Equal(SweepIndexes.Length, blocks.Count);
            foreach (var (name, block) in blocks)
            {
                // subnet-public-us-east-1a is the zone's first, subnet-public-us-east-1a--N its Nth.
                var ordinal = name.Contains("--", StringComparison.Ordinal) ? int.Parse(name[(name.LastIndexOf("--", StringComparison.Ordinal) + 2)..], System.Globalization.CultureInfo.InvariantCulture) : 1;
                Assert.Equal(Ipv6SubnetBlocks.BlockAt(vpcBlock, SweepIndexes[ordinal - 1]), block);
            }
        }
    }

    /// <summary>
    /// moto (the EC2 emulator the discovery tests run on) writes a /56 with leading zeros
    /// ("2400:6500:dc57:0b00::/56"); the program's text keeps the fourth group's style, so each
    /// subnet still gets the /64 at its index, written as the emulator writes it.
    /// </summary>
    [Fact]
    public void A_block_written_with_leading_zeros_still_gives_each_subnet_its_64()
    {
        const string vpcBlock = "2400:6500:dc57:0b00::/56";
        var blocks = EvaluatedBlocks(DualStackProgram.Value, vpcBlock);
        Assert.Equal("2400:6500:dc57:0b09::/64", blocks["subnet-nodes-us-east-1a"]);
        Assert.Equal(
            new Dictionary<string, int?> { ["subnet-public-us-east-1a"] = 0, ["subnet-public-us-east-1b"] = 17, ["subnet-nodes-us-east-1a"] = 9 },
            blocks.ToDictionary(b => b.Key, b => Ipv6SubnetBlocks.IndexWithin(vpcBlock, b.Value)));
    }

    private static readonly int[] SweepIndexes = [0, 1, 9, 15, 16, 17, 128, 160, 255];

    /// <summary>dev with nine IPv6 public subnets in us-east-1a, one at each index of <see cref="SweepIndexes"/>.</summary>
    private static string IndexesSweep() =>
        TempProject.Edited(
            TempProject.EditedStack("dev", "    primaryCidr: 10.150.0.0/22\n", "    primaryCidr: 10.150.0.0/22\n    amazonIpv6: true\n"),
            "      us-east-1a: 10.150.3.0/26\n",
            "      us-east-1a:\n" + string.Concat(SweepIndexes.Select((index, i) => $"        - {{ cidr: 10.150.2.{i * 16}/28, ipv6Index: {index} }}\n")));

    [Theory]
    [InlineData("    amazonIpv6: false\n", "{ cidr: 10.150.3.0/26, ipv6Index: 0 }", "leadertools:subnets.public.us-east-1a.ipv6Index", "set vpc.amazonIpv6: true")]
    [InlineData("    amazonIpv6: true\n", "{ cidr: 10.150.3.0/26, ipv6Index: 9 }", "leadertools:subnets.public.us-east-1a.ipv6Index", "subnet nodes/us-east-1a takes this /64 already")]
    [InlineData("    amazonIpv6: true\n", "{ cidr: 10.150.3.0/26, dns64: true }", "leadertools:subnets.public.us-east-1a.dns64", "needs `ipv6Index`")]
    [InlineData("    amazonIpv6: true\n", "{ cidr: 10.150.3.0/26, ipv6Index: 256 }", "leadertools:subnets.public.us-east-1a.ipv6Index", "256")]
    public void A_subnet_ipv6_mistake_is_one_message_naming_the_key(string vpcIpv6, string publicA, string key, string says)
    {
        var (result, program) = Compile(DevDualStack(publicA, vpcIpv6));
        Assert.NotEqual(0, result.ExitCode);
        Assert.Empty(program);
        Assert.True(result.Stderr.Split('\n').Any(l => l.Contains(key, StringComparison.Ordinal) && l.Contains(says, StringComparison.Ordinal)), result.Stderr);
    }

    /// <summary>
    /// terraform-provider-aws replaces a subnet whose IPv6 block changes while it assigned IPv6
    /// addresses (vpc_subnet.go's CustomizeDiff, v6); without that flag the block moves in place.
    /// </summary>
    [Theory]
    [InlineData(true, "replace")]
    [InlineData(false, "update")]
    public void Moving_a_subnets_ipv6_block_replaces_it_only_while_it_assigned_addresses(bool assign, string action)
    {
        var flags = assign ? ", assignIpv6: true" : "";
        var (beforeResult, before) = Compile(DevDualStack($"{{ cidr: 10.150.3.0/26, ipv6Index: 0{flags} }}"));
        var (afterResult, after) = Compile(DevDualStack($"{{ cidr: 10.150.3.0/26, ipv6Index: 5{flags} }}"));
        Assert.True(beforeResult.ExitCode == 0 && afterResult.ExitCode == 0, beforeResult.Stderr + afterResult.Stderr);
        var diff = ProgramDiff.Compare(ProgramSnapshot.Parse(before, "base"), ProgramSnapshot.Parse(after, "head"), "base", "head");
        Assert.Equal(action, Assert.Single(diff.Resources, c => c.Name == "subnet-public-us-east-1a").Action);
    }
}
