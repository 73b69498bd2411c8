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
        Assert.Equal(3, options.DeliveryRetries);
        Assert.Equal(TimeSpan.FromMilliseconds(100), options.DeliveryRetryBackoff);
        Assert.Equal(TimeSpan.FromMinutes(1), options.MaxClockSkew);
    }

    [Theory]
    [InlineData(-1, 100, 60, "Ingest.DeliveryRetries")]
    [InlineData(11, 100, 60, "Ingest.DeliveryRetries")]
    [InlineData(3, -1, 60, "Ingest.DeliveryRetryBackoff")]
    [InlineData(3, 1001, 60, "Ingest.DeliveryRetryBackoff")]
    [InlineData(3, 100, -1, "Ingest.MaxClockSkew")]
    public void Retry_and_clock_settings_out_of_range_are_rejected_naming_the_key(int retries, int backoffMs, int skewSeconds, string key)
    {
        var options = new IngestOptions
        {
            DeliveryRetries = retries,
            DeliveryRetryBackoff = TimeSpan.FromMilliseconds(backoffMs),
            MaxClockSkew = TimeSpan.FromSeconds(skewSeconds),
        };

        var exception = Assert.Throws<ArgumentException>(options.Validate);

        Assert.Contains(key, exception.Message, StringComparison.Ordinal);
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
