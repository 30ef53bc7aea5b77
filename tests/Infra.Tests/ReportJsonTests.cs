using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Infra.Discovery;
using Infra.Review;

namespace Infra.Tests;

/// <summary>
/// Every report's JSON is written through metadata generated at build time (the compiler runs
/// Native AOT). What the generator cannot know is how an enum is spelled: each context lists a
/// kebab-case converter per enum its reports hold, and an enum left out would be written as a
/// number without a word. This walks every type a report writes, through the generated metadata,
/// and fails naming each enum that is not written by name.
/// </summary>
public sealed class ReportJsonTests
{
    public static TheoryData<string> Contexts => new() { nameof(ReviewJson), nameof(DriftJson) };

    private static JsonSerializerContext Context(string name) => name switch
    {
        nameof(ReviewJson) => ReviewJson.Reports,
        nameof(DriftJson) => DriftJson.Reports,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };

    [Theory]
    [MemberData(nameof(Contexts))]
    public void Every_enum_a_report_holds_is_written_by_its_kebab_case_name(string name)
    {
        var context = Context(name);
        var seen = new HashSet<Type>();
        var pending = new Stack<Type>(context.GetType().GetProperties()
            .Where(p => p.PropertyType.IsGenericType && p.PropertyType.GetGenericTypeDefinition() == typeof(JsonTypeInfo<>))
            .Select(p => p.PropertyType.GetGenericArguments()[0]));
        Assert.NotEmpty(pending);
        var enums = new List<Type>();
        while (pending.TryPop(out var type))
        {
            if (!seen.Add(type))
            {
                continue;
            }

            var underlying = Nullable.GetUnderlyingType(type) ?? type;
            if (underlying.IsEnum)
            {
                enums.Add(underlying);
                continue;
            }

            var info = context.GetTypeInfo(type);
            Assert.True(info is not null, $"{name} has no metadata for {type}, which a report writes");
            if (info.ElementType is { } element)
            {
                pending.Push(element);
            }

            if (info.KeyType is { } key)
            {
                pending.Push(key);
            }

            foreach (var property in info.Properties)
            {
                pending.Push(property.PropertyType);
            }
        }

        var numbers = enums.Distinct()
            .Where(e => Enum.GetValues(e).Length > 0 && !JsonSerializer.Serialize(Enum.GetValues(e).GetValue(Enum.GetValues(e).Length - 1), e, context).StartsWith('"'))
            .Select(e => e.FullName!)
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.True(numbers.Count == 0, $"{name} writes these enums as numbers; add Report.KebabCase<T>() for each: {string.Join(", ", numbers)}");
    }
}
