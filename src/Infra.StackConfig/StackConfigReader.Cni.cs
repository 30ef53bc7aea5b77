namespace Infra.StackConfig;

/// <summary>The cni key; absent keys take the schema's defaults.</summary>
public static partial class StackConfigReader
{
    private static CniSpec ReadCni(ConfigNode cniNode)
    {
        // Absent, or without some keys, the CNI takes the schema's defaults.
        cniNode.IsObject(required: false);
        var cni = new CniSpec(
            cniNode.Child("customNetworking").Bool() ?? true,
            cniNode.Child("eniConfigLabel").String(required: false)!,
            cniNode.Child("prefixDelegation").Bool() ?? true,
            cniNode.At);
        cniNode.RejectUnknownKeys();

        return cni;
    }
}
