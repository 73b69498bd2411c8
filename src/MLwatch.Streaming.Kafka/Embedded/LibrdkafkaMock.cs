using System.Reflection;
using System.Runtime.InteropServices;

namespace MLwatch.Streaming.Kafka.Embedded;

/// <summary>
/// librdkafka's mock-cluster C API (src/rdkafka_mock.h), called directly: Confluent.Kafka exposes none of it (only the
/// <c>test.mock.num.brokers</c> property, whose topics auto-create with 4 partitions and cannot be created, sized or
/// trimmed). The library is the one librdkafka.redist ships for Confluent.Kafka, chosen as Confluent chooses it.
/// </summary>
internal static unsafe partial class LibrdkafkaMock
{
    private const string Library = "librdkafka";

    // Confluent.Kafka's own order on Linux: the build linked against libsasl2 (GSSAPI) first, then the one without it
    // (centos8-), then musl's (alpine-). Without libsasl2 installed only the second loads.
    private static readonly string[] Candidates = OperatingSystem.IsLinux()
        ? [Library, "centos8-librdkafka", "alpine-librdkafka"]
        : [Library];

    static LibrdkafkaMock() => NativeLibrary.SetDllImportResolver(typeof(LibrdkafkaMock).Assembly, Resolve);

    /// <summary>rd_kafka_type_t RD_KAFKA_PRODUCER: the handle only owns the mock cluster and connects nowhere.</summary>
    public const int ProducerType = 0;

    /// <summary>rd_kafka_conf_res_t RD_KAFKA_CONF_OK.</summary>
    public const int ConfigurationOk = 0;

    /// <summary>rd_kafka_resp_err_t RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS.</summary>
    public const int TopicAlreadyExists = 36;

    [LibraryImport(Library, EntryPoint = "rd_kafka_conf_new")]
    public static partial nint ConfigurationNew();

    [LibraryImport(Library, EntryPoint = "rd_kafka_conf_set", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int ConfigurationSet(nint configuration, string name, string value, byte* errorText, nuint errorTextSize);

    [LibraryImport(Library, EntryPoint = "rd_kafka_conf_destroy")]
    public static partial void ConfigurationDestroy(nint configuration);

    /// <summary>Takes ownership of <paramref name="configuration"/> on success only.</summary>
    [LibraryImport(Library, EntryPoint = "rd_kafka_new")]
    public static partial nint New(int type, nint configuration, byte* errorText, nuint errorTextSize);

    [LibraryImport(Library, EntryPoint = "rd_kafka_destroy")]
    public static partial void Destroy(nint handle);

    [LibraryImport(Library, EntryPoint = "rd_kafka_err2str")]
    public static partial nint ErrorText(int error);

    [LibraryImport(Library, EntryPoint = "rd_kafka_mock_cluster_new")]
    public static partial nint ClusterNew(nint handle, int brokerCount);

    [LibraryImport(Library, EntryPoint = "rd_kafka_mock_cluster_bootstraps")]
    public static partial nint ClusterBootstraps(nint cluster);

    /// <summary>Must run before <see cref="Destroy"/> of the owning handle (librdkafka asserts it).</summary>
    [LibraryImport(Library, EntryPoint = "rd_kafka_mock_cluster_destroy")]
    public static partial void ClusterDestroy(nint cluster);

    /// <summary>
    /// Which broker metadata names as the controller. The mock names none (0) by default, so an admin client's
    /// CreateTopics waits for a controller until it times out instead of learning at once that it is unsupported.
    /// </summary>
    [LibraryImport(Library, EntryPoint = "rd_kafka_mock_set_controller_id")]
    public static partial void SetControllerId(nint cluster, int brokerId);

    [LibraryImport(Library, EntryPoint = "rd_kafka_mock_topic_create", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int TopicCreate(nint cluster, string topic, int partitionCount, int replicationFactor);

    [LibraryImport(Library, EntryPoint = "rd_kafka_mock_partition_delete_records", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int PartitionDeleteRecords(nint cluster, string topic, int partition, long beforeOffset);

    /// <summary>librdkafka's description of error code <paramref name="error"/>.</summary>
    public static string Describe(int error) => Marshal.PtrToStringUTF8(ErrorText(error)) ?? $"error {error}";

    private static nint Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (name != Library)
        {
            return 0;
        }

        foreach (var candidate in Candidates)
        {
            if (NativeLibrary.TryLoad(candidate, assembly, searchPath, out var handle))
            {
                return handle;
            }
        }

        return 0;
    }
}
