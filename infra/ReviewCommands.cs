using Infra.StackConfig;
using System.CommandLine;
using Infra.Emit;
using Infra.Review;

namespace Infra.Cli;

/// <summary>The offline review commands: each loads the stack like the compiler, then asks src/Infra.Review.</summary>
internal static class ReviewCommands
{
    public static IEnumerable<Command> Create(StackOptions stack, TextWriter stdout, TextWriter stderr)
    {
        yield return Plan(stack, stdout);
        yield return Diff(stack, stdout, stderr);
        yield return TraceCommand(stack, stdout);
        yield return CapacityCommand(stack, stdout);
        yield return DiagramCommand(stack, stdout);
        yield return Check(stack, stdout);
        yield return UpgradeCommand(stack, stdout);
        yield return Schema(stack, stdout);
        yield return RulesCommand(stack, stdout);
    }

    private static Command RulesCommand(StackOptions stack, TextWriter stdout)
    {
        var format = FormatOption();
        var update = new Option<FileInfo?>("--update-readme") { Description = "Rewrite the rule reference embedded in this README between its policy-rules markers." };
        update.HelpName = "FILE";
        update.CompletionSources.Add(ShellCompletion.Files(".md"));
        var command = new Command("rules", "The policy rules `check` and the compiler's gate apply: id, severity, why, how to fix, an example. Needs no stack.");
        command.Options.Add(stack.Directory);
        command.Options.Add(format);
        command.Options.Add(update);
        command.SetAction(parse =>
        {
            var report = PolicyCheck.RulesReport();
            if (parse.GetValue(update) is { } readme)
            {
                WriteAtomically(readme, ReadmeSection.Replace(ReadExisting(readme, "--update-readme"), PolicyCheck.ReadmeSection, report.Render(OutputFormat.Markdown, Terminal.Layout), PolicyCheck.ReadmeSection));
            }

            stdout.Write(report.Render(Parse(parse.GetValue(format)!), Terminal.Layout));
            return ExitCodes.Success;
        });
        return command;
    }

    internal static Option<string> FormatOption(params string[] extra)
    {
        var option = new Option<string>("--format", "-f")
        {
            Description = "Output format.",
            DefaultValueFactory = _ => "text",
        };
        option.AcceptOnlyFromAmong(["text", "markdown", "json", .. extra]);
        return option;
    }

    /// <summary>The text of a file an option names; a missing file is a usage error naming the option.</summary>
    private static string ReadExisting(FileInfo file, string option)
    {
        if (!file.Exists)
        {
            throw new UsageException(option, file.FullName, "no such file");
        }

        try
        {
            return BoundedYaml.ReadText(file.FullName);
        }
        catch (YamlRefusedException e)
        {
            throw new UsageException(option, file.FullName, e.Message);
        }
    }

    /// <summary>
    /// Writes beside the file, flushes to disk, then renames over it: killed mid-write or on a full
    /// disk, the original stays whole (a rename within a directory is atomic on POSIX file systems).
    /// </summary>
    internal static void WriteAtomically(FileInfo file, string text)
    {
        var temporary = Path.Combine(file.DirectoryName!, $".{file.Name}.{Environment.ProcessId}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write))
            {
                var bytes = new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(text);
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, file.FullName, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    internal static OutputFormat Parse(string format) => format switch
    {
        "markdown" => OutputFormat.Markdown,
        "json" => OutputFormat.Json,
        _ => OutputFormat.Text,
    };

    private static Command NewCommand(string name, string description, StackOptions stack, Option<string> format)
    {
        var command = new Command(name, description);
        stack.AddTo(command);
        command.Options.Add(format);
        return command;
    }

    private static Command Plan(StackOptions stack, TextWriter stdout)
    {
        var format = FormatOption();
        var command = NewCommand("plan", "What the stack will contain: resources by role, route tables, security groups, counts per type.", stack, format);
        command.SetAction(parse =>
        {
            var env = stack.LoadValidated(parse);
            stdout.Write(Review.Plan.ToReport(Review.Plan.Compute(env, ProgramEmitter.Build(env.Spec))).Render(Parse(parse.GetValue(format)!), Terminal.Layout));
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Diff(StackOptions stack, TextWriter stdout, TextWriter stderr)
    {
        var format = FormatOption();
        var baseOption = new Option<string?>("--base") { Description = "A git revision (e.g. origin/main) or a saved program file to compare the working tree's program with." };
        baseOption.CompletionSources.Add(ShellCompletion.GitRevisions(stack));
        baseOption.HelpName = "REVISION|FILE";
        baseOption.CompletionSources.Add(ShellCompletion.Files(".yaml", ".yml"));
        var stateOption = new Option<FileInfo?>("--state") { Description = "A deployed stack's state (`pulumi stack export --file state.json`): what `pulumi up` would create, update, replace and delete." };
        stateOption.HelpName = "FILE";
        stateOption.CompletionSources.Add(ShellCompletion.Files(".json"));
        var command = NewCommand("diff", "What changes between the working tree's program and another revision's (or a saved program). Exits 2 when they differ.", stack, format);
        var timeout = new Option<int>("--timeout") { Description = "Seconds the base revision's compiler may take before it is stopped.", DefaultValueFactory = _ => (int)DiffBase.DefaultTimeout.TotalSeconds };
        timeout.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() <= 0)
            {
                result.AddError("--timeout: expected a positive number of seconds");
            }
        });
        command.Options.Add(baseOption);
        command.Options.Add(stateOption);
        command.Options.Add(timeout);
        command.Validators.Add(result =>
        {
            // GetResult, not GetValue: an option given without its value is the parser's own error, and
            // GetValue on it throws.
            if ((result.GetResult(baseOption) is null) == (result.GetResult(stateOption) is null))
            {
                result.AddError("diff needs exactly one of --base REF (a revision or saved program) and --state FILE (a deployed stack's state)");
            }
        });
        command.SetAction(parse =>
        {
            var (env, positions) = StackLoader.LoadLocated(stack.ResolveRequired(parse));
            var head = CompilerGate.Compile(env, positions, enforce: false);
            DiffResult diff;
            if (parse.GetValue(stateOption) is { } state)
            {
                var (deployed, planned) = DeployedState.Compare(ReadExisting(state, "--state"), state.FullName, head);
                diff = ProgramDiff.Compare(deployed, planned, $"deployed ({state.Name})", "working tree");
            }
            else
            {
                var (baseProgram, label) = DiffBase.Load(parse.GetValue(baseOption)!, parse.GetValue(stack.Directory)!.FullName, env.Stack, stderr.WriteLine, TimeSpan.FromSeconds(parse.GetValue(timeout)));
                diff = ProgramDiff.Compare(ProgramSnapshot.Parse(baseProgram, label), ProgramSnapshot.Parse(head, "working tree"), label, "working tree");
            }

            stdout.Write(ProgramDiff.ToReport(diff).Render(Parse(parse.GetValue(format)!), Terminal.Layout));
            return diff.Refusals.Count > 0 ? ExitCodes.RefusedAtApply : diff.HasReplacements ? ExitCodes.Replacements : diff.HasChanges ? ExitCodes.Changes : ExitCodes.Success;
        });
        return command;
    }

    private static Command TraceCommand(StackOptions stack, TextWriter stdout)
    {
        var format = FormatOption();
        var from = new Option<string>("--from") { Description = "Source: an IPv4 address or a subnet (role/zone, or the subnet id it replicates). An address outside the VPC enters where its return route points: a corporate network (guideClaims.corporateNetworks) behind the default route through that route's gateway, an internet address through the internet gateway (to public addresses only).", Required = true };
        var to = new Option<string>("--to") { Description = "Destination: an IPv4 address, a subnet (role/zone: a host in it), lb:APP to follow a request through an application's load balancer hop by hop, or service:NAME for an AWS service (its interface endpoint by private DNS, the S3 gateway endpoint's prefix-list route, else the default route). A service address sent from a node or pod is rewritten by kube-proxy to a pod; a pod's packet leaving the VPC's CIDRs carries its node's address (the CNI's source NAT).", Required = true };
        var fromInterface = new Option<string?>("--from-interface") { Description = "Which interface in the source subnet sends: node, control-plane, pod, gateway or endpoint (default: the subnet role's first)." };
        var toInterface = new Option<string?>("--to-interface") { Description = "Which interface in the destination subnet receives, as --from-interface (its security groups are the ones checked)." };
        var fail = new Option<string?>("--fail") { Description = "A gateway to take down: which destinations lose their route." };
        var port = new Option<int?>("--port") { Description = "Destination port, to say whether the security groups allow it." };
        from.CompletionSources.Add(ShellCompletion.FromStack(stack, ShellCompletion.Subnets));
        to.CompletionSources.Add(ShellCompletion.FromStack(stack, env => ShellCompletion.Subnets(env).Concat(ShellCompletion.LoadBalancers(env)).Concat(Review.Trace.ServiceNames.Select(n => Review.Trace.ServicePrefix + n))));
        fail.CompletionSources.Add(ShellCompletion.FromStack(stack, ShellCompletion.Gateways));
        fromInterface.CompletionSources.Add(ShellCompletion.InterfaceKinds);
        toInterface.CompletionSources.Add(ShellCompletion.InterfaceKinds);
        var protocol = new Option<string>("--protocol") { Description = "tcp or udp (with --port).", DefaultValueFactory = _ => "tcp" };
        protocol.AcceptOnlyFromAmong("tcp", "udp");
        var command = NewCommand("trace", "The path a packet takes: source subnet, route table, winning route, target, and the security groups that must allow it.", stack, format);
        command.Options.Add(from);
        command.Options.Add(to);
        command.Options.Add(fail);
        command.Options.Add(port);
        command.Options.Add(protocol);
        command.Options.Add(fromInterface);
        command.Options.Add(toInterface);
        command.SetAction(parse =>
        {
            var env = stack.LoadValidated(parse);
            if (parse.GetValue(port) is { } p && (p < 0 || p > 65535))
            {
                throw new UsageException("--port", p.ToString(System.Globalization.CultureInfo.InvariantCulture), "a port is from 0 to 65535");
            }

            var result = Review.Trace.Run(env, parse.GetValue(from)!, parse.GetValue(to)!, parse.GetValue(fail), parse.GetValue(port), parse.GetValue(protocol) == "udp" ? IpProtocol.Udp : IpProtocol.Tcp,
                parse.GetValue(fromInterface), parse.GetValue(toInterface));
            stdout.Write(Review.Trace.ToReport(result).Render(Parse(parse.GetValue(format)!), Terminal.Layout));
            return result.Delivered ? ExitCodes.Success : ExitCodes.NotDelivered;
        });
        return command;
    }

    private static Command CapacityCommand(StackOptions stack, TextWriter stdout)
    {
        var format = FormatOption();
        var command = NewCommand("capacity", "Pod addresses per pod subnet with and without prefix delegation, max pods per node, and whether the guide's claims hold.", stack, format);
        command.SetAction(parse =>
        {
            var env = stack.LoadValidated(parse);
            stdout.Write(Capacity.ToReport(Capacity.Compute(env, InstanceLimits.Embedded)).Render(Parse(parse.GetValue(format)!), Terminal.Layout));
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command DiagramCommand(StackOptions stack, TextWriter stdout)
    {
        var format = FormatOption();
        var update = new Option<FileInfo?>("--update-readme") { Description = "Rewrite the diagram embedded in this README between its diagram markers." };
        update.HelpName = "FILE";
        update.CompletionSources.Add(ShellCompletion.Files(".md"));
        var command = NewCommand("diagram", "A Mermaid flowchart of the stack: VPC, subnets, route tables and their targets, gateways, the cluster.", stack, format);
        command.Options.Add(update);
        command.SetAction(parse =>
        {
            var env = stack.LoadValidated(parse);
            if (parse.GetValue(update) is { } readme)
            {
                WriteAtomically(readme, Review.Diagram.EmbedInReadme(ReadExisting(readme, "--update-readme"), env.Stack, Review.Diagram.Mermaid(env)));
            }

            // Text is the Mermaid source alone, so `diagram > qas.mmd` is a valid Mermaid file.
            var chosen = Parse(parse.GetValue(format)!);
            stdout.Write(chosen == OutputFormat.Text ? Review.Diagram.Mermaid(env) : Review.Diagram.ToReport(env).Render(chosen, Terminal.Layout));
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Check(StackOptions stack, TextWriter stdout)
    {
        var format = FormatOption("sarif");
        var program = new Option<FileInfo?>("--program") { Description = "Check this saved program instead of the stack's planned one (routing rules still use the stack)." };
        program.HelpName = "FILE";
        program.CompletionSources.Add(ShellCompletion.Files(".yaml", ".yml"));
        var asOf = new Option<DateOnly?>("--as-of") { Description = "Judge EKS support windows as of this day (YYYY-MM-DD; default: today, UTC)." };
        var command = NewCommand("check", "Policy rules over the program: exposure, SSH/RDP, public endpoint, single gateway, discovery tags, route overlaps. Exit 2 when an error-level finding exists.", stack, format);
        command.Options.Add(program);
        command.Options.Add(asOf);
        command.SetAction(parse =>
        {
            var (env, positions) = StackLoader.LoadLocated(stack.ResolveRequired(parse));
            var saved = parse.GetValue(program);
            var text = saved is null ? ProgramEmitter.Render(env) : ReadExisting(saved, "--program");
            var result = PolicyCheck.Run(ValidatedEnvironment.From(env), ProgramSnapshot.Parse(text, saved?.FullName ?? "the planned program", Review.ReviewInput.Program), positions, parse.GetValue(asOf));
            var chosen = parse.GetValue(format)!;
            stdout.Write(chosen == "sarif" ? PolicyCheck.ToSarif(result) : PolicyCheck.ToReport(result).Render(Parse(chosen), Terminal.Layout));
            return result.Errors > 0 ? ExitCodes.Changes : ExitCodes.Success;
        });
        return command;
    }

    private static Command UpgradeCommand(StackOptions stack, TextWriter stdout)
    {
        var format = FormatOption();
        var to = new Option<string>("--to") { Description = "The Kubernetes minor to reach (\"1.36\"), planned one minor at a time.", Required = true };
        to.CompletionSources.Add(_ => VersionCatalogue.Embedded.Kubernetes.Select(k => new System.CommandLine.Completions.CompletionItem(k.Version)));
        var asOf = new Option<DateOnly?>("--as-of") { Description = "Judge support windows as of this day (YYYY-MM-DD; default: today, UTC)." };
        var write = new Option<bool>("--write") { Description = "Write the first hop into the stack file (comments and layout kept); review it with diff, deploy it, then plan the next." };
        var command = NewCommand("upgrade", "Plan a Kubernetes upgrade hop by hop from the version catalogue: control plane, add-ons, node AMI, controller chart.", stack, format);
        command.Options.Add(to);
        command.Options.Add(asOf);
        command.Options.Add(write);
        command.SetAction(parse =>
        {
            var source = stack.ResolveRequired(parse);
            var env = ValidatedEnvironment.From(StackLoader.Load(source));
            var day = parse.GetValue(asOf) ?? DateOnly.FromDateTime(DateTime.UtcNow);
            var plan = Upgrade.Plan(env, parse.GetValue(to)!, day, VersionCatalogue.Embedded);
            if (parse.GetValue(write))
            {
                if (source is not StackSource.StackFile file)
                {
                    throw new UsageException("--write", "true", "needs --stack NAME: it writes Pulumi.NAME.yaml");
                }

                var path = new FileInfo(Path.Combine(file.Directory, $"Pulumi.{file.Stack}.yaml"));
                var written = Upgrade.WriteFirstHop(ReadExisting(path, "--stack"), env.Spec.Project, plan);
                // Nothing half-written: the edited file must load and compile before it replaces the old one.
                var scratch = Directory.CreateTempSubdirectory("infra-upgrade-");
                try
                {
                    File.Copy(Path.Combine(file.Directory, "Pulumi.yaml"), Path.Combine(scratch.FullName, "Pulumi.yaml"));
                    File.WriteAllText(Path.Combine(scratch.FullName, path.Name), written);
                    var (edited, positions) = StackLoader.LoadLocated(new StackSource.StackFile(scratch.FullName, file.Stack));
                    CompilerGate.Compile(edited, positions, enforce: true);
                }
                finally
                {
                    scratch.Delete(recursive: true);
                }

                WriteAtomically(path, written);
            }

            stdout.Write(Upgrade.ToReport(plan).Render(Parse(parse.GetValue(format)!), Terminal.Layout));
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Schema(StackOptions stack, TextWriter stdout)
    {
        var format = new Option<string>("--format", "-f") { Description = "json: a JSON Schema of Pulumi.<stack>.yaml; markdown: the configuration reference.", DefaultValueFactory = _ => "json" };
        format.AcceptOnlyFromAmong("json", "markdown");
        var update = new Option<FileInfo?>("--update-readme") { Description = "Rewrite the configuration reference embedded in this README between its config-reference markers." };
        update.HelpName = "FILE";
        update.CompletionSources.Add(ShellCompletion.Files(".md"));
        var command = new Command("schema", $"The stack configuration's keys: a JSON Schema for editors (shipped as {ConfigReference.ShippedPath}), or the reference table. Needs no stack.");
        command.Options.Add(stack.Directory);
        command.Options.Add(format);
        command.Options.Add(update);
        command.SetAction(parse =>
        {
            var project = PulumiProject.Open(parse.GetValue(stack.Directory)!.FullName).Name;
            var markdown = ConfigReference.Markdown(project);
            if (parse.GetValue(update) is { } readme)
            {
                WriteAtomically(readme, ReadmeSection.Replace(ReadExisting(readme, "--update-readme"), ConfigReference.ReadmeSection, markdown, ConfigReference.ReadmeSection));
            }

            stdout.Write(parse.GetValue(format) == "markdown" ? markdown : ConfigReference.JsonSchema(project));
            return ExitCodes.Success;
        });
        return command;
    }
}
