namespace Infra.Model.Cni;

/// <summary>VPC CNI settings: custom networking puts pods in their own subnets via ENIConfigs.</summary>
public sealed record CniSpec(bool CustomNetworking, string EniConfigLabel, bool PrefixDelegation, Origin At);
