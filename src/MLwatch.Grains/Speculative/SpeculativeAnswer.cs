using MLwatch.Inference;
using MLwatch.Inference.Models;

namespace MLwatch.Grains.Speculative;

/// <summary>What <see cref="SpeculativeServing.ClassifyAsync"/> answered for one model's images of a delivery.</summary>
/// <param name="AnsweredBy">The version whose outcomes these are: the requested one, or its fallback.</param>
/// <param name="Outcomes">One outcome per image, in order.</param>
/// <param name="IsFallback">Whether the fallback answered because the primary missed its deadline (or failed).</param>
public sealed record SpeculativeAnswer(ModelDescriptor AnsweredBy, ClassificationOutcome[] Outcomes, bool IsFallback);
