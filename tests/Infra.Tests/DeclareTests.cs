using System.Text.Json.Nodes;
using Infra.StackConfig;

namespace Infra.Tests;

/// <summary>
/// The key-declaration layer on its own (src/Infra.StackConfig/Declare.cs): what a declaration
/// reads, what it refuses and when its binder runs, on a small mapping declared here.
/// </summary>
public sealed class DeclareTests
{
    private sealed record Widget(string Name, int Size, DayOfWeek Day, Origin At);

    private static readonly ConfigKey<Located<string>?> Name = Declare.Text("name", "its name", required: true, check: n => n.Contains(' ', StringComparison.Ordinal) ? "no spaces" : null);

    private static readonly ConfigKey<int?> Size = Declare.Integer("size", "its size", @default: 5, check: n => n > 0 ? null : "must be positive");

    private static readonly ConfigKey<DayOfWeek?> Day = Declare.Choice("day", "its day", [("mon", DayOfWeek.Monday), ("tue", DayOfWeek.Tuesday)], "expected mon or tue", @default: "mon");

    private static (T Value, List<ConfigProblem> Problems) Read<T>(ConfigKey<T> key, string? json)
    {
        var problems = new List<ConfigProblem>();
        var node = new ConfigNode(json is null ? null : JsonNode.Parse(json), new Origin("t:widget"), problems, key.Field);
        return (key.Read(node), problems);
    }

    private static ConfigKey<Widget?> WidgetKey(Action? bound = null, bool required = false, bool bindWhenAbsent = false) =>
        Declare.Key("widget", "a widget", Declare.Object(
            bindWhenAbsent ? [Size, Day] : [Name, Size, Day],
            w =>
            {
                bound?.Invoke();
                return new Widget(bindWhenAbsent ? "default" : w.Required(Name).Value, w.Required(Size), w.Required(Day), w.At);
            },
            bindWhenAbsent),
            required);

    [Fact]
    public void A_mapping_binds_its_keys_into_the_record() =>
        Assert.Equal(new Widget("w", 7, DayOfWeek.Tuesday, new Origin("t:widget")), Read(WidgetKey(), """{"name": "w", "size": 7, "day": "tue"}""").Value);

    [Fact]
    public void A_key_left_out_takes_its_declared_default() =>
        Assert.Equal(new Widget("w", 5, DayOfWeek.Monday, new Origin("t:widget")), Read(WidgetKey(), """{"name": "w"}""").Value);

    [Fact]
    public void A_number_given_as_text_is_read_as_pulumi_config_set_path_writes_it() =>
        Assert.Equal(9, Read(WidgetKey(), """{"name": "w", "size": "9"}""").Value!.Size);

    [Theory]
    [InlineData("""{"size": 7}""", "t:widget.name", "missing; expected a string")]
    [InlineData("""{"name": "a b"}""", "t:widget.name", "no spaces")]
    [InlineData("""{"name": "w", "size": 0}""", "t:widget.size", "must be positive")]
    [InlineData("""{"name": "w", "size": "big"}""", "t:widget.size", "expected a whole number")]
    [InlineData("""{"name": "w", "day": "sun"}""", "t:widget.day", "expected mon or tue")]
    [InlineData("""{"name": "w", "colour": "red"}""", "t:widget.colour", "unknown key (known here: day, name, size)")]
    [InlineData("""["w"]""", "t:widget", "expected a mapping of keys to values")]
    public void A_mistake_is_one_problem_at_its_key_and_the_binder_does_not_run(string json, string key, string message)
    {
        var calls = 0;
        var (value, problems) = Read(WidgetKey(() => calls++), json);
        Assert.Null(value);
        Assert.Equal(0, calls);
        var problem = Assert.Single(problems);
        Assert.Equal((key, message), (problem.Key, problem.Message));
    }

    [Fact]
    public void An_optional_mapping_left_out_binds_to_nothing_without_a_problem()
    {
        var (value, problems) = Read(WidgetKey(), null);
        Assert.Null(value);
        Assert.Empty(problems);
    }

    [Fact]
    public void A_required_mapping_left_out_is_a_problem() =>
        Assert.Equal("missing; expected a mapping", Assert.Single(Read(WidgetKey(required: true), null).Problems).Message);

    [Fact]
    public void A_mapping_that_binds_when_absent_is_made_from_its_defaults() =>
        Assert.Equal(new Widget("default", 5, DayOfWeek.Monday, new Origin("t:widget")), Read(WidgetKey(bindWhenAbsent: true), null).Value);

    [Fact]
    public void A_mapping_with_a_required_key_cannot_be_declared_to_bind_when_absent() =>
        Assert.Throws<InvalidOperationException>(() => Declare.Object([Name], w => w.Required(Name), bindWhenAbsent: true));

    [Fact]
    public void The_declaration_is_the_schema_entry_in_declaration_order()
    {
        var type = Assert.IsType<ObjectType>(WidgetKey().Field.Type);
        Assert.Equal(
            [("name", true, null), ("size", false, 5), ("day", false, "mon")],
            type.Fields.Select(f => (f.Name, f.Required, f.Default)));
        Assert.Equal(["mon", "tue"], Assert.IsType<ScalarType>(type.Field("day")!.Type).Allowed);
    }

    [Fact]
    public void A_list_reports_each_bad_item_by_index_and_keeps_the_good_ones()
    {
        var key = Declare.List("blocks", "blocks", Declare.CidrShape);
        var problems = new List<ConfigProblem>();
        var blocks = key.Read(new ConfigNode(JsonNode.Parse("""["10.0.0.0/16", "10.0.0.1/16"]"""), new Origin("t:blocks"), problems, key.Field));
        Assert.Equal(["10.0.0.0/16"], blocks.Select(b => b.Value.ToString()));
        Assert.Equal("t:blocks[1]", Assert.Single(problems).Key);
    }

    [Theory]
    [InlineData("""[]""", "t:blocks", "is empty; give at least one")]
    [InlineData("""["10.0.0.0/16", "10.1.0.0/16", "10.2.0.0/16"]""", "t:blocks", "has 3 items; at most 2")]
    [InlineData("""["10.0.0.0/16", "10.0.0.0/16"]""", "t:blocks[1]", "repeats item [0]; each item once")]
    public void A_list_holds_to_its_declared_length_and_uniqueness(string json, string key, string message)
    {
        var blocks = Declare.List("blocks", "blocks", Declare.CidrShape, minItems: 1, maxItems: 2, unique: true);
        var problems = new List<ConfigProblem>();
        blocks.Read(new ConfigNode(JsonNode.Parse(json), new Origin("t:blocks"), problems, blocks.Field));
        var problem = Assert.Single(problems);
        Assert.Equal((key, message), (problem.Key, problem.Message));
        Assert.Equal(new ListType(Declare.CidrShape.Type, 1, 2, true), blocks.Field.Type);
    }

    private static ConfigKey<Located<string>?> Gadget()
    {
        var kind = Declare.OneOf("kind", "its kind", ["round", "square"], required: true);
        var radius = Declare.Integer("radius", "a round one's radius");
        var side = Declare.Integer("side", "a square one's side");
        var label = Declare.Text("label", "a label");
        var colour = Declare.Text("colour", "a colour");
        return Declare.Key("gadget", "a gadget", Declare.Object(
            [kind, radius, side, label, colour],
            g => g.Required(kind),
            atLeastOneOf: [label.Name, colour.Name],
            conditions:
            [
                Declare.When(kind, ["round"], [radius], [side], "a round gadget has a radius"),
                Declare.When(kind, ["square"], [side], [radius], "a square gadget has a side"),
            ]));
    }

    [Theory]
    [InlineData("""{"kind": "round", "radius": 2, "label": "a"}""", null, null)]
    [InlineData("""{"kind": "round", "radius": 2}""", "t:gadget", "needs at least one of `label`, `colour`")]
    [InlineData("""{"kind": "round", "label": "a"}""", "t:gadget.radius", "kind round needs `radius`: a round gadget has a radius")]
    [InlineData("""{"kind": "square", "side": 1, "radius": 2, "colour": "red"}""", "t:gadget.radius", "kind square does not take `radius`: a square gadget has a side")]
    public void A_mapping_holds_to_at_least_one_of_and_to_what_a_value_requires_or_refuses(string json, string? key, string? message)
    {
        var gadget = Gadget();
        var problems = new List<ConfigProblem>();
        var bound = gadget.Read(new ConfigNode(JsonNode.Parse(json), new Origin("t:gadget"), problems, gadget.Field));
        if (key is null)
        {
            Assert.Empty(problems);
            Assert.NotNull(bound);
            return;
        }

        var problem = Assert.Single(problems);
        Assert.Equal((key, message), (problem.Key, problem.Message));
        Assert.Null(bound);
    }

    [Fact]
    public void What_a_value_requires_or_refuses_is_in_the_schema_entry()
    {
        var type = Assert.IsType<ObjectType>(Gadget().Field.Type);
        Assert.Equal(["label", "colour"], type.AtLeastOneOf);
        var round = type.Conditions[0];
        Assert.Equal("kind", round.Key);
        Assert.Equal(["round"], round.Values);
        Assert.Equal(["radius"], round.Requires);
        Assert.Equal(["side"], round.Refuses);
    }
}
