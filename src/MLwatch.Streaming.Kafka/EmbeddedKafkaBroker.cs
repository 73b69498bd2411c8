using System.Runtime.InteropServices;
using Confluent.Kafka;
using ErrorCode = Confluent.Kafka.ErrorCode;
using MLwatch.Streaming.Kafka.Embedded;

namespace MLwatch.Streaming.Kafka;

/// <summary>
/// An in-process Kafka-protocol broker (librdkafka's mock cluster) for development, demos and tests. It keeps its
/// topics in memory and lives exactly as long as this object. Any Kafka client can produce to and consume from it,
/// with consumer groups and committed offsets; it does not answer CreateTopics (use <see cref="CreateTopic"/>), and
/// topics a client asks for by name are created with <see cref="DefaultPartitions"/> partitions.
/// <para>
/// What it keeps: at most <see cref="MaxBytesPerPartition"/> bytes and <see cref="MaxRecordsPerPartition"/> records per
/// partition (librdkafka's hard-coded <c>mpart-&gt;max_size</c> and <c>max_cnt</c>); beyond that the oldest records are
/// deleted whether or not anyone has read them (the newest record is always kept, however large).
/// </para>
/// </summary>
public sealed class EmbeddedKafkaBroker : IDisposable
{
    /// <summary>Partitions of a topic created because a client named it (librdkafka's mock default).</summary>
    public const int DefaultPartitions = 4;

    /// <summary>Bytes of record batches a partition keeps before its oldest are deleted: 5 MiB.</summary>
    public const long MaxBytesPerPartition = 5 * 1024 * 1024;

    /// <summary>Record batches a partition keeps before its oldest are deleted.</summary>
    public const int MaxRecordsPerPartition = 100_000;

    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    private readonly Lock _lock = new();
    // As for topics the mock creates on its own: replicated over up to 3 brokers.
    private readonly int _replicationFactor;
    private nint _handle;
    private nint _cluster;

    private EmbeddedKafkaBroker(nint handle, nint cluster, string bootstrapServers, int replicationFactor)
    {
        _replicationFactor = replicationFactor;
        _handle = handle;
        _cluster = cluster;
        BootstrapServers = bootstrapServers;
    }

    /// <summary>The address any Kafka client can bootstrap from ("127.0.0.1:port,…", one per broker).</summary>
    public string BootstrapServers { get; }

    /// <summary>Starts a mock cluster of <paramref name="brokerCount"/> brokers on loopback ports chosen by the OS.</summary>
    public static EmbeddedKafkaBroker Start(int brokerCount = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(brokerCount, 1);
        var handle = CreateOwnerHandle();
        var cluster = LibrdkafkaMock.ClusterNew(handle, brokerCount);
        if (cluster == 0)
        {
            LibrdkafkaMock.Destroy(handle);
            throw new KafkaException(new Error(ErrorCode.Local_Fail, "librdkafka could not start its mock cluster (no loopback port or thread available)."));
        }

        LibrdkafkaMock.SetControllerId(cluster, 1);
        var bootstrap = Marshal.PtrToStringUTF8(LibrdkafkaMock.ClusterBootstraps(cluster)) ?? "";
        return new EmbeddedKafkaBroker(handle, cluster, bootstrap, Math.Min(3, brokerCount));
    }

    /// <summary>
    /// Creates <paramref name="topic"/> with <paramref name="partitions"/> partitions if it does not exist yet, and
    /// returns its partition count: an existing topic keeps the partitions it has.
    /// </summary>
    public int CreateTopic(string topic, int partitions, TimeSpan? timeout = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(topic);
        ArgumentOutOfRangeException.ThrowIfLessThan(partitions, 1);
        lock (_lock)
        {
            var error = LibrdkafkaMock.TopicCreate(Cluster, topic, partitions, _replicationFactor);
            if (error == 0)
            {
                return partitions;
            }

            if (error != LibrdkafkaMock.TopicAlreadyExists)
            {
                throw new KafkaException(new Error((ErrorCode)error, $"Creating topic '{topic}' on the embedded broker failed: {LibrdkafkaMock.Describe(error)}."));
            }
        }

        return PartitionCount(topic, timeout ?? DefaultTimeout);
    }

    /// <summary>
    /// Deletes the records of <paramref name="topic"/>/<paramref name="partition"/> before <paramref name="beforeOffset"/>,
    /// as retention would: the partition's start offset becomes <paramref name="beforeOffset"/>. For tests of records
    /// that vanish before they are read.
    /// </summary>
    public void DeleteRecords(string topic, int partition, long beforeOffset)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(topic);
        lock (_lock)
        {
            var error = LibrdkafkaMock.PartitionDeleteRecords(Cluster, topic, partition, beforeOffset);
            if (error != 0)
            {
                throw new KafkaException(new Error(
                    (ErrorCode)error,
                    $"Deleting records of {topic}/{partition} before offset {beforeOffset} failed: {LibrdkafkaMock.Describe(error)}."));
            }
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_lock)
        {
            if (_cluster != 0)
            {
                LibrdkafkaMock.ClusterDestroy(_cluster);
                _cluster = 0;
            }

            if (_handle != 0)
            {
                LibrdkafkaMock.Destroy(_handle);
                _handle = 0;
            }
        }
    }

    private nint Cluster => _cluster != 0 ? _cluster : throw new ObjectDisposedException(nameof(EmbeddedKafkaBroker));

    private int PartitionCount(string topic, TimeSpan timeout)
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = BootstrapServers }).SetLogHandler((_, _) => { }).Build();
        var metadata = admin.GetMetadata(topic, timeout).Topics.Single();
        return metadata.Error.IsError
            ? throw new KafkaException(new Error(metadata.Error.Code, $"Reading the partitions of topic '{topic}' on the embedded broker failed: {metadata.Error.Reason}."))
            : metadata.Partitions.Count;
    }

    /// <summary>
    /// The librdkafka handle that owns the mock cluster and runs its thread. It is given no bootstrap servers and never
    /// connects; logging is limited to errors, because the handle has no log callback and would write to stderr.
    /// </summary>
    private static unsafe nint CreateOwnerHandle()
    {
        const int errorTextSize = 512;
        var errorText = stackalloc byte[errorTextSize];
        var configuration = LibrdkafkaMock.ConfigurationNew();
        if (LibrdkafkaMock.ConfigurationSet(configuration, "log_level", "3", errorText, errorTextSize) != LibrdkafkaMock.ConfigurationOk)
        {
            LibrdkafkaMock.ConfigurationDestroy(configuration);
            throw new KafkaException(new Error(ErrorCode.Local_Fail, "librdkafka rejected log_level: " + Marshal.PtrToStringUTF8((nint)errorText)));
        }

        var handle = LibrdkafkaMock.New(LibrdkafkaMock.ProducerType, configuration, errorText, errorTextSize);
        if (handle == 0)
        {
            LibrdkafkaMock.ConfigurationDestroy(configuration);
            throw new KafkaException(new Error(ErrorCode.Local_Fail, "librdkafka could not create the embedded broker's handle: " + Marshal.PtrToStringUTF8((nint)errorText)));
        }

        return handle;
    }
}
