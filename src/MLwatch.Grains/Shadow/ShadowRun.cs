using MLwatch.Grains.Checkpointing;
using MLwatch.Grains.Inference;
using MLwatch.Inference;
using MLwatch.Inference.Models;

namespace MLwatch.Grains.Shadow;

/// <summary>A candidate scoring one delivery's images of a model, started by <see cref="ShadowScoring.Begin"/>.</summary>
public sealed class ShadowRun
{
    private readonly ShadowScoring _scoring;

    internal ShadowRun(ShadowScoring scoring, ModelDescriptor active, ModelDescriptor candidate, Task<ClassificationOutcome[]> outcomes)
    {
        _scoring = scoring;
        Active = active;
        Candidate = candidate;
        Outcomes = outcomes;
    }

    /// <summary>The version whose answers count.</summary>
    public ModelDescriptor Active { get; }

    /// <summary>The version scored beside it.</summary>
    public ModelDescriptor Candidate { get; }

    internal Task<ClassificationOutcome[]> Outcomes { get; }

    /// <summary>Compares the candidate's answers with the active version's <paramref name="activeOutcomes"/> and applies the comparison exactly once.</summary>
    public Task CompareAsync(Delivery delivery, IReadOnlyList<ImageRequest> requests, ClassificationOutcome[] activeOutcomes) =>
        _scoring.CompareAsync(this, delivery, requests, activeOutcomes);
}
