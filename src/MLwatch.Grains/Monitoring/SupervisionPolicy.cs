using System.Globalization;
using MLwatch.Abstractions.Monitoring;

namespace MLwatch.Grains.Monitoring;

/// <summary>
/// The bounds a model's active version must keep over each closed monitoring window (config section
/// "Monitoring:Supervision:{model}"). A window that passes one rolls the version back to the one active before it.
/// Off unless a bound is set: what a model must reach depends on the model (chance is 0.1 for ten classes, 0.001 for
/// a thousand), and an automatic rollback acts on production, so its owners decide to have one.
/// </summary>
public sealed class SupervisionPolicy
{
    /// <summary>
    /// Lowest realized accuracy (correct / labelled predictions of the window, from the mlwatch-label header and
    /// feedback that arrived before the window closed). Defaults to null: no bound.
    /// </summary>
    public double? MinRealizedAccuracy { get; set; }

    /// <summary>
    /// Highest 99th percentile of the window's latencies (from each request's send time, its mlwatch-sent-at header or
    /// Kafka timestamp, to its prediction), milliseconds. Defaults to null: no bound.
    /// </summary>
    public double? MaxP99LatencyMs { get; set; }

    /// <summary>
    /// Highest share of the window's records the version failed on (gave NaN or infinite scores for,
    /// model-output-not-finite, or failed to run on, model-run-failed), in [0, 1). Records refused for their own faults (undecodable images) do not count
    /// against a version. Defaults to null: no bound.
    /// </summary>
    public double? MaxErrorRate { get; set; }

    /// <summary>
    /// Fewest samples a window must hold for a bound to count — labelled predictions for the realized accuracy,
    /// predictions with a known send time for the p99 latency, records for the error rate — so that a few unlucky records cannot roll a version
    /// back. Defaults to 200.
    /// </summary>
    public int MinSamplesPerWindow { get; set; } = 200;

    /// <summary>Whether any bound is set.</summary>
    public bool IsEnabled => MinRealizedAccuracy is not null || MaxP99LatencyMs is not null || MaxErrorRate is not null;

    /// <summary>Throws naming the first invalid setting of <paramref name="model"/>'s policy.</summary>
    public void Validate(string model)
    {
        if (MinRealizedAccuracy is { } bound && (double.IsNaN(bound) || bound <= 0 || bound > 1))
        {
            throw new ArgumentException($"Monitoring:Supervision:{model}:MinRealizedAccuracy must be in (0, 1] (was {bound}).");
        }

        if (MaxP99LatencyMs is { } latency && (double.IsNaN(latency) || latency <= 0))
        {
            throw new ArgumentException($"Monitoring:Supervision:{model}:MaxP99LatencyMs must be positive (was {latency}).");
        }

        if (MaxErrorRate is { } rate && (double.IsNaN(rate) || rate < 0 || rate >= 1))
        {
            throw new ArgumentException($"Monitoring:Supervision:{model}:MaxErrorRate must be in [0, 1) (was {rate}).");
        }

        if (MinSamplesPerWindow < 1)
        {
            throw new ArgumentException($"Monitoring:Supervision:{model}:MinSamplesPerWindow must be at least 1 (was {MinSamplesPerWindow}).");
        }
    }

    /// <summary>
    /// The first bound <paramref name="window"/> of <paramref name="key"/> passed (realized accuracy, then p99 of
    /// <paramref name="latenciesMs"/>, then the error rate), or null when it kept them all or held too few samples to tell.
    /// </summary>
    public SupervisionBreach? Evaluate(ModelKey key, DriftWindowReport window, IReadOnlyCollection<float> latenciesMs)
    {
        ArgumentNullException.ThrowIfNull(window);
        ArgumentNullException.ThrowIfNull(latenciesMs);
        if (MinRealizedAccuracy is { } bound && window.LabeledCount >= MinSamplesPerWindow && (double)window.CorrectCount / window.LabeledCount is var accuracy && accuracy < bound)
        {
            var message = string.Create(CultureInfo.InvariantCulture,
                $"realized accuracy {accuracy:0.00} < {bound:0.00} over window {window.Window} of {key} ({window.CorrectCount} of {window.LabeledCount} labelled predictions correct, {window.StartedAt:u} to {window.ClosedAt:u})");
            return new SupervisionBreach(window.Window, "realizedAccuracy", accuracy, bound, message, window.ClosedAt);
        }

        if (MaxP99LatencyMs is { } limit && latenciesMs.Count >= MinSamplesPerWindow && P99(latenciesMs) is var p99 && p99 > limit)
        {
            var message = string.Create(CultureInfo.InvariantCulture,
                $"p99 latency {p99:0} ms > {limit:0} ms over window {window.Window} of {key} ({latenciesMs.Count} predictions, {window.StartedAt:u} to {window.ClosedAt:u})");
            return new SupervisionBreach(window.Window, "p99LatencyMs", p99, limit, message, window.ClosedAt);
        }

        var records = window.Count + window.RefusedCount;
        if (MaxErrorRate is { } maxRate && records >= MinSamplesPerWindow && (double)window.RefusedCount / records is var errorRate && errorRate > maxRate)
        {
            var message = string.Create(CultureInfo.InvariantCulture,
                $"error rate {errorRate:0.000} > {maxRate:0.000} over window {window.Window} of {key} ({window.RefusedCount} of {records} records refused, {window.StartedAt:u} to {window.ClosedAt:u})");
            return new SupervisionBreach(window.Window, "errorRate", errorRate, maxRate, message, window.ClosedAt);
        }

        return null;
    }

    /// <summary>Nearest-rank 99th percentile (the window's exact sample, not a histogram estimate).</summary>
    private static double P99(IReadOnlyCollection<float> values)
    {
        var sorted = values.Order().ToArray();
        return sorted[Math.Max(0, (int)Math.Ceiling(0.99 * sorted.Length) - 1)];
    }
}
