using System.Collections.Concurrent;
using System.Globalization;
using Orleans.Runtime;
using Orleans.Serialization;
using Orleans.Storage;

namespace MLwatch.Hosting.Storage;

/// <summary>
/// Grain state kept in this silo's memory, for the one-silo demo and tests; lost when the silo stops.
/// Hand-written because Orleans' memory provider stores state in grains of its own, which are already gone while a
/// stopping silo deactivates our grains, so their final writes fail noisily at every shutdown.
/// </summary>
internal sealed class SiloMemoryGrainStorage(DeepCopier copier) : IGrainStorage
{
    private readonly ConcurrentDictionary<(string StateName, GrainId GrainId), (object State, long ETag)> _states = new();

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (_states.TryGetValue((stateName, grainId), out var stored))
        {
            grainState.State = copier.Copy((T)stored.State);
            grainState.ETag = stored.ETag.ToString(CultureInfo.InvariantCulture);
            grainState.RecordExists = true;
        }

        return Task.CompletedTask;
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var key = (stateName, grainId);
        var written = (State: (object)copier.Copy(grainState.State)!, ETag: 1L);
        var updated = grainState.ETag is { } etag
            ? _states.TryGetValue(key, out var stored) && stored.ETag.ToString(CultureInfo.InvariantCulture) == etag
                && _states.TryUpdate(key, written with { ETag = stored.ETag + 1 }, stored)
            : _states.TryAdd(key, written);
        if (!updated)
        {
            throw new InconsistentStateException($"State '{stateName}' of {grainId} was changed by another activation (etag {grainState.ETag}).");
        }

        grainState.ETag = _states[key].ETag.ToString(CultureInfo.InvariantCulture);
        grainState.RecordExists = true;
        return Task.CompletedTask;
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        _states.TryRemove((stateName, grainId), out _);
        grainState.ETag = null;
        grainState.RecordExists = false;
        return Task.CompletedTask;
    }
}
