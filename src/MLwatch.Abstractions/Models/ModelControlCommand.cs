namespace MLwatch.Abstractions.Models;

/// <summary>
/// A control record of the models topic as a silo hands it to the registry (without the model's bytes): publish a
/// version, activate one, roll back, or a record that could not be read. Each is applied once, by its position.
/// </summary>
[GenerateSerializer, Immutable, Alias("mlwatch.model-control-command")]
public sealed record ModelControlCommand(
    [property: Id(0)] string Kind,
    [property: Id(1)] string? Version,
    [property: Id(2)] string? By,
    [property: Id(3)] string Topic,
    [property: Id(4)] int Partition,
    [property: Id(5)] long Offset)
{
    /// <summary>Publish: where the version came from.</summary>
    [Id(6)] public string? Source { get; init; }

    /// <summary>Publish: SHA-256 of the ONNX bytes, when the silo could read them (or the record declared it).</summary>
    [Id(7)] public string? Sha256 { get; init; }

    /// <summary>Publish: whether to activate it once a silo has validated it.</summary>
    [Id(8)] public bool Activate { get; init; }

    /// <summary>Invalid: why the record was refused.</summary>
    [Id(9)] public string? Error { get; init; }

    /// <summary>Rollback: why, recorded as the rolled-back version's state reason; null: "rolled back by {by}".</summary>
    [Id(10)] public string? Reason { get; init; }

    /// <summary>Rollback: supervision asks (a bound was passed), not a person.</summary>
    [Id(11)] public bool Automatic { get; init; }

    /// <summary>"topic/partition/offset" of the record.</summary>
    public string Position => $"{Topic}/{Partition}/{Offset}";
}

/// <summary>The kinds of <see cref="ModelControlCommand"/> (the "type" of a control record).</summary>
public static class ModelControlKinds
{
    /// <summary>A new version, with its bytes or a location.</summary>
    public const string Publish = "publish";

    /// <summary>Serve a validated version.</summary>
    public const string Activate = "activate";

    /// <summary>Serve the version active before the current one (when the record names a version: only while that one is active).</summary>
    public const string Rollback = "rollback";

    /// <summary>A record that names a model but cannot be used; the registry records why.</summary>
    public const string Invalid = "invalid";
}
