using MLwatch.Inference.Models;

namespace MLwatch.Inference.Tests.Models;

public sealed class ModelConfigTests
{
    private const string Source = "models/x/config.json";

    private const string Valid = """
        { "name": "fashion-mnist", "version": "1", "inputName": "input", "outputName": "logits", "layout": "NCHW",
          "width": 28, "height": 28, "channels": 1, "scale": 255.0, "mean": [0.2860], "std": [0.3530],
          "outputKind": "logits", "maxBatchSize": 64 }
        """;

    [Fact]
    public void Parses_the_documented_schema()
    {
        var config = ModelConfig.Parse(Valid, Source);

        Assert.Equal("fashion-mnist", config.Name);
        Assert.Equal("1", config.Version);
        Assert.Equal("input", config.InputName);
        Assert.Equal("logits", config.OutputName);
        Assert.False(config.IsChannelsLast);
        Assert.Equal((28, 28, 1), (config.Width, config.Height, config.Channels));
        Assert.Equal(255f, config.Scale);
        Assert.Equal([0.2860f], config.Mean);
        Assert.Equal([0.3530f], config.Std);
        Assert.True(config.OutputIsLogits);
        Assert.Equal(64, config.MaxBatchSize);
        Assert.Equal(784, config.ImageTensorLength);
        Assert.Equal(1f, config.Temperature);
    }

    [Theory]
    [InlineData("\"channels\": 1", "\"channels\": 5", "models/x/config.json: 'channels' must be 1 or 3, was 5.")]
    [InlineData("\"layout\": \"NCHW\"", "\"layout\": \"CHW\"", "models/x/config.json: 'layout' must be \"NCHW\" or \"NHWC\", was \"CHW\".")]
    [InlineData("\"mean\": [0.2860]", "\"mean\": [0.1, 0.2]", "models/x/config.json: 'mean' must have one entry per channel (1), was 2 entries.")]
    [InlineData("\"std\": [0.3530]", "\"std\": [0]", "models/x/config.json: 'std[0]' must be finite and > 0, was 0.")]
    [InlineData("\"outputKind\": \"logits\"", "\"outputKind\": \"scores\"", "models/x/config.json: 'outputKind' must be \"logits\" or \"probabilities\", was \"scores\".")]
    [InlineData("\"maxBatchSize\": 64", "\"maxBatchSize\": 0", "models/x/config.json: 'maxBatchSize' must be between 1 and 4096, was 0.")]
    [InlineData("\"width\": 28", "\"width\": -1", "models/x/config.json: 'width' must be between 1 and 4096, was -1.")]
    [InlineData("\"scale\": 255.0", "\"scale\": 0", "models/x/config.json: 'scale' must be a finite number > 0, was 0.")]
    [InlineData("\"maxBatchSize\": 64", "\"maxBatchSize\": 64, \"temperature\": -1", "models/x/config.json: 'temperature' must be a finite number > 0, was -1.")]
    [InlineData("\"name\": \"fashion-mnist\", ", "", "models/x/config.json: 'name' is required, was \"\".")]
    [InlineData("\"version\": \"1\"", "\"version\": \"../1\"", "models/x/config.json: 'version' must be a plain directory name, was \"../1\".")]
    public void Invalid_fields_are_named_with_the_file(string find, string replace, string message)
    {
        var json = Valid.Replace(find, replace, StringComparison.Ordinal);
        Assert.NotEqual(Valid, json);

        var exception = Assert.Throws<ModelConfigurationException>(() => ModelConfig.Parse(json, Source));

        Assert.Equal(message, exception.Message);
    }

    [Fact]
    public void Malformed_json_names_the_file_and_location()
    {
        var exception = Assert.Throws<ModelConfigurationException>(
            () => ModelConfig.Parse(Valid.Replace("\"width\": 28", "\"width\": \"wide\"", StringComparison.Ordinal), Source));

        Assert.StartsWith("models/x/config.json: invalid JSON at 'width'", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_file_is_reported_with_its_path()
    {
        var exception = Assert.Throws<ModelConfigurationException>(() => ModelConfig.Load("/nonexistent/models/x/config.json"));

        Assert.StartsWith("/nonexistent/models/x/config.json: cannot read", exception.Message, StringComparison.Ordinal);
    }
}
