namespace Infra.Cli;

/// <summary>Exit codes of every command (also listed in --help and the README).</summary>
public static class ExitCodes
{
    public const int Success = 0;

    /// <summary>Bad configuration or arguments, or any other error.</summary>
    public const int Error = 1;

    /// <summary>diff: the programs differ. check: an error-level finding. drift: the stack file and the live VPC differ.</summary>
    public const int Changes = 2;

    /// <summary>trace: the packet is not delivered (no route, a blackhole, or refused by the security groups).</summary>
    public const int NotDelivered = 3;

    /// <summary>diff: the changes replace at least one resource (delete and create).</summary>
    public const int Replacements = 4;

    /// <summary>diff: a change preview accepts and `pulumi up` will fail on (an APPLY rule).</summary>
    public const int RefusedAtApply = 5;

    public const string HelpText = "Exit codes: 0 success (diff: no changes; check: no error-level findings); 1 bad configuration, bad arguments or another error; 2 diff found changes, check found an error-level finding, or drift found drift; 3 trace: the packet is not delivered (no route, a blackhole, or refused by the security groups); 4 diff found changes that replace a resource; 5 diff found a change `pulumi up` will fail on (an APPLY rule); 128 + N diff was stopped by signal N (130 Ctrl-C, 143 SIGTERM) after removing its worktree.";
}
