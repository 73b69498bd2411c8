using System.Text.Json.Nodes;
using MLwatch.Monitoring.Reference;

namespace MLwatch.Monitoring.Tests.Reference;

public sealed class ReferenceProfileReaderTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("mlwatch-reference-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Loads_the_committed_fashion_mnist_profile()
    {
        var profile = ReferenceProfileReader.Load(ReferenceFile.Path);

        Assert.Equal("fashion-mnist", profile.Model);
        Assert.Equal("1", profile.Version);
        Assert.Equal(5000, profile.Count);
        Assert.Equal(0.9358, profile.Accuracy);
        Assert.Equal(1.240154, profile.Temperature);
        Assert.Equal(10, profile.Labels.Count);
        Assert.Equal(new ReferenceLabel("T-shirt/top", 0.1016, 0.883197), profile.Labels[0]);
        Assert.Equal("Ankle boot", profile.Labels[9].Label);
        Assert.Equal(1001, profile.ConfidenceQuantiles.Count);
        Assert.Equal(0.270231, profile.ConfidenceQuantiles[0]);
        Assert.Equal(1.0, profile.ConfidenceQuantiles[^1]);
    }

    [Fact]
    public void Offers_shares_counts_and_label_index_in_label_order()
    {
        var profile = ReferenceFile.Load();

        Assert.Equal(1.0, profile.PredictedShares().Sum(), 9);
        Assert.Equal(0.102, profile.PredictedShares()[1]);
        Assert.Equal(508.0, profile.PredictedCounts()[0], 9);
        Assert.Equal(5000.0, profile.PredictedCounts().Sum(), 6);
        Assert.Equal(6, profile.IndexOf("Shirt"));
        Assert.Equal(-1, profile.IndexOf("shirt"));
    }

    [Fact]
    public void Missing_file_is_named()
    {
        var path = Path.Combine(_directory, "absent.json");

        var error = Assert.Throws<ReferenceProfileException>(() => ReferenceProfileReader.Load(path));

        Assert.Contains(path, error.Message);
        Assert.Contains("does not exist", error.Message);
    }

    [Fact]
    public void Invalid_json_is_reported_with_its_position()
    {
        var path = Write("bad.json", "{ \"model\": \"fashion-mnist\", \"count\": 5000,, }");

        var error = Assert.Throws<ReferenceProfileException>(() => ReferenceProfileReader.Load(path));

        Assert.Contains(path, error.Message);
        Assert.Contains("not valid JSON (line 1", error.Message);
    }

    [Fact]
    public void Shares_that_do_not_sum_to_one_are_rejected()
    {
        var path = WriteModified(root => root["labels"]![0]!["predictedShare"] = 0.2016);

        var error = Assert.Throws<ReferenceProfileException>(() => ReferenceProfileReader.Load(path));

        Assert.Contains(path, error.Message);
        Assert.Contains("'labels[].predictedShare' must sum to 1", error.Message);
        Assert.Contains("1.1", error.Message);
    }

    [Fact]
    public void Unsorted_quantiles_are_rejected_at_the_first_descent()
    {
        var path = WriteModified(root =>
        {
            var quantiles = root["confidenceQuantiles"]!.AsArray();
            quantiles[11] = 0.3;
        });

        var error = Assert.Throws<ReferenceProfileException>(() => ReferenceProfileReader.Load(path));

        Assert.Contains("'confidenceQuantiles[11]'", error.Message);
        Assert.Contains("ascending", error.Message);
    }

    [Theory]
    [InlineData("count", "0", "'count' must be greater than 0")]
    [InlineData("accuracy", "1.5", "'accuracy' must be in [0, 1]")]
    [InlineData("model", "null", "'model' is missing")]
    public void Invalid_top_level_fields_are_named(string field, string json, string expected)
    {
        var path = WriteModified(root => root[field] = JsonNode.Parse(json));

        var error = Assert.Throws<ReferenceProfileException>(() => ReferenceProfileReader.Load(path));

        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Missing_temperature_is_named_by_its_path()
    {
        var path = WriteModified(root => root["calibration"]!.AsObject().Remove("temperature"));

        var error = Assert.Throws<ReferenceProfileException>(() => ReferenceProfileReader.Load(path));

        Assert.Contains("'calibration.temperature' is missing", error.Message);
    }

    [Fact]
    public void Quantiles_outside_zero_one_and_repeated_labels_are_rejected()
    {
        var outside = WriteModified(root => root["confidenceQuantiles"]![1000] = 1.5);
        var repeated = WriteModified(root => root["labels"]![1]!["label"] = "T-shirt/top");

        Assert.Contains("'confidenceQuantiles[1000]' must be in [0, 1]", Assert.Throws<ReferenceProfileException>(() => ReferenceProfileReader.Load(outside)).Message);
        Assert.Contains("'labels[1].label' repeats", Assert.Throws<ReferenceProfileException>(() => ReferenceProfileReader.Load(repeated)).Message);
    }

    private string WriteModified(Action<JsonNode> modify)
    {
        var root = JsonNode.Parse(File.ReadAllText(ReferenceFile.Path))!;
        modify(root);
        return Write($"{Guid.NewGuid():N}.json", root.ToJsonString());
    }

    private string Write(string name, string json)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, json);
        return path;
    }
}
