namespace MLwatch.Abstractions.Models;

/// <summary>What one silo found when it validated a version.</summary>
[GenerateSerializer, Alias("mlwatch.silo-version-report")]
public sealed class SiloVersionReport
{
    /// <summary>When the silo validated it.</summary>
    [Id(0)] public DateTimeOffset At { get; set; }

    /// <summary>Whether the silo may serve it.</summary>
    [Id(1)] public bool Passed { get; set; }

    /// <summary>The rejection's reason code; null when it passed.</summary>
    [Id(2)] public string? Reason { get; set; }

    /// <summary>The rejection's message; null when it passed.</summary>
    [Id(3)] public string? Message { get; set; }
}
