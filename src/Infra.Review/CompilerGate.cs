using Infra.Emit;
using Infra.StackConfig;

namespace Infra.Review;

/// <summary>
/// What the compiler runs before it prints a program: `check`'s rules, so that `pulumi preview`,
/// which runs nothing else of ours, cannot skip them. Pulumi shows the compiler's stderr only when
/// it fails (pulumi-yaml v1.38.1 pkg/pulumiyaml/run.go, LoadFromCompiler), so an error-level
/// finding the stack has not waived fails the compiler, naming rule, key and line; warnings, which
/// must not fail it, reach the user as the program's `policyWarnings` output, which `pulumi
/// preview` and `pulumi up` print.
/// </summary>
public static class CompilerGate
{
    public const string WarningsOutput = "policyWarnings";

    /// <param name="enforce">False for review commands (diff), which show a program even when the gate would stop it.</param>
    public static string Compile(EnvironmentSpec env, StackFilePositions positions, InstanceLimits? catalogue = null, bool enforce = true)
    {
        // The pipeline: the loaded stack's references resolved once, the program's tree built from
        // them, the policy check on that tree (what is rendered: no rendering parsed back), the
        // warnings added as an output, the YAML written once.
        PulumiProgram program;
        ValidatedEnvironment valid;
        try
        {
            valid = ValidatedEnvironment.From(env);
            program = ProgramEmitter.Build(valid, catalogue);
        }
        catch (ConfigException e)
        {
            throw StackLoader.Locate(e, positions);
        }

        var result = PolicyCheck.Run(valid, ProgramSnapshot.From(program), positions);
        var blocking = result.Findings.Where(f => f.Blocks).ToList();
        if (enforce && blocking.Count > 0)
        {
            throw new ConfigException([.. blocking.Select(f => new ConfigProblem(
                f.ConfigKey ?? f.Resource,
                f.RuleId,
                $"{PolicyCheck.Rules.Single(r => r.Id == f.RuleId).Title}: {f.Message} Fix: {f.Fix} To accept it instead, give leadertools:policy.waivers.{f.RuleId} a written reason.")
            {
                Location = positions.File is { } file && f.Position is { } at ? $"{file}:{at.Line}:{at.Column}" : null,
            })]);
        }

        // A finding that depends on the day (a support window) stays out: the same stack must compile to the same bytes on any day.
        var warnings = result.Findings.Where(f => f.Severity == Severity.Warning || f.WaivedBecause is not null)
            .Where(f => !PolicyCheck.Rules.Single(r => r.Id == f.RuleId).DependsOnTheDate)
            .Select(f => f.WaivedBecause is { } reason
                ? $"{f.RuleId} waived ({reason}): {f.Resource}: {f.Message}"
                // The key, not its line: a comment added to the stack file must not change the program.
                : $"{f.RuleId} {f.Resource}{(f.ConfigKey is { } key ? $" ({key})" : "")}: {f.Message}")
            .ToList();
        ProgramEmitter.AddWarnings(program, WarningsOutput, warnings);
        return ProgramEmitter.Render(program);
    }
}
