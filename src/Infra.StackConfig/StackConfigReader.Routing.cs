using System.Text.Json.Nodes;

namespace Infra.StackConfig;

/// <summary>The route targets (natGateway, gateways) and the routeTables key.</summary>
public static partial class StackConfigReader
{
    private static NatGatewaySpec ReadNatGateway(ConfigNode natNode)
    {
        var nat = new NatGatewaySpec(false, null, natNode.At);
        if (natNode.IsObject(required: false))
        {
            nat = new NatGatewaySpec(natNode.Child("enabled").Bool() ?? false, natNode.Child("zone").String(required: false), natNode.At);
            natNode.RejectUnknownKeys();
        }

        return nat;
    }

    private static List<GatewayInstance> ReadGateways(ConfigNode gatewaysNode)
    {
        var gateways = new List<GatewayInstance>();
        foreach (var (name, gatewayNode) in gatewaysNode.Entries(required: false))
        {
            if (!gatewayNode.IsObject())
            {
                continue;
            }

            var description = gatewayNode.Child("description").String(required: false) ?? name;
            var replicaOf = gatewayNode.Child("replicaOf").String(required: false);
            var interfaceNode = gatewayNode.Child("interface");
            var existingNode = gatewayNode.Child("existing");
            foreach (var misplaced in new[] { "instanceId", "networkInterfaceId" })
            {
                // The earlier layout named the guide's instances directly; they live in the original
                // VPC, so a route in this stack's new VPC cannot target them.
                if (gatewayNode.Refused(misplaced) is { Value: not null } refused)
                {
                    refused.Problem(
                        "a route can only target an interface in this stack's VPC: record the original as `replicaOf`, let the stack create the interface (`interface: {subnet: role/zone}`), or, once the appliance runs in this VPC, give it under `existing` with `inThisVpc: true`");
                }
            }

            gatewayNode.RejectUnknownKeys();
            if (interfaceNode.Value is not null && existingNode.Value is not null)
            {
                existingNode.Problem("give either `interface` (the stack creates it) or `existing`, not both");
            }
            else if (interfaceNode.IsObject(required: false))
            {
                var subnet = interfaceNode.Child("subnet").String();
                interfaceNode.RejectUnknownKeys();
                if (subnet is not null)
                {
                    gateways.Add(new GatewayInstance(name, description, GatewayPlacement.CreatedInterface, subnet, null, null, replicaOf, gatewayNode.At));
                }
            }
            else if (existingNode.IsObject(required: false))
            {
                var instanceId = existingNode.Child("instanceId").String(required: false);
                var eni = existingNode.Child("networkInterfaceId").String(required: false);
                var inThisVpc = existingNode.Child("inThisVpc").Bool(false) ?? false;
                existingNode.RejectUnknownKeys();
                if (instanceId is null && eni is null)
                {
                    existingNode.Problem("needs `instanceId` or `networkInterfaceId`");
                }
                else if (instanceId is not null && eni is not null)
                {
                    // Routes target one interface: with both, one would be dropped silently.
                    existingNode.Child("networkInterfaceId").Problem("give `instanceId` (routes target its primary interface) or `networkInterfaceId`, not both");
                }
                else if (!inThisVpc)
                {
                    existingNode.Child("inThisVpc").Problem(
                        "this stack creates its VPC, so an existing appliance is in it only if it was launched into it after the first deployment; state `inThisVpc: true` once it is, or let the stack create the interface (`interface: {subnet: role/zone}`)");
                }
                else
                {
                    gateways.Add(new GatewayInstance(name, description, GatewayPlacement.ExistingInThisVpc, null, instanceId, eni, replicaOf, gatewayNode.At));
                }
            }
            else if (interfaceNode.Value is null && existingNode.Value is null)
            {
                gatewayNode.Problem("says nowhere how the gateway exists in this VPC: give `interface: {subnet: role/zone}` (the stack creates it) or `existing: {instanceId, inThisVpc: true}`");
            }
        }

        return gateways;
    }

    private static List<RouteTableSpec> ReadRouteTables(ConfigNode tablesNode)
    {
        var tables = new List<RouteTableSpec>();
        foreach (var (name, tableNode) in tablesNode.Entries())
        {
            if (!tableNode.IsObject())
            {
                continue;
            }

            var isMain = tableNode.Child("main").Bool() ?? false;
            var replica = tableNode.Child("replicaOf").String(required: false);
            var subnetKeys = tableNode.Child("subnets").Strings(required: false);
            var routes = new List<RouteSpec>();
            foreach (var routeNode in tableNode.Child("routes").Items(required: false))
            {
                if (!routeNode.IsObject())
                {
                    continue;
                }

                var destination = routeNode.Child("destination").Cidr();
                var target = routeNode.Child("target").String();
                var purpose = routeNode.Child("purpose").String(required: false);
                routeNode.RejectUnknownKeys();
                if (destination is not null && target is not null)
                {
                    routes.Add(new RouteSpec(destination.Value, ParseTarget(target), purpose, routeNode.At));
                }
            }

            tableNode.RejectUnknownKeys();
            tables.Add(new RouteTableSpec(name, isMain, replica, routes, subnetKeys, tableNode.At));
        }

        if (!tablesNode.IsMissing && tablesNode.Value is JsonObject { Count: 0 })
        {
            tablesNode.Problem("the stack needs at least the main route table");
        }

        return tables;
    }

    private static RouteTarget ParseTarget(string name) => name switch
    {
        RouteTarget.LocalName => RouteTarget.Local,
        RouteTarget.InternetGatewayName => RouteTarget.InternetGateway,
        RouteTarget.NatGatewayName => RouteTarget.NatGateway,
        _ => RouteTarget.Instance(name),
    };
}
