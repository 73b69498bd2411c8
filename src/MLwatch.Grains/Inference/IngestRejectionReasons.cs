namespace MLwatch.Grains.Inference;

/// <summary>Reason codes for records refused before image decoding (see also ImageRejectionReasons).</summary>
public static class IngestRejectionReasons
{
    public const string UnknownModel = "unknown-model";
    public const string ForbiddenPath = "forbidden-path";
    public const string MissingFile = "missing-file";
    public const string InvalidPath = "invalid-path";
}
