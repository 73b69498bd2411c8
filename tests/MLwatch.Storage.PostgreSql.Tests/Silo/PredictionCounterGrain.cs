namespace MLwatch.Storage.PostgreSql.Tests.Silo;

public sealed class PredictionCounterGrain(
    [PersistentState(PredictionCounterGrain.StateName, PredictionCounterGrain.StorageName)] IPersistentState<PredictionCounterState> state)
    : Grain, IPredictionCounterGrain
{
    public const string StateName = "predictionCounter";
    public const string StorageName = "pg";

    public async Task AddAsync(string label, double confidence)
    {
        state.State.Count++;
        state.State.ConfidenceSum += confidence;
        state.State.ByLabel[label] = state.State.ByLabel.GetValueOrDefault(label) + 1;
        state.State.Confidences.Add(confidence);
        await state.WriteStateAsync();
    }

    public Task<PredictionCounterState> GetAsync() => Task.FromResult(state.State);

    public Task DeactivateAsync()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }
}
