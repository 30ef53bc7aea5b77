using System.Net;

namespace Infra.Tests.Harness;

/// <summary>
/// Follows a packet through the mock-deployed resources, independently of the product's own
/// trace: subnet by CIDR, its explicit route table association or else the VPC's default (main)
/// table, then the longest matching prefix among the table's routes and the VPC's local routes.
/// </summary>
public static class DeployedRouting
{
    public const string Local = "local";

    public static MockResource SubnetOf(MockDeployment d, string address) =>
        d.OfType("aws:ec2:Subnet").Single(s => IPNetwork.Parse(s.Input("cidrBlock")!).Contains(IPAddress.Parse(address)));

    public static MockResource RouteTableOf(MockDeployment d, MockResource subnet)
    {
        var association = d.OfType("aws:ec2:RouteTableAssociation").SingleOrDefault(a => a.Input("subnetId") == subnet.Id);
        return association is not null
            ? d.ById(association.Input("routeTableId")!)
            : d.OfType("aws:ec2:DefaultRouteTable").Single();
    }

    /// <summary>The target id (internet gateway, NAT gateway, network interface) or "local".</summary>
    public static string NextHop(MockDeployment d, string source, string destination)
    {
        var table = RouteTableOf(d, SubnetOf(d, source));
        var vpcCidrs = d.OfType("aws:ec2:Vpc").Select(v => v.Input("cidrBlock")!)
            .Concat(d.OfType("aws:ec2:VpcIpv4CidrBlockAssociation").Select(a => a.Input("cidrBlock")!));
        var candidates = vpcCidrs.Select(c => (Cidr: IPNetwork.Parse(c), Target: Local))
            .Concat(RoutesOf(d, table).Select(r => (Cidr: IPNetwork.Parse(r.Destination), r.Target)));
        var target = IPAddress.Parse(destination);
        return candidates.Where(c => c.Cidr.Contains(target)).OrderByDescending(c => c.Cidr.PrefixLength).Select(c => c.Target).FirstOrDefault() ?? "none";
    }

    public static IEnumerable<(string Destination, string Target)> RoutesOf(MockDeployment d, MockResource table) =>
        d.OfType("aws:ec2:Route")
            .Where(r => r.Input("routeTableId") == table.Id)
            .Select(r => (r.Input("destinationCidrBlock")!, r.Input("gatewayId") ?? r.Input("networkInterfaceId") ?? r.Input("natGatewayId") ?? "none"));
}
