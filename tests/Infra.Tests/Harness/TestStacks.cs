using System.Collections.Concurrent;

namespace Infra.Tests.Harness;

/// <summary>
/// The stacks as Pulumi would run them, compiled once per test run and evaluated under mocks
/// (the analogue of Pulumi's `RunAsync&lt;Stack&gt;()` test helper).
/// </summary>
public static class TestStacks
{
    private static readonly ConcurrentDictionary<string, Lazy<(string Program, MockDeployment Deployment)>> Cache = new();

    public static string Program(string stack) => Get(stack).Item1;

    public static MockDeployment Run(string stack) => Get(stack).Item2;

    public static MockDeployment Qas => Run("qas");

    private static (string, MockDeployment) Get(string stack) => Cache.GetOrAdd(stack, s => new Lazy<(string, MockDeployment)>(() =>
    {
        var result = PulumiRun.Compile(s);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"the compiler failed for {s} ({result.ExitCode}): {result.Stderr}");
        }

        return (result.Stdout, MockEngine.Run(result.Stdout, PulumiRun.StackConfig(s)));
    })).Value;
}
