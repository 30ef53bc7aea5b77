namespace Infra.Model.Security;

/// <summary>One condition of an IAM policy statement: operator, condition key, allowed values.</summary>
public sealed record IamCondition(string Operator, string Key, IReadOnlyList<string> Values)
{
    /// <summary>Stands for the ARN of the VPC the stack creates, known only once it exists.</summary>
    public const string ThisVpcArn = "(this stack's VPC ARN)";
}

/// <summary>An Allow statement of an IAM policy.</summary>
public sealed record IamStatement(string Sid, IReadOnlyList<string> Actions, IReadOnlyList<string> Resources, IReadOnlyList<IamCondition> Conditions)
{
    public IamStatement(string sid, IReadOnlyList<string> actions, params IReadOnlyList<IamCondition> conditions)
        : this(sid, actions, ["*"], conditions)
    {
    }
}

/// <summary>
/// A Kubernetes service account that assumes an IAM role through the cluster's OIDC provider (IRSA:
/// EKS User Guide, "IAM roles for service accounts"): the role trusts only this account.
/// </summary>
public sealed record ServiceAccountRole(string Key, string Namespace, string ServiceAccount, IReadOnlyList<string> ManagedPolicyArns, IReadOnlyList<IamStatement> InlineStatements)
{
    /// <summary>The `sub` claim of the account's projected token.</summary>
    public string Subject => $"system:serviceaccount:{Namespace}:{ServiceAccount}";
}
