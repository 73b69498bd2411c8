namespace MLwatch.Grains.Monitoring;

/// <summary>The monitoring window being filled: enough to compute every statistic when it closes.</summary>
[GenerateSerializer, Alias("mlwatch.open-window")]
public sealed class OpenWindow
{
    /// <summary>Unix milliseconds of its first prediction; 0 while empty.</summary>
    [Id(0)] public long StartedAtMs { get; set; }

    /// <summary>Predictions per label index.</summary>
    [Id(1)] public long[] LabelCounts { get; set; } = [];

    /// <summary>Sum of confidences per label index.</summary>
    [Id(2)] public double[] LabelConfidenceSums { get; set; } = [];

    /// <summary>Every prediction's calibrated confidence (the KS test and the Wasserstein distance need the sample).</summary>
    [Id(3)] public List<float> Confidences { get; set; } = [];

    /// <summary>Predictions whose true label is known.</summary>
    [Id(4)] public long LabeledCount { get; set; }

    /// <summary>Of those, the correct ones.</summary>
    [Id(5)] public long CorrectCount { get; set; }

    /// <summary>Latency of every prediction whose send time is known, milliseconds (for the p99 supervision bounds).</summary>
    [Id(6)] public List<float> Latencies { get; set; } = [];

    /// <summary>Records of the window the version failed on (its errors); they take part in closing it but in no drift statistic.</summary>
    [Id(7)] public long RefusedCount { get; set; }

    /// <summary>Predictions in the window.</summary>
    public int Count => Confidences.Count;

    /// <summary>Records in the window: predictions and refused ones.</summary>
    public long Records => Count + RefusedCount;

    /// <summary>Empties the window for <paramref name="labels"/> labels.</summary>
    public void Reset(int labels)
    {
        StartedAtMs = 0;
        LabelCounts = new long[labels];
        LabelConfidenceSums = new double[labels];
        Confidences = [];
        LabeledCount = 0;
        CorrectCount = 0;
        Latencies = [];
        RefusedCount = 0;
    }
}
