using MLwatch.Abstractions;
using MLwatch.Abstractions.Speculative;
using MLwatch.Grains.Persistence;

namespace MLwatch.Grains.Speculative;

/// <summary>Counts which version answered each record of a model served with a fallback, persisted when the commit barrier flushes it.</summary>
public sealed class SpeculativeServingGrain(
    [PersistentState("speculativeServing", StorageNames.Stats)] IPersistentState<SpeculativeServingState> state)
    : WriteBehindGrain<SpeculativeServingState>(state), ISpeculativeServingGrain
{
    public ValueTask<Guid> ApplyAsync(SpeculativeAnswerBatch batch)
    {
        var (applied, changed) = State.Applied.Apply(batch.Topic, batch.Partition, batch.FirstOffset, batch.LastOffset, batch.CommittedBefore, batch.Offsets, o => o, _ => { });
        if (applied > 0)
        {
            State.Answers[batch.AnsweredBy] = State.Answers.GetValueOrDefault(batch.AnsweredBy) + applied;
            if (batch.IsFallback)
            {
                State.FallbackAnswers += applied;
            }
            else
            {
                State.PrimaryAnswers += applied;
            }
        }

        if (changed)
        {
            MarkChanged();
        }

        return ValueTask.FromResult(HandOutIncarnation());
    }

    public ValueTask<SpeculativeServingSnapshot> GetSnapshotAsync() =>
        ValueTask.FromResult(new SpeculativeServingSnapshot(this.GetPrimaryKeyString(), new Dictionary<string, long>(State.Answers, StringComparer.Ordinal), State.FallbackAnswers, State.PrimaryAnswers));
}
