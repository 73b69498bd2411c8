namespace MLwatch.Abstractions.Monitoring;

/// <summary>The key of a <see cref="IModelMonitorGrain"/>: "{model}@{version}".</summary>
[GenerateSerializer, Immutable, Alias("mlwatch.model-key")]
public readonly record struct ModelKey(
    [property: Id(0)] string Model,
    [property: Id(1)] string Version)
{
    /// <inheritdoc />
    public override string ToString() => $"{Model}@{Version}";

    /// <summary>Parses "{model}@{version}".</summary>
    public static ModelKey Parse(string key)
    {
        var at = key.IndexOf('@', StringComparison.Ordinal);
        if (at <= 0 || at == key.Length - 1)
        {
            throw new FormatException($"'{key}' is not a model key; expected '{{model}}@{{version}}'.");
        }

        return new ModelKey(key[..at], key[(at + 1)..]);
    }
}
