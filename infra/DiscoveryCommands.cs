using System.CommandLine;
using Infra.Discovery;
using Infra.StackConfig;

namespace Infra.Cli;

/// <summary>`discover` (a stack file from a live VPC) and `drift` (a stack file against the live VPC it replicates).</summary>
internal static class DiscoveryCommands
{
    public static IEnumerable<Command> Create(StackOptions stack, TextWriter stdout, TextWriter stderr)
    {
        yield return Discover(stack, stdout, stderr);
        yield return DriftCommand(stack, stdout);
    }

    private static Option<string?> EndpointOption() => new("--endpoint-url")
    {
        Description = "The EC2 endpoint to call instead of AWS's (an emulator such as moto_server, or a VPC endpoint).",
    };

    private static Command Discover(StackOptions stack, TextWriter stdout, TextWriter stderr)
    {
        var region = new Option<string>("--region") { Description = "The AWS region of the VPC.", Required = true };
        // Named, not listed: help would otherwise print every region on one line (`check` and the README list them).
        region.HelpName = "REGION";
        region.CompletionSources.Add(_ => Regions.KnownRegions.Select(r => new System.CommandLine.Completions.CompletionItem(r)));
        var vpcId = new Option<string>("--vpc-id") { Description = "The VPC to read (vpc-...).", Required = true };
        var eks = new Option<FileInfo[]>("--eks") { Description = "`aws eks describe-cluster` and `aws eks describe-nodegroup` output (JSON files) for the cluster's keys.", AllowMultipleArgumentsPerToken = true };
        eks.HelpName = "FILE";
        eks.CompletionSources.Add(ShellCompletion.Files(".json"));
        var force = new Option<bool>("--force") { Description = "Overwrite an existing Pulumi.<stack>.yaml." };
        var endpoint = EndpointOption();
        var command = new Command("discover", "Read a VPC through the AWS API (read-only) and write the stack file that replicates it: Pulumi.<stack>.yaml with --stack, else to stdout.");
        stack.AddTo(command);
        foreach (var option in new Option[] { region, vpcId, eks, force, endpoint })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parse, cancel) =>
        {
            var regionName = parse.GetValue(region)!;
            if (!Regions.IsKnownRegion(regionName))
            {
                throw new UsageException("--region", regionName, Regions.Refusal(regionName));
            }

            var vpc = parse.GetValue(vpcId)!;
            if (!vpc.StartsWith("vpc-", StringComparison.Ordinal))
            {
                throw new UsageException("--vpc-id", vpc, "a VPC id starts with vpc-");
            }

            var project = PulumiProject.Open(parse.GetValue(stack.Directory)!.FullName);
            var stackName = parse.GetValue(stack.Stack);
            if (stackName is not null)
            {
                // Before any call: the name becomes a file name, and must stay inside the project.
                PulumiProject.CheckName(stackName, "--stack", "stack");
            }

            var target = stackName is null ? null : new FileInfo(project.StackFile(stackName));
            if (target is { Exists: true } && !parse.GetValue(force))
            {
                throw new UsageException("--stack", stackName!, $"{target.Name} exists: give --force to overwrite it");
            }

            var facts = parse.GetValue(eks) is { Length: > 0 } files
                ? EksFacts.Read([.. files.Select(f => (f.FullName, f.Exists ? File.ReadAllText(f.FullName) : throw new UsageException("--eks", f.FullName, "no such file")))])
                : null;
            using var client = Ec2Reader.Client(regionName, parse.GetValue(endpoint));
            var live = await Ec2Reader.ReadAsync(client, regionName, vpc, cancel);
            var discovered = StackFileWriter.Write(live, project.Name, facts);
            // The file is checked as `pulumi preview` would compile it (the compiler's gate included)
            // before it is printed or takes the real name: a file discover writes always compiles.
            try
            {
                Validate(project, stackName ?? "discovered", discovered.Text);
            }
            catch (ConfigException refused) when (discovered.AcceptingOriginalGroups(refused.Problems) is { } accepting)
            {
                discovered = accepting;
                Validate(project, stackName ?? "discovered", discovered.Text);
            }
            if (stackName is null)
            {
                stdout.Write(discovered.Text);
            }
            else
            {
                ReviewCommands.WriteAtomically(target!, discovered.Text);
            }

            stderr.WriteLine($"infra: {(stackName is null ? "discovered" : $"wrote {target!.Name} from")} {vpc}; what it read and what became of it:");
            foreach (var line in discovered.Summary())
            {
                stderr.WriteLine($"infra:   {line}");
            }

            foreach (var accepted in discovered.Accepted)
            {
                stderr.WriteLine($"infra: warning: {accepted}");
            }

            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Loads the discovered stack file from a scratch copy of the project: what fails here is never written.</summary>
    private static void Validate(PulumiProject project, string stackName, string text)
    {
        var scratch = Directory.CreateTempSubdirectory("infra-discover-");
        try
        {
            File.Copy(Path.Combine(project.Directory, PulumiProject.ProjectFile), Path.Combine(scratch.FullName, PulumiProject.ProjectFile));
            File.WriteAllText(Path.Combine(scratch.FullName, Path.GetFileName(project.StackFile(stackName))), text);
            var (env, positions) = StackLoader.LoadLocated(new StackSource.StackFile(scratch.FullName, stackName));
            Infra.Review.CompilerGate.Compile(env, positions, enforce: true);
        }
        finally
        {
            scratch.Delete(recursive: true);
        }
    }

    private static Command DriftCommand(StackOptions stack, TextWriter stdout)
    {
        var format = ReviewCommands.FormatOption();
        var endpoint = EndpointOption();
        var command = new Command("drift", "Compare the stack file with the live VPC its replicaOf ids name: routes, CIDRs, gateways, subnet tags, associations, security group rules. Exits 2 on drift.");
        stack.AddTo(command);
        command.Options.Add(format);
        command.Options.Add(endpoint);
        command.SetAction(async (parse, cancel) =>
        {
            var source = stack.ResolveRequired(parse);
            var (spec, positions) = StackLoader.LoadLocated(source);
            var env = ValidatedEnvironment.From(spec);
            var vpc = env.Network.Vpc.ReplicaOf
                ?? throw new UsageException("vpc.replicaOf", "(not set)", "drift compares the stack file with the VPC its vpc.replicaOf names (infra discover writes it)");
            using var client = Ec2Reader.Client(env.Network.Region, parse.GetValue(endpoint));
            var live = await Ec2Reader.ReadAsync(client, env.Network.Region, vpc, cancel, $"{env.Project}:vpc.replicaOf");
            var result = Drift.Compare(env, live, positions);
            stdout.Write(Drift.ToReport(result).Render(ReviewCommands.Parse(parse.GetValue(format)!), Terminal.Layout));
            return result.Drifted ? ExitCodes.Changes : ExitCodes.Success;
        });
        return command;
    }
}
