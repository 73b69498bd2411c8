using System.Text;

namespace MLwatch.Streaming.Kafka.Tests;

public sealed class KafkaRecordTests
{
    [Fact]
    public void Request_id_is_the_key_when_there_is_one()
    {
        Assert.Equal("req-7", Record(key: "req-7").RequestId);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Request_id_without_a_key_is_topic_partition_offset(string? key)
    {
        Assert.Equal("mlwatch.requests/3/1234", Record(key: key).RequestId);
    }

    [Fact]
    public void Header_lookup_ignores_case()
    {
        var record = Record(headers: [("MLwatch-Model", "tiny")]);

        Assert.Equal("tiny", record.GetHeader("mlwatch-model"));
        Assert.Equal("tiny", record.GetHeader("MLWATCH-MODEL"));
    }

    [Fact]
    public void Last_header_of_a_repeated_name_wins()
    {
        var record = Record(headers: [("mlwatch-label", "shirt"), ("other", "x"), ("MLWATCH-LABEL", "coat")]);

        Assert.Equal("coat", record.GetHeader("mlwatch-label"));
    }

    [Fact]
    public void Absent_header_is_null_and_an_empty_one_is_empty()
    {
        var record = Record(headers: [("mlwatch-label", "")]);

        Assert.Null(record.GetHeader("mlwatch-model"));
        Assert.Equal("", record.GetHeader("mlwatch-label"));
        Assert.Null(Record().GetHeader("mlwatch-label"));
    }

    [Fact]
    public void Header_values_are_read_as_utf8()
    {
        Assert.Equal("T-Shirt/top ✓", Record(headers: [("mlwatch-label", "T-Shirt/top ✓")]).GetHeader("mlwatch-label"));
    }

    private static KafkaRecord Record(string? key = null, params (string Key, string Value)[] headers) =>
        new(
            "mlwatch.requests",
            3,
            1234,
            key is null ? null : Encoding.UTF8.GetBytes(key),
            [1, 2, 3],
            [.. headers.Select(h => new KafkaHeader(h.Key, Encoding.UTF8.GetBytes(h.Value)))],
            0);
}
