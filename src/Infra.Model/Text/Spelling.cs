namespace Infra.Model.Text;

/// <summary>"Did you mean" for a mistyped name: the known names within two edits (Levenshtein).</summary>
public static class Spelling
{
    /// <summary>Two edits catch a swapped, missing or doubled letter without suggesting unrelated names.</summary>
    public const int MaxEdits = 2;

    /// <summary>The nearest known names, joined with "or" ("us-west-1 or us-west-2"), or null when none is within <see cref="MaxEdits"/>.</summary>
    public static string? Closest(IEnumerable<string> known, string typed)
    {
        var scored = known.Select(k => (Name: k, Distance: Distance(k, typed))).Where(x => x.Distance <= MaxEdits).ToList();
        if (scored.Count == 0)
        {
            return null;
        }

        var best = scored.Min(x => x.Distance);
        return string.Join(" or ", scored.Where(x => x.Distance == best).Select(x => x.Name).Distinct().Order(StringComparer.Ordinal));
    }

    /// <summary>"did you mean X? " for a message, or "" when nothing is close.</summary>
    public static string Hint(IEnumerable<string> known, string typed) => Closest(known, typed) is { } guess ? $"did you mean {guess}? " : "";

    /// <summary>"; did you mean X?" to follow a refusal, or "" when nothing is close.</summary>
    public static string Suggestion(IEnumerable<string> known, string typed) => Closest(known, typed) is { } guess ? $"; did you mean {guess}?" : "";

    /// <summary>Levenshtein distance: insertions, deletions and substitutions.</summary>
    public static int Distance(string a, string b)
    {
        var row = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var previous = row[0];
            row[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var current = row[j];
                row[j] = Math.Min(Math.Min(row[j] + 1, row[j - 1] + 1), previous + (a[i - 1] == b[j - 1] ? 0 : 1));
                previous = current;
            }
        }

        return row[b.Length];
    }
}
