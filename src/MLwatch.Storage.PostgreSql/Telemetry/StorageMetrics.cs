using System.Diagnostics.Metrics;

namespace MLwatch.Storage.PostgreSql.Telemetry;

/// <summary>
/// The silo's grain storage health as instruments (meter <see cref="MeterName"/>), read from <see cref="StorageHealth"/>
/// when metrics are collected: whether storage is degraded, how many operations retry now, and the transient failures
/// seen since the silo started. With the Memory provider nothing ever fails, so they stay at 0.
/// </summary>
public sealed class StorageMetrics
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "MLwatch.Storage";

    public StorageMetrics(IMeterFactory meters, StorageHealth health)
    {
        ArgumentNullException.ThrowIfNull(meters);
        ArgumentNullException.ThrowIfNull(health);
        var meter = meters.Create(MeterName);
        meter.CreateObservableGauge(
            "mlwatch.storage.degraded", () => health.IsDegraded ? 1 : 0, unit: null,
            "1 from the first failed attempt of a storage outage until an operation succeeds again, else 0.");
        meter.CreateObservableGauge(
            "mlwatch.storage.operations.retrying", () => health.GetSnapshot().OperationsRetrying, "{operation}",
            "Storage operations retrying transient failures now.");
        meter.CreateObservableCounter(
            "mlwatch.storage.failed_attempts", () => health.GetSnapshot().FailedAttempts, "{attempt}",
            "Transient storage failures since the silo started; each is retried with backoff until Storage:RetryFor.");
    }
}
