using MLwatch.Grains.Shadow;
using MLwatch.Grains.Speculative;

namespace MLwatch.Grains.Models;

/// <summary>Section "Models": publishing model versions, following the registry, and the predictions topic.</summary>
public sealed class ModelsOptions
{
    /// <summary>
    /// The control topic: publish, activate and rollback records (the model as data). Every silo reads all of it with a
    /// consumer of its own, from the beginning, so a silo that joins later gets every version too. Defaults to "mlwatch.models".
    /// </summary>
    public string ControlTopic { get; set; } = "mlwatch.models";

    /// <summary>
    /// Largest control record the API writes (a publish carries model.onnx in base64, a third larger than the file);
    /// larger models are published by location. The embedded broker keeps 5 MiB per partition, and two records in a row
    /// must fit. Defaults to 2 MiB.
    /// </summary>
    public int MaxRecordBytes { get; set; } = 2 * 1024 * 1024;

    /// <summary>Largest model.onnx read from a location. Defaults to 512 MiB.</summary>
    public long MaxModelBytes { get; set; } = 512L * 1024 * 1024;

    /// <summary>
    /// How long a silo waits at start, before it receives requests, to read the control topic to its end (so it serves
    /// what the registry serves from its first record); after that it carries on reading in the background. Defaults to 2 min.
    /// </summary>
    public TimeSpan StartTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How often a silo re-reads the registries, in case it missed a change (a registry rebuilt on another silo). Defaults to 30 s.</summary>
    public TimeSpan RegistryPollInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an API call that publishes, activates or rolls back waits for the registry to have applied it before answering 202. Defaults to 60 s.</summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Whether every prediction is also written to <see cref="PredictionsTopic"/> (request id, model, version, label,
    /// confidence, latency, silo), at least once (a replay after a crash writes it again; drop duplicates by request id
    /// and version). Defaults to false.
    /// </summary>
    public bool PublishPredictions { get; set; }

    /// <summary>Where predictions go when <see cref="PublishPredictions"/> is on. Defaults to "mlwatch.predictions".</summary>
    public string PredictionsTopic { get; set; } = "mlwatch.predictions";

    /// <summary>Shadow (mirror) serving of candidate versions; see <see cref="ShadowOptions"/>. On by default.</summary>
    public ShadowOptions Shadow { get; set; } = new();

    /// <summary>
    /// Speculative serving: per primary model name, a fallback model and the primary's deadline (see
    /// <see cref="FallbackOptions"/>), e.g. "Fallbacks": { "fashion-mnist": { "Model": "fashion-mnist-small", "Deadline": "00:00:00.050" } }.
    /// Defaults to none: every model answers by itself however long it takes.
    /// </summary>
    public Dictionary<string, FallbackOptions> Fallbacks { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// How often a silo sends its serving statistics per model version (records, errors, latency histograms, batch
    /// sizes) to the version's statistics grain, which persists them. Defaults to 2 s.
    /// </summary>
    public TimeSpan ServingStatsInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Throws when a field cannot work, naming it.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(ControlTopic))
        {
            throw new ArgumentException("Models.ControlTopic must name a Kafka topic.");
        }

        if (string.IsNullOrWhiteSpace(PredictionsTopic))
        {
            throw new ArgumentException("Models.PredictionsTopic must name a Kafka topic.");
        }

        if (MaxRecordBytes < 64 * 1024)
        {
            throw new ArgumentException($"Models.MaxRecordBytes must be at least 65536, was {MaxRecordBytes}.");
        }

        if (MaxModelBytes < 1)
        {
            throw new ArgumentException($"Models.MaxModelBytes must be >= 1, was {MaxModelBytes}.");
        }

        if (StartTimeout < TimeSpan.Zero || RegistryPollInterval <= TimeSpan.Zero || CommandTimeout <= TimeSpan.Zero || ServingStatsInterval <= TimeSpan.Zero)
        {
            throw new ArgumentException($"Models.StartTimeout ({StartTimeout}) must be >= 0, Models.RegistryPollInterval ({RegistryPollInterval}), Models.CommandTimeout ({CommandTimeout}) and Models.ServingStatsInterval ({ServingStatsInterval}) > 0.");
        }

        Shadow.Validate();
        foreach (var (model, fallback) in Fallbacks)
        {
            if (string.IsNullOrWhiteSpace(fallback.Model) || string.Equals(fallback.Model, model, StringComparison.Ordinal))
            {
                throw new ArgumentException($"Models.Fallbacks.{model}.Model must name another model of the models root, was '{fallback.Model}'.");
            }

            if (fallback.Deadline <= TimeSpan.Zero)
            {
                throw new ArgumentException($"Models.Fallbacks.{model}.Deadline must be positive, was {fallback.Deadline}.");
            }
        }
    }
}
