using Infra.Model.Network;

namespace Infra.Model.Cluster;

/// <summary>An application that gets its own load balancer and security group.</summary>
public sealed record LoadBalancedApp(string Name, string? ReplicaOfSecurityGroup, Origin At)
{
    /// <summary>The ACM certificate of its HTTPS listener; null: the controller discovers one in ACM by the Ingress's host names.</summary>
    public Located<string>? CertificateArn { get; init; }

    /// <summary>The form of an ACM certificate ARN.</summary>
    public const string CertificateArnPattern = @"^arn:aws[a-z-]*:acm:[a-z0-9-]+:[0-9]{12}:certificate/[0-9a-f-]{36}$";

    /// <summary>
    /// The one listener the stack's security groups admit: HTTPS on 443 (the load balancer group's
    /// only ingress, <see cref="SecurityDesign"/>), as the controller's listen-ports annotation.
    /// </summary>
    public static int ListenerPort => SecurityDesign.Https;
}
