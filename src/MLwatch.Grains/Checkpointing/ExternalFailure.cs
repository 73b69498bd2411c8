using System.Data.Common;
using Confluent.Kafka;

namespace MLwatch.Grains.Checkpointing;

/// <summary>
/// Tells failures of what a record does not control (the cluster, storage, Kafka, a shutdown) from failures that may lie
/// in the record: only the latter may make a record a dead letter; the former wait until the dependency is back.
/// </summary>
public static class ExternalFailure
{
    /// <summary>
    /// Whether <paramref name="exception"/>, or any exception it wraps, is one of: cancellation; a timeout; an Orleans
    /// runtime failure (<see cref="OrleansException"/>: silo unavailable, message rejected, connection failed, and every
    /// grain-storage error, which Orleans' storage bridge wraps in one, our PostgreSqlGrainStorageException and
    /// InconsistentStateException included); a Kafka client error (the dead-letter producer); a database error.
    /// </summary>
    public static bool Is(Exception? exception) => exception switch
    {
        null => false,
        OperationCanceledException or TimeoutException or OrleansException or KafkaException or DbException => true,
        AggregateException aggregate => aggregate.InnerExceptions.Any(Is),
        _ => Is(exception.InnerException),
    };
}
