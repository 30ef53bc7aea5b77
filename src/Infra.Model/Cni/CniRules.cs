namespace Infra.Model.Cni;

/// <summary>The VPC CNI: the ENIConfig label and a pod subnet (and a node subnet) in every zone.</summary>
public static class CniRules
{
    public static void Validate(NetworkSpec network, ClusterDesign design, List<ConfigProblem> problems)
    {
        if (design.Cni.CustomNetworking && string.IsNullOrWhiteSpace(design.Cni.EniConfigLabel))
        {
            Rule.Add(problems, design.Cni.At.Child("eniConfigLabel"), design.Cni.EniConfigLabel, "custom networking needs the node label that selects the ENIConfig");
        }

        foreach (var zone in network.Zones)
        {
            if (design.Cni.CustomNetworking && network.FindSubnet(SubnetRoles.With(ClusterUse.EniConfigs), zone.Value) is null)
            {
                Rule.Add(problems, zone.At, zone.Value, "custom networking needs an ENIConfig in every zone, and this zone has no pod subnet (subnets.pods)");
            }

            if (network.FindSubnet(SubnetRoles.With(ClusterUse.ClusterAndNodes), zone.Value) is null)
            {
                Rule.Add(problems, zone.At, zone.Value, "the node group and control plane need a node subnet in every zone, and this zone has none (subnets.nodes)");
            }
        }

        if (network.Zones.Count < 2)
        {
            Rule.Add(problems, network.Zones.FirstOrDefault()?.At ?? design.Cluster.At, network.Zones.Count, "EKS needs subnets in at least two availability zones");
        }
    }
}
