using MLwatch.Streaming.Kafka;

namespace MLwatch.Grains.Checkpointing;

/// <summary>
/// A seam for tests to make consuming a chosen record fail as a bug would. The silo registers one that does nothing;
/// only code that replaces the service in the container (a test host) can inject a fault: no configuration key reaches it.
/// </summary>
public interface IDeliveryFaultInjection
{
    /// <summary>Called for each record of every attempt to consume a delivery, before it is consumed; throwing fails the attempt.</summary>
    void BeforeConsume(KafkaRecord record);
}

/// <summary>The production <see cref="IDeliveryFaultInjection"/>: injects nothing.</summary>
internal sealed class NoDeliveryFaults : IDeliveryFaultInjection
{
    public void BeforeConsume(KafkaRecord record)
    {
    }
}
