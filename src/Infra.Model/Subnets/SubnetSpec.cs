namespace Infra.Model.Subnets;

/// <param name="At">Where the CIDR was given.</param>
/// <param name="EntryAt">Where the subnet itself was given (its role and zone).</param>
public sealed record SubnetSpec(SubnetRole Role, string Zone, Cidr Cidr, string? ReplicaOf, Origin At, Origin EntryAt)
{
    /// <summary>"role/zone", the way route table associations and reports refer to a subnet.</summary>
    public string Key => $"{Role.Key()}/{Zone}";
}
