namespace MLwatch.Hosting.Configuration;

/// <summary>Which grain storage this silo uses, for /healthz.</summary>
public sealed record StorageDescription(StorageProvider Provider);
