using System.Text.Json.Nodes;
using CsCheck;
using Infra.Emit;
using Infra.StackConfig;
using Infra.Tests.Harness;

namespace Infra.Tests;

/// <summary>Properties that must hold for any input, checked on random ones (CsCheck shrinks failures).</summary>
public sealed class PropertyTests
{
    private static readonly Origin Nowhere = new("test");

    private static readonly Gen<Cidr> GenCidr =
        Gen.Select(Gen.UInt, Gen.Int[0, 32], (network, prefix) => Cidr.FromNetwork(network, prefix));

    /// <summary>Longest-prefix match by definition: every route that matches, the longest wins.</summary>
    private static Cidr? Oracle(IReadOnlyList<Cidr> destinations, uint address)
    {
        Cidr? best = null;
        foreach (var d in destinations)
        {
            var matches = d.PrefixLength == 0 || (address >> (32 - d.PrefixLength)) == (d.Network >> (32 - d.PrefixLength));
            if (matches && (best is null || d.PrefixLength > best.Value.PrefixLength))
            {
                best = d;
            }
        }

        return best;
    }

    [Fact]
    public void Route_lookup_equals_a_brute_force_longest_prefix_oracle()
    {
        var gen = Gen.Select(GenCidr.Array[0, 40], Gen.UInt.Array[1, 20], Gen.Int[0, 39].Array[0, 10]);
        gen.Sample((cidrs, randomAddresses, nearIndexes) =>
        {
            var destinations = cidrs.Distinct().ToList();
            var lookup = new RouteLookup([], destinations.Select((d, i) => new RouteSpec(d, RouteTarget.Instance($"g{i}"), null, Nowhere)));

            // Random addresses rarely fall in narrow routes, so also probe each route's edges.
            var probes = randomAddresses.Concat(nearIndexes.Where(i => i < destinations.Count).SelectMany(i => new[] { destinations[i].Network, destinations[i].LastAddress, destinations[i].LastAddress + 1 }));
            foreach (var address in probes)
            {
                Assert.Equal(Oracle(destinations, address), lookup.Match(address)?.Destination);
            }
        }, iter: 2000);
    }

    [Fact]
    public void Random_valid_configs_emit_programs_whose_references_all_resolve()
    {
        var gen = Gen.Select(Gen.Int[2, 4], Gen.Int[0, 255], Gen.Int[64, 127], Gen.Int[1, 3], Gen.Bool, Gen.Bool, Gen.Select(GenCidr.Array[0, 25], Gen.Int[0, 1000].Array[25], Gen.Int[0, 3], Gen.Int[0, 5]));
        gen.Sample((zones, second, secondaryOctet, gateways, nat, cluster, rest) =>
        {
            var (destinations, targetPicks, instancePick, apps) = rest;
            var config = RandomConfig(zones, second, secondaryOctet, gateways, nat, cluster, destinations, targetPicks, instancePick, apps);
            EnvironmentSpec env;
            try
            {
                env = StackLoader.Load("leadertools", "prop", PulumiConfigMap.FromEnvironmentJson(PulumiRun.EncodeConfig(config)));
            }
            catch (ConfigException e)
            {
                throw new InvalidOperationException($"the generator made an invalid config: {e.Message}");
            }

            var deployment = MockEngine.Run(ProgramEmitter.Render(env));
            Assert.Equal(zones * 3, deployment.OfType("aws:ec2:Subnet").Count());
            // One aws:ec2:Route per route the generated config gives, counted in the config itself.
            var configuredRoutes = config["leadertools:routeTables"]!.AsObject().Sum(t => (t.Value!["routes"] as JsonArray)?.Count ?? 0);
            Assert.Equal(configuredRoutes, deployment.OfType("aws:ec2:Route").Count());
        }, iter: 150);
    }

    internal static JsonObject RandomConfig(int zones, int second, int secondaryOctet, int gatewayCount, bool nat, bool cluster, Cidr[] destinations, int[] targetPicks, int instancePick, int apps)
    {
        var primary = $"10.{second}.0.0/16";
        var secondary = $"100.{secondaryOctet}.0.0/16";
        var zoneNames = Enumerable.Range(0, zones).Select(i => $"us-west-2{(char)('a' + i)}").ToList();
        JsonObject BySubnet(Func<int, string> cidr) => new(zoneNames.Select((z, i) => KeyValuePair.Create(z, (JsonNode?)cidr(i))));
        var gatewayNames = Enumerable.Range(0, gatewayCount).Select(i => $"gw{i}").ToList();
        var targets = gatewayNames.Append("internet-gateway").Concat(nat ? ["nat-gateway"] : []).ToList();
        var vpcBlocks = new[] { Cidr.Parse(primary), Cidr.Parse(secondary) };
        // AWS accepts a route inside the VPC only when it is exactly a subnet's CIDR: generate none there.
        var routes = destinations.Distinct().Where(d => !vpcBlocks.Any(block => block.Contains(d)))
            .Select((d, i) => (JsonNode)new JsonObject { ["destination"] = d.ToString(), ["target"] = targets[targetPicks[i] % targets.Count] })
            .ToArray();
        var config = new JsonObject
        {
            ["aws:region"] = "us-west-2",
            ["leadertools:vpc"] = new JsonObject { ["name"] = "prop-vpc", ["primaryCidr"] = primary, ["secondaryCidrs"] = new JsonArray(secondary) },
            ["leadertools:availabilityZones"] = new JsonArray(zoneNames.Select(z => (JsonNode)z).ToArray()),
            ["leadertools:subnets"] = new JsonObject
            {
                ["public"] = BySubnet(i => $"10.{second}.{200 + i}.0/24"),
                ["nodes"] = BySubnet(i => $"10.{second}.{i * 16}.0/20"),
                ["pods"] = BySubnet(i => $"100.{secondaryOctet}.{i * 64}.0/18"),
            },
            ["leadertools:natGateway"] = new JsonObject { ["enabled"] = nat, ["zone"] = "us-west-2a" },
            ["leadertools:gateways"] = new JsonObject(gatewayNames.Select((g, i) => KeyValuePair.Create(g, (JsonNode?)(i % 2 == 0
                ? new JsonObject { ["interface"] = new JsonObject { ["subnet"] = $"public/{zoneNames[i % zoneNames.Count]}" } }
                : new JsonObject { ["existing"] = new JsonObject { ["instanceId"] = $"i-{i:x17}", ["inThisVpc"] = true } })))),
            ["leadertools:routeTables"] = new JsonObject
            {
                ["main"] = new JsonObject { ["main"] = true, ["routes"] = new JsonArray(routes) },
                ["public"] = new JsonObject
                {
                    ["subnets"] = new JsonArray(zoneNames.Select(z => (JsonNode)$"public/{z}").ToArray()),
                    ["routes"] = new JsonArray(new JsonObject { ["destination"] = "0.0.0.0/0", ["target"] = "internet-gateway" }),
                },
            },
        };
        if (cluster)
        {
            string[] types = ["t3.medium", "m5.large", "m5.xlarge", "c5.large"];
            config["leadertools:cluster"] = new JsonObject
            {
                ["name"] = "prop",
                ["kubernetesVersion"] = "1.33",
                ["serviceCidr"] = "192.168.0.0/16",
                ["endpoint"] = new JsonObject { ["publicAccess"] = true, ["privateAccess"] = false, ["publicAccessCidrs"] = new JsonArray("0.0.0.0/0") },
            };
            config["leadertools:nodeGroup"] = new JsonObject { ["instanceTypes"] = new JsonArray(types[instancePick]), ["minSize"] = 1, ["desiredSize"] = 2, ["maxSize"] = 3 };
            config["leadertools:loadBalancers"] = new JsonArray(Enumerable.Range(0, apps).Select(i => (JsonNode)new JsonObject { ["name"] = $"app{i}" }).ToArray());
        }

        return config;
    }

    [Fact]
    public void Validation_accepts_exactly_the_subnet_layouts_without_overlaps()
    {
        var vpc = Cidr.Parse("10.0.0.0/16");
        var genSubnet = Gen.Select(Gen.Int[20, 28], Gen.UInt[0, 65535]).Select((prefix, offset) => Cidr.FromNetwork(vpc.Network | offset, prefix));
        genSubnet.Array[1, 8].Sample(cidrs =>
        {
            // One subnet per role and zone: up to 8 subnets over two roles and four zones.
            var subnets = cidrs.Select((c, i) => new SubnetSpec(i % 2 == 0 ? SubnetRole.Public : SubnetRole.Nodes, $"us-west-2{(char)('a' + (i / 2))}", c, null, new Origin($"s{i}"), new Origin($"s{i}"))).ToList();
            var network = new NetworkSpec(
                "us-west-2",
                new VpcSpec("prop", new Located<Cidr>(vpc, Nowhere), [], null),
                "abcd".Select(z => new Located<string>($"us-west-2{z}", Nowhere)).ToList(),
                subnets,
                null,
                new NatGatewaySpec(false, [], Nowhere),
                [],
                [new RouteTableSpec("main", true, null, [], [], Nowhere)]);
            var problems = EnvironmentValidator.Validate(new EnvironmentSpec("p", "s", network, null, null), InstanceLimits.Embedded);

            var disjoint = true;
            for (var i = 0; i < cidrs.Length; i++)
            {
                for (var j = i + 1; j < cidrs.Length; j++)
                {
                    // Two blocks overlap when neither ends before the other starts.
                    disjoint &= cidrs[i].LastAddress < cidrs[j].Network || cidrs[j].LastAddress < cidrs[i].Network;
                }
            }

            Assert.Equal(disjoint, problems.Count == 0);
        }, iter: 3000);
    }
}
