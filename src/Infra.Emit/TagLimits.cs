namespace Infra.Emit;

/// <summary>
/// Every tag value the program writes, derived or given, within AWS's 256 characters (EC2 User
/// Guide, "Tag restrictions"): a name built from the VPC's name and a suffix can pass every rule on
/// the config key and still be refused by AWS halfway through `pulumi up`. A value too long is
/// traced back to the config value it contains (the longest), so the message names that key.
/// </summary>
internal static class TagLimits
{
    public static void Check(PulumiProgram program, EnvironmentSpec env)
    {
        var problems = new List<ConfigProblem>();
        foreach (var resource in program.Resources)
        {
            foreach (var (tag, value) in Tags(resource.Properties, ""))
            {
                if (value.Length <= AwsQuotas.TagValueLength)
                {
                    continue;
                }

                var source = env.ConfigStrings.Where(s => s.Value.Length > 0 && value.Contains(s.Value, StringComparison.Ordinal)).MaxBy(s => s.Value.Length);
                problems.Add(new ConfigProblem(source?.At.Path ?? resource.Name, source is null ? value : source.Value,
                    $"makes the tag {tag} of {resource.Name} {value.Length} characters long; AWS allows {AwsQuotas.TagValueLength}"));
            }
        }

        if (problems.Count > 0)
        {
            throw new ConfigException([.. problems.DistinctBy(p => p.Key)]);
        }
    }

    /// <summary>Tag values under any `tags` map (resource tags, tag specifications), literal text only.</summary>
    private static IEnumerable<(string Tag, string Value)> Tags(PValue value, string path)
    {
        switch (value)
        {
            case PMap map:
                foreach (var (key, child) in map.Entries)
                {
                    if (key == "tags" && child is PMap tags)
                    {
                        foreach (var (tag, tagValue) in tags.Entries)
                        {
                            if (tagValue is PString text)
                            {
                                yield return (tag, text.Value.Replace("$$", "$", StringComparison.Ordinal));
                            }
                        }
                    }
                    else
                    {
                        foreach (var inner in Tags(child, $"{path}.{key}"))
                        {
                            yield return inner;
                        }
                    }
                }

                break;
            case PList list:
                foreach (var inner in list.Items.SelectMany(i => Tags(i, path)))
                {
                    yield return inner;
                }

                break;
        }
    }
}
