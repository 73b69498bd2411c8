namespace MLwatch.Cli.Bench;

/// <summary>What one `mlwatch bench` run measured, as its JSON line (camelCase) and its table show it; null where a phase did not run.</summary>
public sealed record BenchReport(
    string Model,
    string Input,
    int Processors,
    double MeanImageBytes,
    double? OrtPerSec,
    int? OrtBatchSize,
    int? OrtIntraOpThreads,
    double? SerialPerSec,
    double? LimitPerSec,
    int LimitDecodeWorkers,
    int LimitIntraOpThreads,
    double? PipelinePerSec,
    double? Ratio,
    long? PipelineRecords,
    int? PipelineRounds,
    double? LatencyOfferedPerSec,
    double? P50LatencyMs,
    double? P99LatencyMs,
    double BatchSizeMean,
    int SchedulerWarnings,
    string? FirstSchedulerWarning);
