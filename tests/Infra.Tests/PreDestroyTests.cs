using System.Diagnostics;
using Infra.Tests.Harness;

namespace Infra.Tests;

/// <summary>
/// infra/pre-destroy (issue 23, item 6) against stand-in pulumi, kubectl and aws commands that
/// record their calls: the order that lets `pulumi destroy` complete (workloads' load balancers
/// first, while the controller still runs; then the CNI's leftover interfaces), and nothing changed
/// with --dry-run. What AWS then does is not modelled here.
/// </summary>
public sealed class PreDestroyTests
{
    private static (int Code, string Out, IReadOnlyList<string> Calls) Run(params string[] args)
    {
        var shims = Directory.CreateTempSubdirectory("infra-pre-destroy-");
        try
        {
            var log = Path.Combine(shims.FullName, "calls");
            void Shim(string name, string body) =>
                File.WriteAllText(Path.Combine(shims.FullName, name), $"#!/usr/bin/env bash\necho \"{name} $*\" >> '{log}'\n{body}\n");
            Shim("pulumi", "case \"$*\" in *clusterName*) echo leadertools-qas ;; *vpcId*) echo vpc-0123 ;; *kubeconfig*) echo '{}' ;; esac");
            Shim("kubectl", "case \"$*\" in *'get services'*) printf 'apps web\\n' ;; esac");
            Shim("aws", "case \"$*\" in *describe-network-interfaces*) echo eni-0aaa eni-0bbb ;; esac");
            foreach (var file in shims.EnumerateFiles())
            {
                if (OperatingSystem.IsWindows())
                {
                    continue;
                }

                File.SetUnixFileMode(file.FullName, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }

            var start = new ProcessStartInfo(Repo.Path("infra", "pre-destroy")) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var arg in args)
            {
                start.ArgumentList.Add(arg);
            }

            start.Environment["PATH"] = $"{shims.FullName}:{Environment.GetEnvironmentVariable("PATH")}";
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, output, File.Exists(log) ? File.ReadAllLines(log) : []);
        }
        finally
        {
            shims.Delete(recursive: true);
        }
    }

    [Fact]
    public void Workloads_load_balancers_go_before_the_cnis_interfaces()
    {
        var (code, _, calls) = Run("--stack", "qas");
        Assert.Equal(0, code);
        var ingress = calls.ToList().FindIndex(c => c.StartsWith("kubectl delete ingress --all --all-namespaces", StringComparison.Ordinal));
        var service = calls.ToList().FindIndex(c => c == "kubectl delete service --namespace apps web --wait=true");
        var waited = calls.ToList().FindIndex(c => c.Contains("Key=elbv2.k8s.aws/cluster,Values=leadertools-qas", StringComparison.Ordinal));
        var eni = calls.ToList().FindIndex(c => c == "aws ec2 delete-network-interface --network-interface-id eni-0aaa");
        Assert.True(ingress >= 0 && service > ingress && waited > service && eni > waited, string.Join("\n", calls));
        Assert.Contains("aws ec2 delete-network-interface --network-interface-id eni-0bbb", calls);
    }

    [Fact]
    public void Dry_run_deletes_nothing_and_says_what_it_would_do()
    {
        var (code, output, calls) = Run("--stack", "qas", "--dry-run");
        Assert.Equal(0, code);
        Assert.DoesNotContain(calls, c => c.Contains(" delete", StringComparison.Ordinal));
        Assert.Contains("+ aws ec2 delete-network-interface --network-interface-id eni-0aaa", output, StringComparison.Ordinal);
        Assert.Contains("pulumi config set --path leadertools:protection.enabled false", output, StringComparison.Ordinal);
    }
}
