using Microsoft.Extensions.Options;
using Microsoft.Win32.SafeHandles;
using Mono.Unix.Native;
using MLwatch.Abstractions.Wire;
using MLwatch.Inference;
using MLwatch.Inference.Execution;
using MLwatch.Inference.Imaging;
using MLwatch.Inference.Models;
using MLwatch.Streaming.Kafka;

namespace MLwatch.Grains.Inference;

/// <summary>
/// Turns a Kafka record into an <see cref="ImageRequest"/>: resolves the model header and, for text/uri-list records,
/// reads the file only if it lies inside an allowed root (no traversal, no symlink escape) and is a regular file within
/// Inference.MaxImageBytes. Every refusal is a value with its own reason code (<see cref="IngestRejectionReasons"/>),
/// never an exception: bad input must not fail a delivery.
/// </summary>
/// <remarks>
/// Files are opened with Mono.Unix (open with O_NONBLOCK and O_NOFOLLOW, lstat, fstat on the descriptor), which
/// System.IO does not offer; its native part ships in the package for linux-x64 (and other platforms).
/// </remarks>
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

        var replyTopK = ReplyTopK(record, model);
        var contentType = record.GetHeader(RecordHeaders.ContentType)?.Trim();
        if (string.Equals(contentType, RecordHeaders.Fp32TensorContentType, StringComparison.OrdinalIgnoreCase))
        {
            rejection = TensorInput.Check(record.Value, model.Config.ImageTensorLength);
            request = new ImageRequest(record, model, record.Value, IsTensor: true, replyTopK);
            return rejection is null;
        }

        if (!string.Equals(contentType, RecordHeaders.UriListContentType, StringComparison.OrdinalIgnoreCase))
        {
            rejection = null;
            request = new ImageRequest(record, model, record.Value, ReplyTopK: replyTopK);
            return true;
        }

        if (!TryReadFile(record.Value, out var bytes, out rejection))
        {
            return false;
        }

        request = new ImageRequest(record, model, bytes, ReplyTopK: replyTopK);
        return true;
    }

    /// <summary>
    /// The top-k a caller awaiting this record asked for (<see cref="RecordHeaders.AwaitingReply"/>), at most the model's
    /// classes; null when nobody awaits it. A value that is not a count asks for the top-1 only: the reply still goes out.
    /// </summary>
    private static int? ReplyTopK(KafkaRecord record, ModelDescriptor model) =>
        record.GetHeader(RecordHeaders.AwaitingReply) is not { } value
            ? null
            : int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var k) ? Math.Min(k, model.Labels.Count) : 0;

    private bool TryReadFile(byte[] value, out ReadOnlyMemory<byte> bytes, out ImageRejection? rejection)
    {
        bytes = default;
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
        catch (UnauthorizedAccessException)
        {
            rejection = Unreadable(path);
            return false;
        }

        if (!IsUnder(realPath, _resolvedRoots))
        {
            rejection = Forbidden(path);
            return false;
        }

        return TryReadRegularFile(path, realPath, out bytes, out rejection);
    }

    /// <summary>
    /// Reads the file at <paramref name="realPath"/> (links resolved and checked) when it is a regular file of at most
    /// Inference.MaxImageBytes. It is opened without blocking (opening a FIFO for reading would wait for a writer) and
    /// without following a final link (one swapped in after the check is refused), and what was opened is checked with
    /// fstat on the descriptor, so nothing can change between the check and the read. An lstat before opening refuses
    /// what is plainly no regular file without opening it (opening some devices has effects). At most limit + 1 bytes
    /// are read: a file that grew past the limit after fstat is refused too. Not caught: a directory on the way swapped
    /// for a link between the check and the open (that needs openat2's RESOLVE_NO_SYMLINKS, which neither System.IO
    /// nor Mono.Unix offers); only someone who can write inside a root can do that, and what is read is only decoded,
    /// never sent anywhere.
    /// </summary>
    private bool TryReadRegularFile(string path, string realPath, out ReadOnlyMemory<byte> bytes, out ImageRejection? rejection)
    {
        bytes = default;
        if (Syscall.lstat(realPath, out var linkStat) != 0)
        {
            rejection = OpenFailed(path, Stdlib.GetLastError());
            return false;
        }

        if (NotRegular(path, linkStat.st_mode) is { } notRegular)
        {
            rejection = notRegular;
            return false;
        }

        int descriptor;
        do
        {
            descriptor = Syscall.open(realPath, OpenFlags.O_RDONLY | OpenFlags.O_NONBLOCK | OpenFlags.O_NOFOLLOW | OpenFlags.O_CLOEXEC);
        }
        while (descriptor < 0 && Stdlib.GetLastError() == Errno.EINTR);

        if (descriptor < 0)
        {
            rejection = OpenFailed(path, Stdlib.GetLastError());
            return false;
        }

        using var handle = new SafeFileHandle((IntPtr)descriptor, ownsHandle: true);
        if (Syscall.fstat(descriptor, out var stat) != 0)
        {
            rejection = ReadFailed(path, $"fstat: {Stdlib.GetLastError()}");
            return false;
        }

        if (NotRegular(path, stat.st_mode) is { } replaced)
        {
            rejection = replaced;
            return false;
        }

        if (stat.st_size > _maxImageBytes)
        {
            rejection = TooLarge(path, $"has {stat.st_size} bytes");
            return false;
        }

        var buffer = new byte[(int)Math.Min(stat.st_size, _maxImageBytes) + 1];
        var total = 0;
        try
        {
            while (total <= _maxImageBytes)
            {
                if (total == buffer.Length)
                {
                    Array.Resize(ref buffer, (int)Math.Min(buffer.Length * 2L, _maxImageBytes + 1L));
                }

                var read = RandomAccess.Read(handle, buffer.AsSpan(total), total);
                if (read == 0)
                {
                    break;
                }

                total += read;
            }
        }
        catch (IOException exception)
        {
            rejection = ReadFailed(path, exception.Message);
            return false;
        }

        if (total > _maxImageBytes)
        {
            rejection = TooLarge(path, $"grew past {_maxImageBytes} bytes while it was read (it had {stat.st_size})");
            return false;
        }

        bytes = buffer.AsMemory(0, total);
        rejection = null;
        return true;
    }

    /// <summary>The refusal for a failed open or lstat of a path record's file, by errno.</summary>
    internal static ImageRejection OpenFailed(string path, Errno errno) => errno switch
    {
        Errno.ENOENT or Errno.ENOTDIR => new ImageRejection(IngestRejectionReasons.MissingFile, $"File '{Truncate(path)}' does not exist; check the path and that the silo can see it."),
        Errno.EACCES or Errno.EPERM => Unreadable(path),
        Errno.ELOOP => new ImageRejection(IngestRejectionReasons.ForbiddenPath, $"Path '{Truncate(path)}' was replaced by a symbolic link after it was checked; send the path of the file itself."),
        Errno.ENXIO or Errno.ENODEV or Errno.EISDIR => new ImageRejection(IngestRejectionReasons.NotARegularFile, $"Path '{Truncate(path)}' is not a regular file (the system cannot open it for reading: {errno}); send the path of an image file."),
        _ => ReadFailed(path, $"open: {errno}"),
    };

    private static ImageRejection? NotRegular(string path, FilePermissions mode)
    {
        var kind = (mode & FilePermissions.S_IFMT) switch
        {
            FilePermissions.S_IFREG => null,
            FilePermissions.S_IFDIR => "a directory",
            FilePermissions.S_IFIFO => "a FIFO (named pipe)",
            FilePermissions.S_IFSOCK => "a socket",
            FilePermissions.S_IFCHR => "a character device",
            FilePermissions.S_IFBLK => "a block device",
            FilePermissions.S_IFLNK => "a symbolic link",
            _ => "not a regular file",
        };
        return kind is null
            ? null
            : new ImageRejection(IngestRejectionReasons.NotARegularFile, $"Path '{Truncate(path)}' is {kind}, not a regular file; only image files are read.");
    }

    private ImageRejection TooLarge(string path, string what) =>
        new(IngestRejectionReasons.FileTooLarge, $"File '{Truncate(path)}' {what}, over the limit of {_maxImageBytes} (Inference.MaxImageBytes); downscale or recompress it.");

    private static ImageRejection Unreadable(string path) =>
        new(IngestRejectionReasons.UnreadableFile, $"File '{Truncate(path)}' is not readable by the silo's user; grant it read permission (and search permission on its directories).");

    private static ImageRejection ReadFailed(string path, string detail) =>
        new(IngestRejectionReasons.FileReadError, $"File '{Truncate(path)}' could not be read ({detail}); check the disk or file system it is on and resend the record.");

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

    internal static bool IsUnder(string fullPath, string[] roots) =>
        roots.Any(root => fullPath.StartsWith(root, StringComparison.Ordinal));

    internal static string AsDirectory(string fullPath) => Path.TrimEndingDirectorySeparator(fullPath) + Path.DirectorySeparatorChar;

    /// <summary>
    /// <paramref name="fullPath"/> with every symbolic link along it resolved, like realpath(3); components that do not
    /// exist are kept as they are. Throws <see cref="IOException"/> on a link loop.
    /// </summary>
    internal static string ResolveLinks(string fullPath)
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
