namespace Infra.StackConfig;

/// <summary>
/// A configuration key declared once: its schema entry (<see cref="Field"/>: type, whether it is
/// required, its default, its description) and how its value becomes model data. The JSON Schema,
/// the README's reference and the reader all come from the same declaration, so adding a key is one
/// declaration in its concern's file under Keys/.
/// </summary>
internal abstract class ConfigKey
{
    private protected ConfigKey(ConfigField field) => Field = field;

    /// <summary>The key's schema entry.</summary>
    public ConfigField Field { get; }

    public string Name => Field.Name;

    internal abstract object? ReadBoxed(ConfigNode node);
}

/// <summary>A declared key whose value binds to a <typeparamref name="T"/> (null, or empty, when absent or refused).</summary>
internal sealed class ConfigKey<T> : ConfigKey
{
    private readonly Func<ConfigNode, bool, T> read;

    internal ConfigKey(ConfigField field, Func<ConfigNode, bool, T> read)
        : base(field) => this.read = read;

    /// <summary>
    /// Reads the key's value at <paramref name="node"/>, recording a problem for each mistake. A key
    /// required with another is read only when that one is set, so it is required then.
    /// </summary>
    internal T Read(ConfigNode node) => read(node, Field.Required || Field.RequiredWith is not null);

    internal override object? ReadBoxed(ConfigNode node) => Read(node);

    /// <summary>The key with its schema entry changed (a reason discover or drift leaves it alone), read alike.</summary>
    internal ConfigKey<T> With(Func<ConfigField, ConfigField> change) => new(change(Field), read);

    /// <summary>The key, said not to be written by discover, and why (<see cref="ConfigField.NotDiscovered"/>).</summary>
    internal ConfigKey<T> NotDiscovered(string why) => With(f => f with { NotDiscovered = why });

    /// <summary>The key, said not to be compared by drift, and why (<see cref="ConfigField.NotCompared"/>).</summary>
    internal ConfigKey<T> NotCompared(string why) => With(f => f with { NotCompared = why });

    /// <summary>A key of the stack's own making, not the VPC's: neither discovered nor compared, for <paramref name="why"/>.</summary>
    internal ConfigKey<T> NotLive(string why) => With(f => f with { NotDiscovered = why, NotCompared = why });
}

/// <summary>
/// The shape of a value without a name: a list's items, a map's values, or what a key holds.
/// <see cref="Read"/> gets the node and whether a value must be there.
/// </summary>
internal sealed record ConfigShape<T>(ConfigType Type, Func<ConfigNode, bool, T> Read);

/// <summary>
/// A mapping's values while its binder turns them into a record: the binder runs only when the
/// mapping and everything under it were read without a problem, so every required value is there.
/// </summary>
internal sealed class Section
{
    private readonly ConfigNode node;
    private readonly IReadOnlyDictionary<ConfigKey, object?> values;

    internal Section(ConfigNode node, IReadOnlyDictionary<ConfigKey, object?> values)
    {
        this.node = node;
        this.values = values;
    }

    /// <summary>Where the mapping is (for records that name their config key in messages).</summary>
    public Origin At => node.At;

    /// <summary>The map key the mapping sits under (a route table's or gateway's name).</summary>
    public string Name => node.Name;

    /// <summary>A key's bound value: null or empty when it was left out and has no default.</summary>
    public T Get<T>(ConfigKey<T> key) => values.TryGetValue(key, out var value)
        ? (T)value!
        : throw new InvalidOperationException($"{node.At.Path}: {key.Name} is not declared in this mapping");

    /// <summary>A required key's value; present by construction (the binder runs only without problems).</summary>
    public T Required<T>(ConfigKey<T?> key)
        where T : class => Get(key) ?? throw new InvalidOperationException($"{node.At.Path}.{key.Name} is required but was bound without a value");

    /// <summary>A required key's value; present by construction (the binder runs only without problems).</summary>
    public T Required<T>(ConfigKey<T?> key)
        where T : struct => Get(key) ?? throw new InvalidOperationException($"{node.At.Path}.{key.Name} is required but was bound without a value");

    /// <summary>Records a problem that takes several keys to see, at one of them; the binder then returns no value.</summary>
    public void Problem(ConfigKey key, string message) => node.Child(key.Name).Problem(message);

    /// <summary>Records a problem with the mapping as a whole.</summary>
    public void Problem(string message) => node.Problem(message);
}
