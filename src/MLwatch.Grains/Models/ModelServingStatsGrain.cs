using MLwatch.Abstractions;
using MLwatch.Abstractions.Models;
using MLwatch.Abstractions.Monitoring;

namespace MLwatch.Grains.Models;

/// <summary>
/// The serving statistics of one model version (key = "model@version"), persisted in the "mlwatch" storage so they
/// survive restarts. A report replaces its silo's snapshot (they are cumulative, so a repeated or lost report does no
/// harm) and is written only when it changed something.
/// </summary>
public sealed class ModelServingStatsGrain(
    [PersistentState("modelServingStats", StorageNames.Stats)] IPersistentState<ModelServingStatsState> state) : Grain, IModelServingStatsGrain
{
    public async Task ReportAsync(string silo, ServingSnapshot snapshot)
    {
        if (ServingStatsMerge.Apply(state.State, silo, snapshot))
        {
            await state.WriteStateAsync();
        }
    }

    public Task<ModelServingStats> GetAsync()
    {
        var key = ModelKey.Parse(this.GetPrimaryKeyString());
        return Task.FromResult(ServingStatsMerge.Merge(key.Model, key.Version, state.State.Silos));
    }
}
