using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using MLwatch.Abstractions.Models;

namespace MLwatch.Grains.Models;

/// <summary>
/// A record of the models control topic: key = model name, value = one JSON object. Any Kafka client can write one:
/// <code>
/// {"type":"publish","model":"fashion-mnist","version":"2","by":"alice","activate":true,
///  "onnx":"&lt;base64 of model.onnx&gt;" | "location":"/shared/models/fashion-mnist/2",
///  "sha256":"&lt;hex, optional: checked&gt;","config":{...},"labels":["T-shirt/top",...],"reference":{...},"metrics":{...}}
/// {"type":"activate","model":"fashion-mnist","version":"1","by":"alice"}
/// {"type":"rollback","model":"fashion-mnist","by":"alice"}
/// {"type":"rollback","model":"fashion-mnist","version":"3","by":"supervision","automatic":true,"reason":"..."}
/// </code>
/// config (the version's config.json: only what differs from the model's), labels, reference and metrics are optional
/// for a version of a known model; a location is a directory inside Ingest:AllowedRoots holding model.onnx and any of
/// those files, and must be readable by every silo. Records are untrusted input: reading one never throws.
/// </summary>
public sealed class ModelControlRecord
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary>publish, activate or rollback.</summary>
    public string Type { get; set; } = "";

    /// <summary>The model (also the record's key).</summary>
    public string Model { get; set; } = "";

    /// <summary>The version to publish or activate; for a rollback (optional), the version to roll back from: when it is no longer active, the rollback does nothing.</summary>
    public string? Version { get; set; }

    /// <summary>Who asks: the publisher, the person activating or rolling back.</summary>
    public string? By { get; set; }

    /// <summary>Publish: where the version comes from, in words (defaults to "control-topic").</summary>
    public string? Source { get; set; }

    /// <summary>Publish: whether it becomes active once a silo validated it. Defaults to true.</summary>
    public bool? Activate { get; set; }

    /// <summary>Publish: model.onnx, base64.</summary>
    public string? Onnx { get; set; }

    /// <summary>Publish: a directory holding model.onnx (and optional files), inside Ingest:AllowedRoots, instead of <see cref="Onnx"/>.</summary>
    public string? Location { get; set; }

    /// <summary>Publish: the SHA-256 of model.onnx (hex); when given, every silo checks its bytes against it.</summary>
    public string? Sha256 { get; set; }

    /// <summary>Publish: the version's config.json.</summary>
    public JsonObject? Config { get; set; }

    /// <summary>Publish: the version's labels, in output order.</summary>
    public List<string>? Labels { get; set; }

    /// <summary>Publish: the version's reference.json.</summary>
    public JsonObject? Reference { get; set; }

    /// <summary>Publish: the version's metrics.json (model card figures).</summary>
    public JsonObject? Metrics { get; set; }

    /// <summary>Rollback: why, recorded in the registry as the rolled-back version's state reason.</summary>
    public string? Reason { get; set; }

    /// <summary>Rollback: supervision writes it (a bound was passed); the version is then never made active again automatically.</summary>
    public bool? Automatic { get; set; }

    /// <summary>The record's value.</summary>
    public byte[] ToBytes() => JsonSerializer.SerializeToUtf8Bytes(this, Json);

    /// <summary>
    /// Reads a record's value. Returns null with <paramref name="error"/> when it is no usable record; the model it
    /// names (from the JSON, else the key) is in <paramref name="model"/> when there is one, so the refusal can be
    /// recorded in that model's registry.
    /// </summary>
    public static ModelControlRecord? TryRead(byte[]? key, byte[]? value, out string? model, out string? error)
    {
        model = key is { Length: > 0 and <= 256 } ? Encoding.UTF8.GetString(key) : null;
        ModelControlRecord? record;
        try
        {
            record = value is { Length: > 0 } ? JsonSerializer.Deserialize<ModelControlRecord>(value, Json) : null;
        }
        catch (JsonException exception)
        {
            error = $"The control record is not a JSON object of the models topic's format ({exception.Message}).";
            return null;
        }

        if (record is null)
        {
            error = "The control record is empty; its value must be a JSON object with \"type\" and \"model\".";
            return null;
        }

        if (!string.IsNullOrWhiteSpace(record.Model))
        {
            if (model is not null && model != record.Model)
            {
                error = $"The record's key '{model}' and its \"model\" '{record.Model}' differ; key it by the model name.";
                return null;
            }

            model = record.Model;
        }
        else if (model is null)
        {
            error = "The control record names no model (\"model\", or the record's key).";
            return null;
        }

        record.Model = model;
        error = record.Type switch
        {
            ModelControlKinds.Publish when record.Onnx is null == (record.Location is null) =>
                "A publish record carries either \"onnx\" (model.onnx, base64) or \"location\" (a directory inside Ingest:AllowedRoots), exactly one.",
            ModelControlKinds.Publish or ModelControlKinds.Activate when string.IsNullOrWhiteSpace(record.Version) =>
                $"A {record.Type} record needs \"version\".",
            ModelControlKinds.Publish or ModelControlKinds.Activate or ModelControlKinds.Rollback => null,
            _ => $"Unknown control record type '{record.Type}'; use publish, activate or rollback.",
        };
        return error is null ? record : null;
    }
}
