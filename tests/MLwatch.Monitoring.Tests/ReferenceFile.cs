using MLwatch.Monitoring.Reference;

namespace MLwatch.Monitoring.Tests;

/// <summary>The committed models/fashion-mnist/reference.json, copied next to the test assembly by the csproj.</summary>
internal static class ReferenceFile
{
    public static string Path { get; } = System.IO.Path.Combine(AppContext.BaseDirectory, "TestData", "reference.json");

    private static readonly Lazy<ReferenceProfile> Profile = new(() => ReferenceProfileReader.Load(Path));

    public static ReferenceProfile Load() => Profile.Value;
}
