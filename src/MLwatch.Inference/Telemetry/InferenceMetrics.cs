using System.Diagnostics;
using System.Diagnostics.Metrics;
using MLwatch.Inference.Models;

namespace MLwatch.Inference.Telemetry;

/// <summary>
/// The inference executor's instruments (meter <see cref="MeterName"/>): time in ONNX Runtime and images per batch, per
/// model version. Created from the silo's <see cref="IMeterFactory"/>, so several silos in one process (tests) keep
/// their measurements apart.
/// </summary>
public sealed class InferenceMetrics
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "MLwatch.Inference";

    /// <summary>Attribute: the model's name.</summary>
    public const string Model = "model";

    /// <summary>Attribute: the model's version.</summary>
    public const string ModelVersion = "model.version";

    // ONNX Runtime on a batch of small images takes about a millisecond; a large model on a full batch, seconds.
    private static readonly IReadOnlyList<double> DurationBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
    private static readonly IReadOnlyList<int> SizeBuckets = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512];

    private readonly Histogram<double> _duration;
    private readonly Histogram<int> _batchSize;

    public InferenceMetrics(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create(MeterName);
        _duration = meter.CreateHistogram(
            "mlwatch.inference.duration", "s", "Time ONNX Runtime took to run one batch.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
        _batchSize = meter.CreateHistogram(
            "mlwatch.inference.batch.size", "{image}", "Images per batch run by ONNX Runtime.",
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = SizeBuckets });
    }

    /// <summary>ONNX Runtime ran a batch of <paramref name="size"/> images of <paramref name="model"/> in <paramref name="inference"/>.</summary>
    public void BatchRan(ModelDescriptor model, int size, TimeSpan inference)
    {
        var tags = new TagList { { Model, model.Name }, { ModelVersion, model.Version } };
        _duration.Record(inference.TotalSeconds, tags);
        _batchSize.Record(size, tags);
    }
}
