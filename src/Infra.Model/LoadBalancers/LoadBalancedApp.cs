using Infra.Model.Network;

namespace Infra.Model.Cluster;

/// <summary>An application that gets its own load balancer and security group.</summary>
public sealed record LoadBalancedApp(string Name, string? ReplicaOfSecurityGroup, Origin At);
