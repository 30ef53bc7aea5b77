using Infra.Tests.Harness;
using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Running;
using Infra.Emit;
using Infra.StackConfig;

namespace Infra.Benchmarks;

public static class Program
{
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}

/// <summary>Emitting the qas program in-process, from a loaded and validated stack.</summary>
[MemoryDiagnoser]
public class EmitQas
{
    private EnvironmentSpec _qas = null!;

    [GlobalSetup]
    public void Setup() => _qas = StackLoader.Load(new StackSource.StackFile(Repo.Root, "qas"));

    [Benchmark]
    public string Emit() => ProgramEmitter.Render(_qas);

    [Benchmark]
    public EnvironmentSpec LoadAndValidate() => StackLoader.Load(new StackSource.StackFile(Repo.Root, "qas"));
}

/// <summary>The whole compiler process, prebuilt, as Pulumi starts it (twice per preview): infra/pulumi-compiler.</summary>
public class CompilerProcess
{
    private string _root = null!;

    [GlobalSetup]
    public void Setup()
    {
        _root = Repo.Root;
        Run(); // builds .build/infra on first use
    }

    [Benchmark]
    public int Run()
    {
        // The script Pulumi runs: its staleness check, then the prebuilt compiler (native, or ReadyToRun where it cannot link).
        var start = new ProcessStartInfo(Path.Combine(_root, "infra", "pulumi-compiler")) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = _root };
        foreach (var arg in new[] { "compile", "--stack", "qas" })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0 ? 0 : throw new InvalidOperationException(process.StandardError.ReadToEnd());
    }
}

/// <summary>Route lookups per second on the qas main table (the trace hot path).</summary>
public class TraceLookups
{
    private const int Lookups = 100_000;
    private RouteLookup _lookup = null!;
    private uint[] _addresses = null!;

    [GlobalSetup]
    public void Setup()
    {
        var qas = StackLoader.Load(new StackSource.StackFile(Repo.Root, "qas"));
        _lookup = RouteLookup.For(qas.Network, qas.Network.MainRouteTable!);
        var random = new Random(42);
        _addresses = Enumerable.Range(0, Lookups).Select(_ => (uint)random.NextInt64(0, uint.MaxValue)).ToArray();
    }

    [Benchmark(OperationsPerInvoke = Lookups)]
    public int Lookup()
    {
        var sum = 0;
        foreach (var address in _addresses)
        {
            sum += _lookup.MatchIndex(address);
        }

        return sum;
    }
}

/// <summary>Emission of a synthetic stack: 100 subnets and up to 5,000 routes, to show linear growth.</summary>
[MemoryDiagnoser]
public class EmitSynthetic
{
    [Params(1_250, 2_500, 5_000)]
    public int Routes { get; set; }

    private EnvironmentSpec _env = null!;

    [GlobalSetup]
    public void Setup() => _env = Synthetic.Build(100, Routes);

    [Benchmark]
    public string Emit() => ProgramEmitter.Render(_env);
}

public static class Synthetic
{
    public static EnvironmentSpec Build(int subnetCount, int routeCount)
    {
        var at = new Origin("synthetic");
        // Emission only (validation is skipped): a role has one subnet per zone, so 100 subnets
        // need 50 made-up zones over two roles.
        var zones = Enumerable.Range(0, (subnetCount + 1) / 2).Select(i => $"zone-{i:D3}").ToArray();
        var subnets = Enumerable.Range(0, subnetCount)
            .Select(i => new SubnetSpec(i % 2 == 0 ? SubnetRole.Public : SubnetRole.Nodes, zones[i / 2], Cidr.Parse($"10.0.{i}.0/24"), null, at.Index(i), at.Index(i)))
            .ToList();
        var gateways = Enumerable.Range(0, 3).Select(i => new GatewayInstance($"gw{i}", $"gateway {i}", GatewayPlacement.ExistingInThisVpc, null, $"i-{i:x17}", $"eni-{i:x17}", null, at)).ToList();
        var routes = Enumerable.Range(0, routeCount)
            .Select(i => new RouteSpec(Cidr.FromNetwork(Ipv4.Parse("11.0.0.0") + (uint)i, 32), RouteTarget.Instance($"gw{i % 3}"), null, at))
            .ToList();
        var network = new NetworkSpec(
            "us-east-1",
            new VpcSpec("synthetic", new Located<Cidr>(Cidr.Parse("10.0.0.0/16"), at), [], null),
            zones.Select(z => new Located<string>(z, at)).ToList(),
            subnets,
            null,
            new NatGatewaySpec(false, [], at),
            gateways,
            [new RouteTableSpec("main", true, null, routes, [], at)]);
        return new EnvironmentSpec("synthetic", "bench", network, null, null);
    }
}
