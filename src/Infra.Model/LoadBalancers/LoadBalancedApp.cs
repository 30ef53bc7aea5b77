namespace Infra.Model.LoadBalancers;

/// <summary>
/// Where a load balancer sends traffic: the AWS Load Balancer Controller's target-type annotation
/// (instance: the service's NodePort on every node; ip: the pods' addresses directly).
/// </summary>
public enum LoadBalancerTargetType
{
    Instance,
    Ip,
}

/// <summary>An application that gets its own load balancer and security group.</summary>
public sealed record LoadBalancedApp(string Name, string? ReplicaOfSecurityGroup, Origin At)
{
    /// <summary>The ACM certificate of its HTTPS listener; null: the controller discovers one in ACM by the Ingress's host names.</summary>
    public Located<string>? CertificateArn { get; init; }

    /// <summary>The form of an ACM certificate ARN.</summary>
    /// <summary>An application's name: the rule for every name a user gives (lower-case words joined by hyphens), which the config schema says too.</summary>
    public const string NamePattern = Rule.NameRule;

    /// <summary>The longest name a user gives (see <c>Rule.MaxNameLength</c>).</summary>
    public const int MaxNameLength = Rule.MaxNameLength;

    public const string CertificateArnPattern = @"^arn:aws[a-z-]*:acm:[a-z0-9-]+:[0-9]{12}:certificate/[0-9a-f-]{36}$";

    /// <summary>
    /// The one listener the stack's security groups admit: HTTPS on 443 (the load balancer group's
    /// only ingress, <see cref="SecurityDesign"/>), as the controller's listen-ports annotation.
    /// </summary>
    public static int ListenerPort => SecurityDesign.Https;

    /// <summary>
    /// Instance: the security design admits NodePorts from each load balancer's group on the nodes'
    /// interfaces and none to the pods', so NodePorts are what the groups allow.
    /// </summary>
    public LoadBalancerTargetType TargetType { get; init; } = LoadBalancerTargetType.Instance;

    /// <summary>The controller's annotation value for <see cref="TargetType"/>.</summary>
    public string TargetTypeAnnotation => TargetType == LoadBalancerTargetType.Ip ? "ip" : "instance";

    /// <summary>The controller places internal load balancers only (scheme: internal), in the subnets whose role hosts them.</summary>
    public const string Scheme = "internal";
}
