using MLwatch.Grains.Persistence;

namespace MLwatch.Grains.Speculative;

/// <summary>Persisted answer counts of one model served with a fallback.</summary>
[GenerateSerializer, Alias("mlwatch.speculative-serving-state")]
public sealed class SpeculativeServingState : WriteBehindState
{
    /// <summary>Records answered, by "{model}@{version}".</summary>
    [Id(0)] public Dictionary<string, long> Answers { get; set; } = new(StringComparer.Ordinal);
    [Id(1)] public long FallbackAnswers { get; set; }
    [Id(2)] public long PrimaryAnswers { get; set; }
}
