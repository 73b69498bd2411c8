namespace MLwatch.Abstractions.Shadow;

/// <summary>Names one shadow comparison: a model, its active version and the candidate scored beside it.</summary>
[GenerateSerializer, Immutable, Alias("mlwatch.shadow-comparison-key")]
public readonly record struct ShadowComparisonKey(
    [property: Id(0)] string Model,
    [property: Id(1)] string Active,
    [property: Id(2)] string Candidate)
{
    /// <inheritdoc />
    public override string ToString() => $"{Model}@{Active}~{Candidate}";

    /// <summary>Parses "{model}@{active}~{candidate}" (version names hold neither '@' nor '~').</summary>
    public static ShadowComparisonKey Parse(string key)
    {
        var at = key.LastIndexOf('@');
        var tilde = key.LastIndexOf('~');
        if (at <= 0 || tilde < at + 2 || tilde == key.Length - 1)
        {
            throw new FormatException($"'{key}' is not a shadow comparison key; expected '{{model}}@{{active}}~{{candidate}}'.");
        }

        return new ShadowComparisonKey(key[..at], key[(at + 1)..tilde], key[(tilde + 1)..]);
    }
}
