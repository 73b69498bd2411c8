namespace MLwatch.Grains.Inference;

/// <summary>Reason codes for records refused before image decoding (see also ImageRejectionReasons).</summary>
public static class IngestRejectionReasons
{
    public const string UnknownModel = "unknown-model";
    public const string ForbiddenPath = "forbidden-path";
    public const string MissingFile = "missing-file";
    public const string InvalidPath = "invalid-path";

    /// <summary>The record's key is longer than Ingest.MaxKeyBytes.</summary>
    public const string KeyTooLarge = "key-too-large";

    /// <summary>The record's headers together are larger than Ingest.MaxHeaderBytes.</summary>
    public const string HeadersTooLarge = "headers-too-large";
}
