using Infra.Discovery;
using Infra.StackConfig;
using Infra.Tests.Harness;

namespace Infra.Tests;

/// <summary>
/// One description of the stack file (issue 29, item 4): the key declarations are the stack format,
/// so discover writes nothing they do not hold, writes every key the live VPC can show unless the
/// key's declaration says why not, and drift compares every key discover writes unless the
/// declaration says why not. A new key fails here, by name, until discover and drift take it or its
/// declaration gives the reason. Run over <see cref="LiveVpcZoo"/>, which holds every kind of object.
/// </summary>
public sealed class StackFormatCoverageTests
{
    private static readonly IReadOnlyList<StackFileWriter.DiscoveredStack> Discovered = DiscoverZoo();

    private static List<StackFileWriter.DiscoveredStack> DiscoverZoo()
    {
        var withWaiver = StackFileWriter.Write(LiveVpcZoo.Everything, "zoo", LiveVpcZoo.OneNodeGroup)
            .AcceptingOriginalGroups([new ConfigProblem("zoo:securityGroups.web.ingress[0]", "INFRA001", "admits the internet")])!;
        return
        [
            StackFileWriter.Write(LiveVpcZoo.Everything, "zoo"),
            StackFileWriter.Write(LiveVpcZoo.Everything, "zoo", LiveVpcZoo.Cluster),
            StackFileWriter.Write(LiveVpcZoo.OneNatNodesThroughAppliance, "zoo", LiveVpcZoo.OneNodeGroup),
            withWaiver,
        ];
    }

    private static SortedSet<string> Written => new(Discovered.SelectMany(d => d.Keys.Written), StringComparer.Ordinal);

    [Fact]
    public void Discover_writes_no_key_the_declarations_do_not_hold()
    {
        Assert.All(Discovered, d => Assert.Empty(d.Keys.Undeclared));
    }

    [Fact]
    public void A_key_no_declaration_holds_is_refused_by_name()
    {
        var config = new Infra.Emit.DocMap();
        config.Map("zoo:vpc").Add("colour", "blue");
        config.Map("zoo:routeTables").Map("main").List("routes").Add("10.0.0.0/8");
        config.Add("zoo:nothing", "x");

        var keys = WrittenKeys.Of("zoo", config);

        Assert.Equal(["vpc.colour", "routeTables.*.routes[] (declared as a mapping, written as a value)", "nothing"], keys.Undeclared);
    }

    [Fact]
    public void Every_declared_key_is_written_by_discover_or_its_declaration_says_why_not()
    {
        var written = Written;
        var missing = DeclaredPaths.All.Where(p => p.NotDiscovered is null && !written.Contains(p.Path)).Select(p => p.Path).ToList();
        Assert.True(missing.Count == 0, $"discover never writes these declared keys, and their declarations do not say why (write them in StackFileWriter, or declare `.NotDiscovered(why)` in src/Infra.StackConfig/Keys): {string.Join(", ", missing)}");
    }

    [Fact]
    public void A_key_declared_as_not_discovered_is_not_written()
    {
        var written = Written;
        var contradicted = DeclaredPaths.All.Where(p => p.NotDiscovered is not null && written.Contains(p.Path)).Select(p => $"{p.Path} ({p.NotDiscovered})").ToList();
        Assert.True(contradicted.Count == 0, $"discover writes keys whose declarations say it does not: {string.Join("; ", contradicted)}");
    }

    [Fact]
    public void Every_key_discover_writes_is_compared_by_drift_or_its_declaration_says_why_not()
    {
        var declared = DeclaredPaths.All.ToDictionary(p => p.Path, StringComparer.Ordinal);
        var missing = Written.Where(path => declared[path].NotCompared is null && !Drift.ComparedKeys.Contains(path)).ToList();
        Assert.True(missing.Count == 0, $"drift does not compare these keys discover writes, and their declarations do not say why (compare them in Drift and list them in Drift.ComparedKeys, or declare `.NotCompared(why)`): {string.Join(", ", missing)}");
    }

    [Fact]
    public void Drift_compares_only_declared_keys_it_is_not_said_to_leave()
    {
        var declared = DeclaredPaths.All.ToDictionary(p => p.Path, StringComparer.Ordinal);
        Assert.All(Drift.ComparedKeys, path => Assert.True(declared.TryGetValue(path, out var p) && p.NotCompared is null, $"{path}: drift lists it as compared, but no declaration holds it or its declaration says drift does not compare it"));
    }

    /// <summary>Discover says which keys of what it wrote it could not fill in, and why: from the declarations.</summary>
    [Fact]
    public void Discover_names_the_keys_it_cannot_fill_in_where_it_writes_their_mapping()
    {
        var withCluster = StackFileWriter.Write(LiveVpcZoo.Everything, "zoo", LiveVpcZoo.Cluster).Unfilled().ToList();
        var networkOnly = StackFileWriter.Write(LiveVpcZoo.Everything, "zoo").Unfilled().ToList();

        Assert.Contains(withCluster, u => u.StartsWith("cluster.accessEntries (access entries are `aws eks list-access-entries`'", StringComparison.Ordinal));
        Assert.Contains(withCluster, u => u.StartsWith("nodeGroups.*.maxPodsCap (a kubelet setting", StringComparison.Ordinal));
        Assert.Contains(networkOnly, u => u.StartsWith("vpc.flowLogs.retentionDays (the log group's retention", StringComparison.Ordinal));
        Assert.DoesNotContain(networkOnly, u => u.Contains("cluster.", StringComparison.Ordinal));
        Assert.Contains(StackFileWriter.Write(LiveVpcZoo.Everything, "zoo", LiveVpcZoo.Cluster).Summary(), l => l.StartsWith("not filled in: cluster.accessEntries", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("leadertools:routeTables.main.routes[0].target", "routeTables.*.routes[].target")]
    [InlineData("leadertools:routeTables.main.routes[0]", "routeTables.*.routes[]")]
    [InlineData("leadertools:subnets.nodes.us-west-2a", "subnets.*.*")]
    [InlineData("leadertools:subnets.nodes.us-west-2a.cidr", "subnets.*.*.cidr")]
    [InlineData("leadertools:natGateway.replicaOf.us-west-2a", "natGateway.replicaOf.*")]
    [InlineData("leadertools:vpc.secondaryCidrs[1]", "vpc.secondaryCidrs[]")]
    [InlineData("leadertools:vpc.flowLogs.trafficType", "vpc.flowLogs.trafficType")]
    [InlineData("leadertools:vpc.colour", null)]
    [InlineData("leadertools:nothing", null)]
    public void A_concrete_key_has_its_declared_place(string key, string? expected)
    {
        Assert.Equal(expected, DeclaredPaths.Of(key));
    }
}
