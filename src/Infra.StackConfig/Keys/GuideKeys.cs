namespace Infra.StackConfig.Keys;

/// <summary>The guideClaims key: what the guide's prose claims, for the review commands to check against the route tables.</summary>
internal static class GuideKeys
{
    private static readonly ConfigKey<IReadOnlyList<Located<Cidr>>> CorporateNetworks = Declare.List("corporateNetworks", "networks the guide's prose says are reached through the gateways", Declare.CidrShape);

    private static readonly ConfigKey<Located<string>?> PrivateInternetVia = Declare.Text("privateInternetVia", "where the prose says private subnets reach the internet (`internet-gateway`, ...)");

    private static readonly ConfigKey<bool?> InternetReachesInternalLoadBalancers = Declare.Boolean("internetReachesInternalLoadBalancers", "the prose draws internet users reaching the internal load balancers", @default: false);

    private static readonly ConfigKey<int?> PodsPerNode = Declare.Integer("podsPerNode", "pods per node the prose claims with prefix delegation");

    private static readonly ConfigKey<int?> TraditionalPodsPerNode = Declare.Integer("traditionalPodsPerNode", "pods per node the prose claims without it");

    private static readonly ConfigKey<int?> ConcurrentPods = Declare.Integer("concurrentPods", "concurrent pods the prose claims the pod subnets hold");

    /// <summary>Absent: the stack makes no claims (null).</summary>
    public static ConfigKey<GuideClaims?> GuideClaims { get; } = Declare.Key("guideClaims", "what the guide's prose claims; the review commands check it against the route tables", Declare.Object(
        [CorporateNetworks, PrivateInternetVia, InternetReachesInternalLoadBalancers, PodsPerNode, TraditionalPodsPerNode, ConcurrentPods],
        claims => new GuideClaims(
            claims.Get(CorporateNetworks),
            claims.Get(PrivateInternetVia)?.Value,
            claims.Required(InternetReachesInternalLoadBalancers),
            claims.Get(PodsPerNode),
            claims.Get(TraditionalPodsPerNode),
            claims.Get(ConcurrentPods))))
        .NotLive("what the guide's prose claims, held against the route tables; not the VPC's");
}
