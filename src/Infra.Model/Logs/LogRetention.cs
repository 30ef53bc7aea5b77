namespace Infra.Model.Logs;

/// <summary>How long CloudWatch Logs keeps what the stack logs (the cluster's control plane, the VPC's flow logs).</summary>
public static class LogRetention
{
    /// <summary>
    /// 90 days: long enough to investigate a quarter's incidents and audit trail, short enough not to
    /// pay for CloudWatch storage of years of API-server logs (the EKS module's default is 90 as well).
    /// </summary>
    public const int DefaultDays = 90;

    /// <summary>The retention periods CloudWatch Logs accepts (PutRetentionPolicy).</summary>
    public static IReadOnlyList<int> Choices { get; } = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];
}
