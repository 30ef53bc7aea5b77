namespace Infra.Model.Cni;

/// <summary>The VPC CNI add-on's own identity.</summary>
public static class VpcCni
{
    /// <summary>
    /// The VPC CNI's aws-node account in kube-system: AmazonEKS_CNI_Policy through IRSA instead of
    /// the node role (EKS User Guide, "Configure Amazon VPC CNI plugin to use IRSA"), so pods on the
    /// node cannot use the node's credentials to attach network interfaces.
    /// </summary>
    public static ServiceAccountRole Role { get; } =
        new("vpc-cni", "kube-system", "aws-node", ["arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy"], []);
}
