namespace Infra.Model.Cluster;

/// <summary>
/// The regional registries AWS serves its EKS add-on images from (EKS User Guide, "View Amazon
/// container image registries for Amazon EKS add-ons", docs.aws.amazon.com/eks/latest/userguide/
/// add-ons-images.html; awsdocs/amazon-eks-user-guide latest/ug/workloads/add-ons-images.adoc):
/// one account per region, reached as ACCOUNT.dkr.ecr.REGION.amazonaws.com. Pulling from it takes
/// the ECR API and DKR endpoints and S3 (where ECR keeps layers): the VPC endpoints the bootstrap
/// phase creates, where public.ecr.aws, the charts' default, is not served.
/// </summary>
public static class EksImageRegistries
{
    private static readonly Dictionary<string, string> AccountByRegion = new(StringComparer.Ordinal)
    {
        ["af-south-1"] = "877085696533",
        ["ap-east-1"] = "800184023465",

        // The page's row for ap-east-2 names the host 533267051163.dkr.ecr.ap-east-1.amazonaws.com;
        // every other row's host names its own region, and the VPC's ECR endpoints reach only their
        // own region's registries, so the region part is taken as a slip and the account kept.
        ["ap-east-2"] = "533267051163",
        ["ap-northeast-1"] = "602401143452",
        ["ap-northeast-2"] = "602401143452",
        ["ap-northeast-3"] = "602401143452",
        ["ap-south-1"] = "602401143452",
        ["ap-south-2"] = "900889452093",
        ["ap-southeast-1"] = "602401143452",
        ["ap-southeast-2"] = "602401143452",
        ["ap-southeast-3"] = "296578399912",
        ["ap-southeast-4"] = "491585149902",
        ["ap-southeast-5"] = "151610086707",
        ["ap-southeast-6"] = "333609536671",
        ["ap-southeast-7"] = "121268973566",
        ["ca-central-1"] = "602401143452",
        ["ca-west-1"] = "761377655185",
        ["eu-central-1"] = "602401143452",
        ["eu-central-2"] = "900612956339",
        ["eu-north-1"] = "602401143452",
        ["eu-south-1"] = "590381155156",
        ["eu-south-2"] = "455263428931",
        ["eu-west-1"] = "602401143452",
        ["eu-west-2"] = "602401143452",
        ["eu-west-3"] = "602401143452",
        ["il-central-1"] = "066635153087",
        ["me-central-1"] = "759879836304",
        ["me-south-1"] = "558608220178",
        ["mx-central-1"] = "730335286997",
        ["sa-east-1"] = "602401143452",
        ["us-east-1"] = "602401143452",
        ["us-east-2"] = "602401143452",
        ["us-west-1"] = "602401143452",
        ["us-west-2"] = "602401143452",
    };

    public static bool Knows(string region) => AccountByRegion.ContainsKey(region);

    /// <summary>The registry host of the region, or null where AWS's table has none.</summary>
    public static string? Host(string region) =>
        AccountByRegion.TryGetValue(region, out var account) ? $"{account}.dkr.ecr.{region}.amazonaws.com" : null;

    /// <summary>Whether an image repository lives in a private ECR registry of this region (reached through the ECR endpoints).</summary>
    public static bool IsRegionalEcr(string repository, string region) =>
        repository.Split('/')[0] is var host
        && host.EndsWith($".dkr.ecr.{region}.amazonaws.com", StringComparison.Ordinal)
        && host.Split('.')[0].All(char.IsAsciiDigit);
}
