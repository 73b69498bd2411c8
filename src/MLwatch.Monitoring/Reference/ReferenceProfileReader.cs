using System.Globalization;
using System.Text.Json;

namespace MLwatch.Monitoring.Reference;

/// <summary>Reads and validates a reference profile (models/&lt;model&gt;/reference.json, written by the model's train.py).</summary>
public static class ReferenceProfileReader
{
    /// <summary>How far the predicted shares may sum from 1; the file rounds each share to 6 decimals.</summary>
    public const double ShareSumTolerance = 1e-3;

    /// <summary>
    /// Loads the profile at <paramref name="path"/>. Required fields: <c>model</c>, <c>version</c>, <c>count</c> (&gt; 0),
    /// <c>accuracy</c> (in [0, 1]), <c>calibration.temperature</c> (&gt; 0), <c>labels[]</c> (unique <c>label</c>,
    /// <c>predictedShare</c> and <c>meanConfidence</c> in [0, 1], shares summing to 1 within <see cref="ShareSumTolerance"/>)
    /// and <c>confidenceQuantiles</c> (at least 2, ascending, in [0, 1]). Other fields are ignored.
    /// </summary>
    /// <exception cref="ReferenceProfileException">The file is missing or unreadable, is not JSON, or a field is missing or invalid; the message names the file and the field.</exception>
    public static ReferenceProfile Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string json;
        try
        {
            json = File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new ReferenceProfileException($"Reference profile '{path}' does not exist.", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ReferenceProfileException($"Reference profile '{path}' cannot be read: {e.Message}", e);
        }

        return Parse(json, path);
    }

    /// <summary>Parses and validates profile JSON; <paramref name="source"/> names it in error messages.</summary>
    internal static ReferenceProfile Parse(string json, string source)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new ReferenceProfileException(
                $"Reference profile '{source}' is not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}): {e.Message}", e);
        }

        using (document)
        {
            var reader = new FieldReader(source);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw reader.Error("(root)", $"must be a JSON object but is {root.ValueKind}");
            }

            var model = reader.Text(root, "model", "model");
            var version = reader.Text(root, "version", "version");
            var count = reader.Integer(root, "count", "count");
            if (count <= 0)
            {
                throw reader.Error("count", $"must be greater than 0 but is {count}");
            }

            var accuracy = reader.Probability(root, "accuracy", "accuracy");
            var calibration = reader.Member(root, "calibration", "calibration", JsonValueKind.Object);
            var temperature = reader.Number(calibration, "temperature", "calibration.temperature");
            if (temperature <= 0)
            {
                throw reader.Error("calibration.temperature", $"must be greater than 0 but is {Format(temperature)}");
            }

            var labels = ReadLabels(reader, root);
            var quantiles = ReadQuantiles(reader, root);
            return new ReferenceProfile(model, version, count, accuracy, temperature, labels, quantiles);
        }
    }

    private static ReferenceLabel[] ReadLabels(FieldReader reader, JsonElement root)
    {
        var array = reader.Member(root, "labels", "labels", JsonValueKind.Array);
        if (array.GetArrayLength() == 0)
        {
            throw reader.Error("labels", "must list at least one label");
        }

        var labels = new ReferenceLabel[array.GetArrayLength()];
        var names = new HashSet<string>(StringComparer.Ordinal);
        var shareSum = 0.0;
        var index = 0;
        foreach (var element in array.EnumerateArray())
        {
            var field = $"labels[{index}]";
            if (element.ValueKind != JsonValueKind.Object)
            {
                throw reader.Error(field, $"must be a JSON object but is {element.ValueKind}");
            }

            var name = reader.Text(element, "label", field + ".label");
            if (!names.Add(name))
            {
                throw reader.Error(field + ".label", $"repeats the label '{name}'");
            }

            var share = reader.Probability(element, "predictedShare", field + ".predictedShare");
            var meanConfidence = reader.Probability(element, "meanConfidence", field + ".meanConfidence");
            labels[index++] = new ReferenceLabel(name, share, meanConfidence);
            shareSum += share;
        }

        if (Math.Abs(shareSum - 1) > ShareSumTolerance)
        {
            throw reader.Error("labels[].predictedShare", $"must sum to 1 (within {Format(ShareSumTolerance)}) but sum to {Format(shareSum)}");
        }

        return labels;
    }

    private static double[] ReadQuantiles(FieldReader reader, JsonElement root)
    {
        var array = reader.Member(root, "confidenceQuantiles", "confidenceQuantiles", JsonValueKind.Array);
        if (array.GetArrayLength() < 2)
        {
            throw reader.Error("confidenceQuantiles", $"must hold at least 2 quantiles but holds {array.GetArrayLength()}");
        }

        var quantiles = new double[array.GetArrayLength()];
        var index = 0;
        foreach (var element in array.EnumerateArray())
        {
            var field = $"confidenceQuantiles[{index}]";
            var value = reader.Probability(element, field);
            if (index > 0 && value < quantiles[index - 1])
            {
                throw reader.Error(field, $"must not be less than the quantile before it ({Format(quantiles[index - 1])}) but is {Format(value)}; quantiles must be ascending");
            }

            quantiles[index++] = value;
        }

        return quantiles;
    }

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Typed access to JSON fields that reports a missing or mistyped field by its path in the file.</summary>
    private sealed class FieldReader(string source)
    {
        public ReferenceProfileException Error(string field, string problem) =>
            new($"Reference profile '{source}': field '{field}' {problem}.");

        public JsonElement Member(JsonElement parent, string name, string field, JsonValueKind kind)
        {
            if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                throw Error(field, "is missing");
            }

            if (value.ValueKind != kind)
            {
                throw Error(field, $"must be a JSON {kind} but is {value.ValueKind}");
            }

            return value;
        }

        public string Text(JsonElement parent, string name, string field)
        {
            if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                throw Error(field, "is missing");
            }

            // train.py writes the version as a string; a bare number is accepted as its text.
            var text = value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Number => value.GetRawText(),
                _ => throw Error(field, $"must be a string but is {value.ValueKind}"),
            };
            if (string.IsNullOrWhiteSpace(text))
            {
                throw Error(field, "must not be empty");
            }

            return text;
        }

        public int Integer(JsonElement parent, string name, string field)
        {
            var value = Member(parent, name, field, JsonValueKind.Number);
            if (!value.TryGetInt32(out var result))
            {
                throw Error(field, $"must be a whole number but is {value.GetRawText()}");
            }

            return result;
        }

        public double Number(JsonElement parent, string name, string field) =>
            Number(Member(parent, name, field, JsonValueKind.Number), field);

        public double Probability(JsonElement parent, string name, string field) =>
            Probability(Member(parent, name, field, JsonValueKind.Number), field);

        public double Probability(JsonElement value, string field)
        {
            var number = Number(value, field);
            if (number is < 0 or > 1)
            {
                throw Error(field, $"must be in [0, 1] but is {Format(number)}");
            }

            return number;
        }

        private double Number(JsonElement value, string field)
        {
            if (value.ValueKind != JsonValueKind.Number)
            {
                throw Error(field, $"must be a number but is {value.ValueKind}");
            }

            var number = value.GetDouble();
            if (!double.IsFinite(number))
            {
                throw Error(field, $"must be finite but is {value.GetRawText()}");
            }

            return number;
        }
    }
}
