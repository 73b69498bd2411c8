namespace MLwatch.Abstractions.Stats;

/// <summary>The key of a <see cref="ILabelStatsGrain"/>: "{model}@{version}/{label}".</summary>
[GenerateSerializer, Immutable, Alias("mlwatch.label-stats-key")]
public readonly record struct LabelStatsKey(
    [property: Id(0)] string Model,
    [property: Id(1)] string Version,
    [property: Id(2)] string Label)
{
    /// <inheritdoc />
    public override string ToString() => $"{Model}@{Version}/{Label}";

    /// <summary>Parses "{model}@{version}/{label}"; labels may contain '/'.</summary>
    public static LabelStatsKey Parse(string key)
    {
        var at = key.IndexOf('@', StringComparison.Ordinal);
        var slash = at < 0 ? -1 : key.IndexOf('/', at);
        if (at <= 0 || slash <= at + 1 || slash == key.Length - 1)
        {
            throw new FormatException($"'{key}' is not a label statistics key; expected '{{model}}@{{version}}/{{label}}'.");
        }

        return new LabelStatsKey(key[..at], key[(at + 1)..slash], key[(slash + 1)..]);
    }
}
