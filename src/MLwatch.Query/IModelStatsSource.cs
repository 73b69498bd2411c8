using MLwatch.Abstractions.Stats;
using MLwatch.Abstractions.Wire;

namespace MLwatch.Query;

/// <summary>Live statistics of the served models, by model name: what the dashboard reads (tests substitute it).</summary>
public interface IModelStatsSource
{
    /// <summary>The models served, with their labels in output order.</summary>
    IReadOnlyList<ServedModel> ServedModels { get; }

    /// <summary>Statistics of every label of <paramref name="model"/>, in label order; null for a model not served.</summary>
    Task<ModelLabelStats?> GetLabelsAsync(string model);

    /// <summary>Statistics of one label; null for an unknown model or label.</summary>
    Task<LabelStatsSnapshot?> GetLabelAsync(string model, string label);

    /// <summary>Dead-lettered records of <paramref name="topic"/> by reason code.</summary>
    Task<IReadOnlyDictionary<string, long>> GetDeadLettersAsync(string topic = TopicNames.Requests);
}
