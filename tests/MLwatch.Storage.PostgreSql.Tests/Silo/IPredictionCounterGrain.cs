namespace MLwatch.Storage.PostgreSql.Tests.Silo;

/// <summary>A tiny persisted grain for end-to-end tests of the provider inside a real silo.</summary>
public interface IPredictionCounterGrain : IGrainWithStringKey
{
    /// <summary>Counts one prediction of <paramref name="label"/> and writes the state.</summary>
    Task AddAsync(string label, double confidence);

    /// <summary>Returns the state as this activation holds it.</summary>
    Task<PredictionCounterState> GetAsync();

    /// <summary>Deactivates after this call, so the next call reads the state from storage.</summary>
    Task DeactivateAsync();
}
