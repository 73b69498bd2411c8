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
    private readonly ModelCatalog _catalog;
    private readonly int _maxImageBytes;
    private readonly string[] _allowedRoots;

    public RequestReader(ModelCatalog catalog, IOptions<IngestOptions> ingest, IOptions<InferenceOptions> inference)
    {
        _catalog = catalog;
        _maxImageBytes = inference.Value.MaxImageBytes;
        _allowedRoots = [.. ingest.Value.AllowedRoots.Select(root => Path.TrimEndingDirectorySeparator(Path.GetFullPath(root)) + Path.DirectorySeparatorChar)];
    }

    public bool TryRead(KafkaRecord record, out ImageRequest request, out ImageRejection? rejection)
    {
        request = default;
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

        if (!IsAllowed(path))
        {
            rejection = Forbidden(path);
            return false;
        }

        var file = new FileInfo(path);
        if (!file.Exists)
        {
            rejection = new ImageRejection(IngestRejectionReasons.MissingFile, $"File '{Truncate(path)}' does not exist; check the path and that the silo can see it.");
            return false;
        }

        // A symbolic link inside a root may point outside it: check where it really leads.
        if (file.ResolveLinkTarget(returnFinalTarget: true) is { } target && !IsAllowed(target.FullName))
        {
            rejection = Forbidden(path);
            return false;
        }

        if (file.Length > _maxImageBytes)
        {
            rejection = new ImageRejection(ImageRejectionReasons.TooLarge, $"File '{Truncate(path)}' has {file.Length} bytes, over the limit of {_maxImageBytes} (Inference.MaxImageBytes).");
            return false;
        }

        bytes = File.ReadAllBytes(path);
        rejection = null;
        return true;
    }

    private bool IsAllowed(string fullPath) =>
        _allowedRoots.Any(root => fullPath.StartsWith(root, StringComparison.Ordinal));

    private ImageRejection Forbidden(string path) => new(
        IngestRejectionReasons.ForbiddenPath,
        _allowedRoots.Length == 0
            ? $"Path '{Truncate(path)}' refused: no directories are allowed for path records (set Ingest.AllowedRoots)."
            : $"Path '{Truncate(path)}' is outside the allowed roots ({string.Join(", ", _allowedRoots)}).");

    private static string Truncate(string text) => text.Length <= 200 ? text : string.Concat(text.AsSpan(0, 200), "…");
}
