using Microsoft.Extensions.Options;
using MLwatch.Abstractions.Wire;
using MLwatch.Inference;
using MLwatch.Inference.Imaging;
using MLwatch.Inference.Models;
using MLwatch.Streaming.Kafka;

namespace MLwatch.Grains.Inference;

/// <summary>
/// Turns a Kafka record into an <see cref="ImageRequest"/>: resolves the model header and, for text/uri-list records,
/// reads the file only if it lies inside an allowed root (no traversal, no symlink escape).
/// </summary>
public sealed class RequestReader
{
    // Like Linux's SYMLOOP_MAX: more links than this on one path is a loop.
    private const int MaxSymbolicLinks = 40;

    private readonly ModelCatalog _catalog;
    private readonly int _maxImageBytes;
    private readonly int _maxKeyBytes;
    private readonly int _maxHeaderBytes;
    private readonly string[] _allowedRoots;
    private readonly string[] _resolvedRoots;

    public RequestReader(ModelCatalog catalog, IOptions<IngestOptions> ingest, IOptions<InferenceOptions> inference)
    {
        _catalog = catalog;
        _maxImageBytes = inference.Value.MaxImageBytes;
        _maxKeyBytes = ingest.Value.MaxKeyBytes;
        _maxHeaderBytes = ingest.Value.MaxHeaderBytes;
        _allowedRoots = [.. ingest.Value.AllowedRoots.Select(root => AsDirectory(Path.GetFullPath(root)))];
        // A root may itself be (or lie under) a symbolic link; real paths are compared with the roots' real paths.
        _resolvedRoots = [.. _allowedRoots.Select(root => AsDirectory(ResolveLinks(root)))];
    }

    public bool TryRead(KafkaRecord record, out ImageRequest request, out ImageRejection? rejection)
    {
        request = default;
        if (record.Key is { Length: var keyBytes } && keyBytes > _maxKeyBytes)
        {
            rejection = new ImageRejection(
                IngestRejectionReasons.KeyTooLarge,
                $"The record's key is {keyBytes} bytes, over the limit of {_maxKeyBytes} (Ingest.MaxKeyBytes); use a short request id as the key.");
            return false;
        }

        if (HeaderBytes(record) is var headerBytes && headerBytes > _maxHeaderBytes)
        {
            rejection = new ImageRejection(
                IngestRejectionReasons.HeadersTooLarge,
                $"The record's headers are {headerBytes} bytes together, over the limit of {_maxHeaderBytes} (Ingest.MaxHeaderBytes); " +
                "send only the mlwatch-* headers, with short values (the dead letter omits the original headers).");
            return false;
        }

        var modelName = record.GetHeader(RecordHeaders.Model);
        ModelDescriptor? model;
        if (string.IsNullOrWhiteSpace(modelName))
        {
            model = _catalog.Default;
        }
        else if (!_catalog.TryGet(modelName, out model))
        {
            rejection = new ImageRejection(
                IngestRejectionReasons.UnknownModel,
                $"Header {RecordHeaders.Model} names model '{Truncate(modelName)}', which this cluster does not serve; served: {string.Join(", ", _catalog.All.Select(m => m.Name))}.");
            return false;
        }

        var isPath = string.Equals(record.GetHeader(RecordHeaders.ContentType)?.Trim(), RecordHeaders.UriListContentType, StringComparison.OrdinalIgnoreCase);
        if (!isPath)
        {
            rejection = null;
            request = new ImageRequest(record, model, record.Value);
            return true;
        }

        if (!TryReadFile(record.Value, out var bytes, out rejection))
        {
            return false;
        }

        request = new ImageRequest(record, model, bytes);
        return true;
    }

    private bool TryReadFile(byte[] value, out byte[] bytes, out ImageRejection? rejection)
    {
        bytes = [];
        string path;
        try
        {
            var text = System.Text.Encoding.UTF8.GetString(value).Trim();
            path = Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.IsFile ? uri.LocalPath : text;
            if (path.Length == 0 || path.Contains('\0', StringComparison.Ordinal) || !Path.IsPathFullyQualified(path))
            {
                rejection = new ImageRejection(IngestRejectionReasons.InvalidPath, $"'{Truncate(path)}' is not an absolute file path; send an absolute path under an allowed root.");
                return false;
            }

            path = Path.GetFullPath(path);
        }
        catch (Exception exception) when (exception is ArgumentException or NotSupportedException or PathTooLongException)
        {
            rejection = new ImageRejection(IngestRejectionReasons.InvalidPath, $"The record's value is not a usable file path ({exception.Message}).");
            return false;
        }

        // Refuse paths outside the roots before touching the file system, so nothing is revealed about them.
        if (!IsUnder(path, _allowedRoots))
        {
            rejection = Forbidden(path);
            return false;
        }

        // A symbolic link inside a root, to the file or to any directory on its way, may lead outside it: check where
        // the path really leads, and read that real path, so what is read is what was checked.
        string realPath;
        try
        {
            realPath = ResolveLinks(path);
        }
        catch (IOException exception)
        {
            rejection = new ImageRejection(IngestRejectionReasons.InvalidPath, $"Path '{Truncate(path)}' cannot be resolved ({exception.Message}).");
            return false;
        }

        if (!IsUnder(realPath, _resolvedRoots))
        {
            rejection = Forbidden(path);
            return false;
        }

        var file = new FileInfo(realPath);
        if (!file.Exists)
        {
            rejection = new ImageRejection(IngestRejectionReasons.MissingFile, $"File '{Truncate(path)}' does not exist; check the path and that the silo can see it.");
            return false;
        }

        if (file.Length > _maxImageBytes)
        {
            rejection = new ImageRejection(ImageRejectionReasons.TooLarge, $"File '{Truncate(path)}' has {file.Length} bytes, over the limit of {_maxImageBytes} (Inference.MaxImageBytes).");
            return false;
        }

        // Bad input must never fail the delivery (it would be retried forever and block the partition): refuse it instead.
        try
        {
            bytes = File.ReadAllBytes(realPath);
        }
        catch (UnauthorizedAccessException)
        {
            rejection = new ImageRejection(IngestRejectionReasons.ForbiddenPath, $"File '{Truncate(path)}' is not readable by the silo's user.");
            return false;
        }
        catch (IOException exception)
        {
            rejection = new ImageRejection(IngestRejectionReasons.MissingFile, $"File '{Truncate(path)}' could not be read ({exception.Message}).");
            return false;
        }

        rejection = null;
        return true;
    }

    /// <summary>Size of all headers of <paramref name="record"/>: names (UTF-8) and values.</summary>
    public static long HeaderBytes(KafkaRecord record)
    {
        long total = 0;
        foreach (var header in record.Headers)
        {
            total += System.Text.Encoding.UTF8.GetByteCount(header.Key) + header.Value.Length;
        }

        return total;
    }

    private static bool IsUnder(string fullPath, string[] roots) =>
        roots.Any(root => fullPath.StartsWith(root, StringComparison.Ordinal));

    private static string AsDirectory(string fullPath) => Path.TrimEndingDirectorySeparator(fullPath) + Path.DirectorySeparatorChar;

    /// <summary>
    /// <paramref name="fullPath"/> with every symbolic link along it resolved, like realpath(3); components that do not
    /// exist are kept as they are. Throws <see cref="IOException"/> on a link loop.
    /// </summary>
    private static string ResolveLinks(string fullPath)
    {
        var resolved = Path.GetPathRoot(fullPath)!;
        var remaining = new Queue<string>(Segments(fullPath, resolved.Length));
        var links = 0;
        while (remaining.TryDequeue(out var segment))
        {
            var candidate = Path.Combine(resolved, segment);
            if (new FileInfo(candidate).LinkTarget is not { } target)
            {
                resolved = candidate;
                continue;
            }

            if (++links > MaxSymbolicLinks)
            {
                throw new IOException($"more than {MaxSymbolicLinks} symbolic links, or a loop");
            }

            // A relative target is relative to the link's directory, which is resolved already; start over from the target.
            var targetPath = Path.GetFullPath(target, resolved);
            resolved = Path.GetPathRoot(targetPath)!;
            remaining = new Queue<string>(Segments(targetPath, resolved.Length).Concat(remaining));
        }

        return resolved;
    }

    private static string[] Segments(string fullPath, int rootLength) =>
        fullPath[rootLength..].Split([Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar], StringSplitOptions.RemoveEmptyEntries);

    private ImageRejection Forbidden(string path) => new(
        IngestRejectionReasons.ForbiddenPath,
        _allowedRoots.Length == 0
            ? $"Path '{Truncate(path)}' refused: no directories are allowed for path records (set Ingest.AllowedRoots)."
            : $"Path '{Truncate(path)}' is outside the allowed roots ({string.Join(", ", _allowedRoots)}).");

    private static string Truncate(string text) => text.Length <= 200 ? text : string.Concat(text.AsSpan(0, 200), "…");
}
