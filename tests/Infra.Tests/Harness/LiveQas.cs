using Amazon.EC2;
using Amazon.EC2.Model;

namespace Infra.Tests.Harness;

/// <summary>
/// The guide's qas environment built in the emulator through the AWS SDK, from the shipped
/// Pulumi.qas.yaml: the VPC and its secondary CIDR, the subnets (tagged for load balancers as AWS
/// asks), the internet gateway, one instance per Aviatrix gateway, the route tables with every
/// route and association, and the security groups the stack names as originals with the design's
/// rules. Resources carry Name tags as an operator's would; moto gives them its own ids, so
/// <see cref="Ids"/> maps each id of the stack file to the emulator's.
/// </summary>
public sealed class LiveQas
{
    public required string VpcId { get; init; }

    /// <summary>Original id (as the shipped stack file records it) to the emulator's id.</summary>
    public required IReadOnlyDictionary<string, string> Ids { get; init; }

    /// <summary>The emulator's ids by the stack's names: subnets by role/zone, tables, gateways, groups.</summary>
    public required IReadOnlyDictionary<string, string> ByName { get; init; }

    public static EnvironmentSpec Shipped => Infra.StackConfig.StackLoader.Load(new Infra.StackConfig.StackSource.StackFile(Repo.Root, "qas"));

    public static async Task<LiveQas> SeedAsync(IAmazonEC2 ec2)
    {
        var env = Shipped;
        var network = env.Network;
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        var byName = new Dictionary<string, string>(StringComparer.Ordinal);
        static List<Tag> Named(string name, params (string Key, string Value)[] more) => [new("Name", name), .. more.Select(t => new Tag(t.Key, t.Value))];

        var vpc = (await ec2.CreateVpcAsync(new CreateVpcRequest { CidrBlock = network.Vpc.Primary.Value.ToString() })).Vpc.VpcId;
        await ec2.CreateTagsAsync(new CreateTagsRequest { Resources = [vpc], Tags = Named(network.Vpc.Name) });
        Map(ids, network.Vpc.ReplicaOf, vpc);
        foreach (var secondary in network.Vpc.Secondary)
        {
            await ec2.AssociateVpcCidrBlockAsync(new AssociateVpcCidrBlockRequest { VpcId = vpc, CidrBlock = secondary.Value.ToString() });
        }

        foreach (var subnet in network.OrderedSubnets)
        {
            var tags = Named($"{network.Vpc.Name}-{subnet.Role.Key()}-{subnet.Zone}");
            if (subnet.Role.LoadBalancerDiscoveryTag() is { } tag)
            {
                tags.Add(new Tag(tag, "1"));
            }

            var id = (await ec2.CreateSubnetAsync(new CreateSubnetRequest { VpcId = vpc, CidrBlock = subnet.Cidr.ToString(), AvailabilityZone = subnet.Zone })).Subnet.SubnetId;
            await ec2.CreateTagsAsync(new CreateTagsRequest { Resources = [id], Tags = tags });
            Map(ids, subnet.ReplicaOf, id);
            byName[subnet.Key] = id;
        }

        var igw = (await ec2.CreateInternetGatewayAsync(new CreateInternetGatewayRequest())).InternetGateway.InternetGatewayId;
        await ec2.AttachInternetGatewayAsync(new AttachInternetGatewayRequest { InternetGatewayId = igw, VpcId = vpc });
        Map(ids, network.InternetGatewayReplicaOf, igw);

        var image = await AnyImageAsync(ec2);
        foreach (var gateway in network.Gateways)
        {
            var instance = (await ec2.RunInstancesAsync(new RunInstancesRequest
            {
                ImageId = image,
                InstanceType = InstanceType.T3Small,
                MinCount = 1,
                MaxCount = 1,
                SubnetId = byName[gateway.InterfaceSubnet!],
                TagSpecifications = [new TagSpecification { ResourceType = ResourceType.Instance, Tags = Named(gateway.Name, ("Description", gateway.Description)) }],
            })).Reservation.Instances[0].InstanceId;
            Map(ids, gateway.ReplicaOf, instance);
            byName[gateway.Name] = instance;
        }

        var main = (await ec2.DescribeRouteTablesAsync(new DescribeRouteTablesRequest { Filters = [new("vpc-id", [vpc]), new("association.main", ["true"])] })).RouteTables[0].RouteTableId;
        foreach (var table in network.RouteTables)
        {
            var id = table.IsMain ? main : (await ec2.CreateRouteTableAsync(new CreateRouteTableRequest { VpcId = vpc })).RouteTable.RouteTableId;
            await ec2.CreateTagsAsync(new CreateTagsRequest { Resources = [id], Tags = Named(table.Name) });
            Map(ids, table.ReplicaOf, id);
            byName[table.Name] = id;
            foreach (var key in table.SubnetKeys)
            {
                await ec2.AssociateRouteTableAsync(new AssociateRouteTableRequest { RouteTableId = id, SubnetId = byName[key.Value] });
            }

            foreach (var route in table.Routes)
            {
                var request = new CreateRouteRequest { RouteTableId = id, DestinationCidrBlock = route.Destination.ToString() };
                switch (route.Target.Kind)
                {
                    case RouteTargetKind.Instance:
                        request.InstanceId = byName[route.Target.GatewayName!];
                        break;
                    case RouteTargetKind.InternetGateway:
                        request.GatewayId = igw;
                        break;
                    default:
                        throw new InvalidOperationException($"the qas seed has no {route.Target.Kind} target");
                }

                await ec2.CreateRouteAsync(request);
            }
        }

        // The groups the stack names as originals, with the design's rules that both sides can name.
        var design = SecurityDesign.All(network, env.Cluster);
        foreach (var group in design.Where(g => g.ReplicaOf is not null))
        {
            var id = (await ec2.CreateSecurityGroupAsync(new CreateSecurityGroupRequest { GroupName = group.Name, Description = group.Description, VpcId = vpc })).GroupId;
            Map(ids, group.ReplicaOf, id);
            byName[$"sg:{group.Name}"] = id;
        }

        foreach (var group in design.Where(g => g.ReplicaOf is not null && g.Role != SecurityGroupRole.EksManaged))
        {
            foreach (var rule in group.Rules.Where(r => r.Direction == Infra.Model.Security.TrafficDirection.Ingress && !r.CreatedByEks))
            {
                var permission = new IpPermission
                {
                    IpProtocol = rule.Protocol switch { IpProtocol.Tcp => "tcp", IpProtocol.Udp => "udp", _ => "-1" },
                    FromPort = rule.FromPort,
                    ToPort = rule.ToPort,
                };
                if (rule.Peer.Cidr is { } cidr)
                {
                    permission.Ipv4Ranges = [new IpRange { CidrIp = cidr.ToString() }];
                }
                else if (byName.TryGetValue($"sg:{rule.Peer.GroupName}", out var peer))
                {
                    permission.UserIdGroupPairs = [new UserIdGroupPair { GroupId = peer }];
                }
                else
                {
                    continue;
                }

                await ec2.AuthorizeSecurityGroupIngressAsync(new AuthorizeSecurityGroupIngressRequest { GroupId = byName[$"sg:{group.Name}"], IpPermissions = [permission] });
            }
        }

        return new LiveQas { VpcId = vpc, Ids = ids, ByName = byName };
    }

    /// <summary>An image moto knows, to launch the appliances from: read once per emulator (its list is long).</summary>
    public static async Task<string> AnyImageAsync(IAmazonEC2 ec2)
    {
        var endpoint = ec2.Config.ServiceURL ?? "";
        if (!Images.TryGetValue(endpoint, out var image))
        {
            image = (await ec2.DescribeImagesAsync(new DescribeImagesRequest { Owners = ["amazon"] })).Images[0].ImageId;
            Images[endpoint] = image;
        }

        return image;
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> Images = new(StringComparer.Ordinal);

    private static void Map(Dictionary<string, string> ids, string? original, string live)
    {
        if (original is not null)
        {
            ids[original] = live;
        }
    }

    /// <summary>The shipped stack file's text with every original id replaced by the emulator's.</summary>
    public string ShippedWithLiveIds()
    {
        // The guide gives no VPC id; drift needs the one the replica stands for.
        var text = File.ReadAllText(Repo.Path("Pulumi.qas.yaml"))
            .Replace("    name: leadertools-qas-vpc\n", $"    name: leadertools-qas-vpc\n    replicaOf: {VpcId}\n", StringComparison.Ordinal);
        foreach (var (original, live) in Ids.OrderByDescending(kv => kv.Key.Length))
        {
            text = text.Replace(original, live, StringComparison.Ordinal);
        }

        return text;
    }
}
