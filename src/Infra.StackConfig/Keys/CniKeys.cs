namespace Infra.StackConfig.Keys;

/// <summary>The cni key: the VPC CNI add-on's settings; absent keys take their defaults.</summary>
internal static class CniKeys
{
    private static readonly ConfigKey<bool?> CustomNetworking = Declare.Boolean("customNetworking", "pods take addresses from the pod subnets through one ENIConfig per zone", @default: true);

    private static readonly ConfigKey<Located<string>?> EniConfigLabel = Declare.Text("eniConfigLabel", "the node label that picks a node's ENIConfig", @default: "topology.kubernetes.io/zone");

    private static readonly ConfigKey<bool?> PrefixDelegation = Declare.Boolean("prefixDelegation", "assign /28 prefixes to interfaces instead of single addresses", @default: true);

    public static ConfigKey<CniSpec?> Cni { get; } = Declare.Key("cni", "the VPC CNI add-on's settings", Declare.Object(
        [CustomNetworking, EniConfigLabel, PrefixDelegation],
        cni => new CniSpec(cni.Required(CustomNetworking), cni.Required(EniConfigLabel).Value, cni.Required(PrefixDelegation), cni.At),
        bindWhenAbsent: true))
        .NotLive("the VPC CNI's settings are the aws-node daemonset's, inside the cluster: neither EC2 nor describe-cluster shows them");
}
