using System.Text;
using Microsoft.Extensions.Options;
using Mono.Unix.Native;
using MLwatch.Grains.Inference;
using MLwatch.Inference.Models;

namespace MLwatch.Grains.Models;

/// <summary>
/// Gets the files of a publish record: decoded from the record, or read from its location, which must lie inside
/// Ingest:AllowedRoots after every symbolic link is resolved (the control topic is as untrusted as the requests topic),
/// and hold regular files within Models:MaxModelBytes. Files given in the record win over the location's.
/// </summary>
public sealed class PublishedVersionReader(IOptions<ModelsOptions> models, IOptions<IngestOptions> ingest)
{
    private readonly string[] _roots = [.. ingest.Value.AllowedRoots.Select(r => RequestReader.AsDirectory(RequestReader.ResolveLinks(Path.GetFullPath(r))))];

    /// <summary>The version's files; throws <see cref="PublishRefusedException"/> saying what is wrong.</summary>
    public PublishedVersion Read(ModelControlRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var directory = record.Location is { } location ? Locate(location) : null;
        byte[] onnx;
        if (record.Onnx is { } base64)
        {
            try
            {
                onnx = Convert.FromBase64String(base64);
            }
            catch (FormatException)
            {
                throw new PublishRefusedException("invalid-record", "\"onnx\" is not base64; send model.onnx base64-encoded, or a \"location\".");
            }
        }
        else
        {
            onnx = ReadFile(directory!, ModelRepository.OnnxFile) ?? throw new PublishRefusedException("invalid-location", $"{directory} has no {ModelRepository.OnnxFile}.");
        }

        return new PublishedVersion(
            record.Model,
            record.Version!,
            onnx,
            Utf8(record.Config?.ToJsonString()) ?? ReadFile(directory, ModelRepository.ConfigFile),
            Utf8(record.Labels is { } labels ? string.Join('\n', labels) + "\n" : null) ?? ReadFile(directory, ModelRepository.LabelsFile),
            Utf8(record.Reference?.ToJsonString()) ?? ReadFile(directory, ModelRepository.ReferenceFile),
            Utf8(record.Metrics?.ToJsonString()) ?? ReadFile(directory, ModelRepository.MetricsFile));
    }

    private string Locate(string location)
    {
        if (!Path.IsPathFullyQualified(location) || location.Contains('\0', StringComparison.Ordinal))
        {
            throw new PublishRefusedException("invalid-location", $"\"location\" '{location}' is not an absolute directory path.");
        }

        var real = RequestReader.ResolveLinks(Path.GetFullPath(location));
        if (_roots.Length == 0 || !RequestReader.IsUnder(RequestReader.AsDirectory(real), _roots))
        {
            throw new PublishRefusedException("forbidden-location", _roots.Length == 0
                ? $"\"location\" '{location}' refused: no directories are allowed (set Ingest:AllowedRoots)."
                : $"\"location\" '{location}' is outside the allowed roots ({string.Join(", ", _roots)}).");
        }

        if (!Directory.Exists(real))
        {
            throw new PublishRefusedException("invalid-location", $"\"location\" '{location}' is no directory this silo can see; publish from a directory every silo shares.");
        }

        return real;
    }

    private byte[]? ReadFile(string? directory, string name)
    {
        if (directory is null)
        {
            return null;
        }

        var path = RequestReader.ResolveLinks(Path.Combine(directory, name));
        if (Syscall.lstat(path, out var stat) != 0)
        {
            return null;
        }

        if (!RequestReader.IsUnder(path, _roots) || (stat.st_mode & FilePermissions.S_IFMT) != FilePermissions.S_IFREG)
        {
            throw new PublishRefusedException("forbidden-location", $"{Path.Combine(directory, name)} is not a regular file inside the allowed roots.");
        }

        if (stat.st_size > models.Value.MaxModelBytes)
        {
            throw new PublishRefusedException("too-large", $"{path} has {stat.st_size} bytes, over Models:MaxModelBytes ({models.Value.MaxModelBytes}).");
        }

        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new PublishRefusedException("invalid-location", $"{path} cannot be read by the silo ({exception.Message}).");
        }
    }

    private static byte[]? Utf8(string? text) => text is null ? null : Encoding.UTF8.GetBytes(text);
}

/// <summary>Why a publish record's files cannot be had, with a reason code.</summary>
public sealed class PublishRefusedException(string reason, string message) : Exception(message)
{
    /// <summary>invalid-record, invalid-location, forbidden-location or too-large.</summary>
    public string Reason { get; } = reason;
}
