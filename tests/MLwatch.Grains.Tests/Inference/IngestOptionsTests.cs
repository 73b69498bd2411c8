using MLwatch.Grains.Inference;

namespace MLwatch.Grains.Tests.Inference;

public sealed class IngestOptionsTests
{
    [Fact]
    public void Defaults_are_valid()
    {
        var options = new IngestOptions();

        options.Validate();

        Assert.Empty(options.AllowedRoots);
        Assert.Equal("mlwatch.deadletter", options.DeadLetterTopic);
        Assert.Equal(512 * 1024, options.DeadLetterMaxValueBytes);
    }

    [Fact]
    public void Absolute_roots_and_a_zero_value_limit_are_valid()
    {
        new IngestOptions { AllowedRoots = [Path.GetTempPath(), "/srv/images"], DeadLetterMaxValueBytes = 0 }.Validate();
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void Blank_dead_letter_topic_is_rejected(string topic)
    {
        var exception = Assert.Throws<ArgumentException>(() => new IngestOptions { DeadLetterTopic = topic }.Validate());

        Assert.Contains("Ingest.DeadLetterTopic", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Negative_dead_letter_value_limit_is_rejected_with_its_value()
    {
        var exception = Assert.Throws<ArgumentException>(() => new IngestOptions { DeadLetterMaxValueBytes = -1 }.Validate());

        Assert.Contains("Ingest.DeadLetterMaxValueBytes", exception.Message, StringComparison.Ordinal);
        Assert.Contains("-1", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("images")]
    [InlineData("./images")]
    [InlineData("../images")]
    [InlineData("")]
    public void Relative_allowed_root_is_rejected_naming_it(string root)
    {
        var exception = Assert.Throws<ArgumentException>(() => new IngestOptions { AllowedRoots = ["/srv/images", root] }.Validate());

        Assert.Contains($"Ingest.AllowedRoots entry '{root}'", exception.Message, StringComparison.Ordinal);
    }
}
