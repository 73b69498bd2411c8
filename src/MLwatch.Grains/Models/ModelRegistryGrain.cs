using MLwatch.Abstractions;
using MLwatch.Abstractions.Models;

namespace MLwatch.Grains.Models;

/// <summary>
/// The registry of one model (key = model name), persisted in the "mlwatch" storage and written on every change: changes
/// are rare (a publish, an activation, a silo's report) and must survive the silo that holds the activation.
/// </summary>
public sealed class ModelRegistryGrain(
    [PersistentState("modelRegistry", StorageNames.Stats)] IPersistentState<ModelRegistryState> state,
    TimeProvider clock) : Grain, IModelRegistryGrain
{
    private ModelRegistry _registry = null!;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        state.State.Model = this.GetPrimaryKeyString();
        _registry = new ModelRegistry(state.State, clock);
        return Task.CompletedTask;
    }

    public Task<ModelRegistryState> GetAsync() => Task.FromResult(state.State);

    public async Task<ModelRegistryState> ApplyControlAsync(ModelControlCommand command)
    {
        if (_registry.ApplyControl(command))
        {
            await state.WriteStateAsync();
        }

        return state.State;
    }

    public async Task<ModelRegistryState> ReportAsync(string silo, ModelVersionReport[] reports, bool repository, string? preferredVersion)
    {
        if (_registry.Report(silo, reports, repository, preferredVersion))
        {
            await state.WriteStateAsync();
        }

        return state.State;
    }

    public async Task ReportServingAsync(string silo, string version, string? note)
    {
        if (_registry.ReportServing(silo, version, note))
        {
            await state.WriteStateAsync();
        }
    }
}
