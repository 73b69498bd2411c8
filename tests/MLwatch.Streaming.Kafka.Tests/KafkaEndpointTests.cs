using Microsoft.Extensions.Logging.Abstractions;

namespace MLwatch.Streaming.Kafka.Tests;

public sealed class KafkaEndpointTests
{
    [Fact]
    public void Configured_servers_are_used_without_starting_a_broker()
    {
        using var endpoint = new KafkaEndpoint(NullLogger<KafkaEndpoint>.Instance);

        Assert.Equal("kafka-1:9092,kafka-2:9092", endpoint.Resolve("kafka-1:9092,kafka-2:9092"));
        Assert.Null(endpoint.Embedded);
    }

    [Fact]
    public void Without_configured_servers_one_embedded_broker_serves_every_caller()
    {
        using var endpoint = new KafkaEndpoint(NullLogger<KafkaEndpoint>.Instance);

        var first = endpoint.Resolve(null);
        var second = endpoint.Resolve(" ");

        Assert.Equal(first, second);
        Assert.NotNull(endpoint.Embedded);
        Assert.Equal(first, endpoint.Embedded.BootstrapServers);
    }

    [Fact]
    public void Client_config_keeps_extra_properties_and_uses_the_resolved_servers()
    {
        var config = KafkaEndpoint.CreateClientConfig(
            "broker:9092",
            new Dictionary<string, string> { ["security.protocol"] = "SASL_SSL", ["bootstrap.servers"] = "ignored:1" });

        Assert.Equal("broker:9092", config.BootstrapServers);
        Assert.Equal("SASL_SSL", config.Get("security.protocol"));
    }
}
