using System.Collections.Concurrent;
using MLwatch.Inference.Models;

namespace MLwatch.Inference.Sessions;

/// <summary>Holds one ONNX Runtime session per model name and version for the process; sessions load lazily and are disposed with the cache.</summary>
public sealed class OnnxSessionCache : IDisposable
{
    private readonly ConcurrentDictionary<(string Name, string Version), Lazy<ModelSession>> _sessions = new();
    private readonly InferenceOptions _options;
    private volatile bool _disposed;

    /// <summary>Creates an empty cache; sessions take their threads, graph optimization and memory arena from <paramref name="options"/>.</summary>
    public OnnxSessionCache(InferenceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
    }

    /// <summary>Loads and validates the model's session now rather than on first use; throws <see cref="ModelConfigurationException"/> on mismatch.</summary>
    public void EnsureLoaded(ModelDescriptor model) => GetSession(model);

    /// <summary>True when a session for the model's name and version has been loaded successfully.</summary>
    public bool IsLoaded(ModelDescriptor model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return _sessions.TryGetValue((model.Name, model.Version), out var lazy) && lazy.IsValueCreated;
    }

    /// <summary>
    /// Forgets the session of the model's name and version (a version rejected after it loaded), so a version published
    /// again under that number loads its new bytes. Only for versions nothing runs on: the session is disposed.
    /// </summary>
    public void Evict(ModelDescriptor model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (_sessions.TryRemove((model.Name, model.Version), out var lazy) && lazy.IsValueCreated)
        {
            lazy.Value.Dispose();
        }
    }

    /// <summary>Disposes every loaded session.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        foreach (var lazy in _sessions.Values)
        {
            if (lazy.IsValueCreated)
            {
                lazy.Value.Dispose();
            }
        }

        _sessions.Clear();
    }

    internal ModelSession GetSession(ModelDescriptor model)
    {
        ArgumentNullException.ThrowIfNull(model);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var key = (model.Name, model.Version);
        var lazy = _sessions.GetOrAdd(
            key,
            static (_, state) => new Lazy<ModelSession>(
                () => ModelSession.Create(state.Model, state.Options),
                LazyThreadSafetyMode.ExecutionAndPublication),
            (Model: model, Options: _options));
        try
        {
            return lazy.Value;
        }
        catch
        {
            // Do not cache failures: a fixed model file is picked up by the next call.
            _sessions.TryRemove(KeyValuePair.Create(key, lazy));
            throw;
        }
    }
}
