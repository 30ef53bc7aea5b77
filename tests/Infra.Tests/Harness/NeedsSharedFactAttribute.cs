namespace Infra.Tests.Harness;

/// <summary>
/// A fact that needs ../shared beside the repository (as CI lays it out): elsewhere it is reported
/// as skipped, with the reason, never as passed.
/// </summary>
public sealed class NeedsSharedFactAttribute : FactAttribute
{
    public NeedsSharedFactAttribute()
    {
        if (Repo.Shared is null)
        {
            Skip = "needs ../shared beside the repository (the spec, the tools and the ENI limits table)";
        }
    }
}
