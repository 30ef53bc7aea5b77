namespace Infra.Model.Guide;

/// <summary>
/// What the guide's prose asserts about traffic, kept as data so that review tools can check the
/// route tables against it (the route tables are the truth).
/// </summary>
public sealed record GuideClaims(
    IReadOnlyList<Located<Addressing.Cidr>> CorporateNetworks,
    string? PrivateInternetVia,
    bool InternetReachesInternalLoadBalancers,
    int? ClaimedPodsPerNode,
    int? ClaimedTraditionalPodsPerNode,
    int? ClaimedConcurrentPods);
