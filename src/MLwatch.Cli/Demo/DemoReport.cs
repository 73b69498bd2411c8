namespace MLwatch.Cli.Demo;

/// <summary>The outcome of a demo run, printed as the last line of stdout with --json.</summary>
public sealed record DemoReport(
    long Produced,
    long Predicted,
    long DeadLettered,
    double? Accuracy,
    double ElapsedSeconds,
    double RecordsPerSecond,
    IReadOnlyList<DemoLabel> Labels);

/// <summary>One label's count and mean confidence in a <see cref="DemoReport"/>.</summary>
public sealed record DemoLabel(string Label, long Count, double MeanConfidence);
