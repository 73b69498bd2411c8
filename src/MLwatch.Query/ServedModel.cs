namespace MLwatch.Query;

/// <summary>A model version being served and its labels in output order.</summary>
public sealed record ServedModel(string Name, string Version, IReadOnlyList<string> Labels);
