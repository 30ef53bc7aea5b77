namespace Infra.Tests;

/// <summary>The CIDR arithmetic and AWS addressing rules, table by table.</summary>
public sealed class AddressingTests
{
    [Theory]
    [InlineData("10.142.32.0/21", "10.142.32.0/21", 2048)]
    [InlineData("0.0.0.0/0", "0.0.0.0/0", 4294967296)]
    [InlineData("208.75.11.75/32", "208.75.11.75/32", 1)]
    [InlineData("100.96.36.0/22", "100.96.36.0/22", 1024)]
    public void Valid_cidrs_parse_and_print_back(string text, string printed, long size)
    {
        var cidr = Cidr.Parse(text);
        Assert.Equal(printed, cidr.ToString());
        Assert.Equal(size, cidr.Size);
    }

    [Theory]
    [InlineData("10.142.32.1/21", "host bits")]
    [InlineData("10.142.32.0", "ADDRESS/PREFIX")]
    [InlineData("10.142.32.0/33", "prefix length")]
    [InlineData("10.142.32.0/-1", "prefix length")]
    [InlineData("10.142.32/21", "dotted-quad")]
    [InlineData("10.142.032.0/21", "dotted-quad")]
    [InlineData("10.142.256.0/21", "dotted-quad")]
    [InlineData("::1/128", "dotted-quad")]
    [InlineData("", "empty")]
    [InlineData("10.0.0.0/8/8", "ADDRESS/PREFIX")]
    public void Malformed_cidrs_are_rejected_with_the_reason(string text, string reason)
    {
        Assert.False(Cidr.TryParse(text, out _, out var problem));
        Assert.Contains(reason, problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("10.142.32.0/21", "10.142.36.0/24", true)]
    [InlineData("10.142.32.0/21", "10.142.40.0/24", false)]
    [InlineData("100.96.32.0/21", "100.96.36.0/22", true)]
    [InlineData("10.142.36.0/24", "10.142.32.0/21", false)]
    [InlineData("0.0.0.0/0", "208.75.11.75/32", true)]
    public void Containment(string outer, string inner, bool contains) =>
        Assert.Equal(contains, Cidr.Parse(outer).Contains(Cidr.Parse(inner)));

    [Theory]
    [InlineData("10.142.32.0/21", "100.96.32.0/21", true)]
    [InlineData("10.142.32.0/21", "192.168.0.0/21", false)]
    [InlineData("10.142.32.0/21", "172.31.0.0/16", false)]
    [InlineData("10.142.32.0/21", "198.19.0.0/20", false)]
    [InlineData("10.142.32.0/21", "10.200.0.0/16", true)]
    [InlineData("172.31.0.0/16", "10.1.0.0/16", false)]
    [InlineData("192.168.0.0/16", "100.64.0.0/16", true)]
    [InlineData("100.64.0.0/16", "10.0.0.0/16", false)]
    public void Secondary_cidr_restrictions_follow_the_primarys_range(string primary, string secondary, bool allowed) =>
        Assert.Equal(allowed, !AwsAddressRules.RestrictedSecondaryRanges(Cidr.Parse(primary)).Any(r => r.Overlaps(Cidr.Parse(secondary))));

    [Theory]
    // Prefixes: the first /28 holds network+1..+3 and the last the broadcast; a /28 subnet has none.
    [InlineData("100.96.32.0/22", 1019, 62)]
    [InlineData("100.100.0.0/23", 507, 30)]
    [InlineData("10.0.0.0/24", 251, 14)]
    [InlineData("10.0.0.0/27", 27, 0)]
    [InlineData("10.0.0.0/28", 11, 0)]
    public void Usable_addresses_and_assignable_prefixes(string subnet, long usable, long prefixes)
    {
        Assert.Equal(usable, AwsAddressRules.UsableAddresses(Cidr.Parse(subnet)));
        Assert.Equal(prefixes, AwsAddressRules.AssignablePrefixes(Cidr.Parse(subnet)));
    }

    [Theory]
    [InlineData("us-west-2a", "us-west-2", true)]
    [InlineData("us-west-2d", "us-west-2", true)]
    [InlineData("us-west-2e", "us-west-2", false)]
    [InlineData("us-east-1b", "us-west-2", false)]
    [InlineData("us-west-2", "us-west-2", false)]
    public void Zones_belong_to_their_region(string zone, string region, bool belongs) =>
        Assert.Equal(belongs, Regions.ZoneBelongsTo(zone, region));

    [Fact]
    public void Two_subnets_of_one_role_in_one_zone_are_rejected()
    {
        var at = new Origin("test");
        var network = new NetworkSpec(
            "us-west-2",
            new VpcSpec("v", new Located<Cidr>(Cidr.Parse("10.0.0.0/16"), at), [], null),
            [new Located<string>("us-west-2a", at)],
            [
                new SubnetSpec(SubnetRole.Public, "us-west-2a", Cidr.Parse("10.0.0.0/24"), null, at, new Origin("first")),
                new SubnetSpec(SubnetRole.Public, "us-west-2a", Cidr.Parse("10.0.1.0/24"), null, at, new Origin("second")),
            ],
            null,
            new NatGatewaySpec(false, [], at),
            [],
            [new RouteTableSpec("main", true, null, [], [], at)]);
        var problem = Assert.Single(EnvironmentValidator.Validate(new EnvironmentSpec("p", "s", network, null, null), InstanceLimits.Embedded));
        Assert.Equal("second", problem.Key);
    }
}
