namespace MLwatch.Query;

/// <summary>The versions of a model with their life, serving statistics and drift: what the dashboard's Models page reads (tests substitute it).</summary>
public interface IModelVersionsSource
{
    /// <summary>Every version of <paramref name="model"/> the registry knows, oldest first; empty when it knows none.</summary>
    Task<IReadOnlyList<ModelVersionView>> GetVersionsAsync(string model);
}
