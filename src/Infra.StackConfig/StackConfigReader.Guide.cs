namespace Infra.StackConfig;

/// <summary>The guideClaims key: what the guide's prose claims, for the review commands to check.</summary>
public static partial class StackConfigReader
{
    private static GuideClaims ReadClaims(ConfigNode node)
    {
        if (!node.IsObject())
        {
            return new GuideClaims([], null, false, null, null, null);
        }

        var claims = new GuideClaims(
            node.Child("corporateNetworks").Cidrs(required: false),
            node.Child("privateInternetVia").String(required: false),
            node.Child("internetReachesInternalLoadBalancers").Bool() ?? false,
            node.Child("podsPerNode").IsMissing ? null : node.Child("podsPerNode").Int(),
            node.Child("traditionalPodsPerNode").IsMissing ? null : node.Child("traditionalPodsPerNode").Int(),
            node.Child("concurrentPods").IsMissing ? null : node.Child("concurrentPods").Int());
        node.RejectUnknownKeys();
        return claims;
    }
}
