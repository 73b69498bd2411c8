namespace MLwatch.Grains.Inference;

/// <summary>
/// Reason codes (<c>mlwatch-error-code</c>) for records refused before image decoding, and for what the consumers
/// dead-letter themselves (see also ImageRejectionReasons and FeedbackRejectionReasons).
/// </summary>
public static class IngestRejectionReasons
{
    /// <summary><c>mlwatch-model</c> names a model this cluster does not serve.</summary>
    public const string UnknownModel = "unknown-model";

    /// <summary>A path record's path lies outside Ingest.AllowedRoots once <c>..</c> and symbolic links are resolved (or none are allowed).</summary>
    public const string ForbiddenPath = "forbidden-path";

    /// <summary>A path record's path, inside the roots, leads to nothing.</summary>
    public const string MissingFile = "missing-file";

    /// <summary>A path record whose value is not an absolute path.</summary>
    public const string InvalidPath = "invalid-path";

    /// <summary>A path record's path leads to a directory, FIFO, socket or device instead of a regular file.</summary>
    public const string NotARegularFile = "not-a-regular-file";

    /// <summary>A path record's file has more bytes than Inference.MaxImageBytes, when opened or while it is read.</summary>
    public const string FileTooLarge = "file-too-large";

    /// <summary>A path record's file (or a directory on its way) may not be read by the silo's user.</summary>
    public const string UnreadableFile = "unreadable-file";

    /// <summary>Reading a path record's file failed with an I/O error.</summary>
    public const string FileReadError = "file-read-error";

    /// <summary>The record's key is longer than Ingest.MaxKeyBytes.</summary>
    public const string KeyTooLarge = "key-too-large";

    /// <summary>The record's headers together are larger than Ingest.MaxHeaderBytes.</summary>
    public const string HeadersTooLarge = "headers-too-large";

    /// <summary>Consuming the record failed in MLwatch itself, every time, while the records around it went through: a bug.</summary>
    public const string InternalError = "internal-error";

    /// <summary>A range of offsets whose records the broker deleted before MLwatch read them (one dead letter for the range).</summary>
    public const string RecordsExpired = "records-expired";
}
