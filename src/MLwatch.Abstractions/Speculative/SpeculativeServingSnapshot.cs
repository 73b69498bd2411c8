namespace MLwatch.Abstractions.Speculative;

/// <summary>How a model served with a fallback was answered.</summary>
/// <param name="Model">The primary model.</param>
/// <param name="Answers">Records answered, by "{model}@{version}" that answered.</param>
/// <param name="FallbackAnswers">Records the fallback answered.</param>
/// <param name="PrimaryAnswers">Records the primary answered in time.</param>
[GenerateSerializer, Immutable, Alias("mlwatch.speculative-serving-snapshot")]
public sealed record SpeculativeServingSnapshot(
    [property: Id(0)] string Model,
    [property: Id(1)] Dictionary<string, long> Answers,
    [property: Id(2)] long FallbackAnswers,
    [property: Id(3)] long PrimaryAnswers)
{
    /// <summary>Every record answered.</summary>
    public long Total => FallbackAnswers + PrimaryAnswers;

    /// <summary>The share of records the fallback answered; 0 before any.</summary>
    public double FallbackShare => Total == 0 ? 0 : (double)FallbackAnswers / Total;
}
