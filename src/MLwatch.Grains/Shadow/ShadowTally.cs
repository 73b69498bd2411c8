namespace MLwatch.Grains.Shadow;

/// <summary>Persisted counts of one window of a shadow comparison (or of all of it).</summary>
[GenerateSerializer, Alias("mlwatch.shadow-tally")]
public sealed class ShadowTally
{
    /// <summary>Start of the window, Unix milliseconds; 0 for the total.</summary>
    [Id(0)] public long StartMs { get; set; }
    [Id(1)] public long Compared { get; set; }
    [Id(2)] public long Agreed { get; set; }

    /// <summary>Sum of candidate minus active top-1 probability.</summary>
    [Id(3)] public double ConfidenceDifferenceSum { get; set; }
    [Id(4)] public long Labeled { get; set; }
    [Id(5)] public long ActiveCorrect { get; set; }
    [Id(6)] public long CandidateCorrect { get; set; }

    /// <summary>Counts by active label index, then candidate label index; rows and columns grow with the labels seen.</summary>
    [Id(7)] public long[][] Confusion { get; set; } = [];
}
