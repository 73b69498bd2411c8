using System.Runtime.InteropServices;

namespace MLwatch.Cli.Producing.Pacing;

/// <summary>
/// Reads a Kafka cluster's id from its metadata through librdkafka's C API (rd_kafka_clusterid), which Confluent.Kafka
/// does not expose; its DescribeCluster also waits for a controller, which librdkafka's mock cluster never names.
/// Written by hand for that reason, against the librdkafka.so that Confluent.Kafka ships.
/// </summary>
internal static partial class KafkaClusterId
{
    private const string Library = "librdkafka";
    private const int Producer = 0;
    private const int ConfOk = 0;

    static KafkaClusterId() => NativeLibrary.SetDllImportResolver(typeof(KafkaClusterId).Assembly, ResolveLibrdkafka);

    /// <summary>The id of the cluster at <paramref name="bootstrapServers"/>, or null when it did not answer within <paramref name="timeout"/>.</summary>
    public static unsafe string? Read(string bootstrapServers, TimeSpan timeout)
    {
        var error = stackalloc byte[512];
        var conf = rd_kafka_conf_new();
        foreach (var (name, value) in new[] { ("bootstrap.servers", bootstrapServers), ("log_level", "0") })
        {
            if (rd_kafka_conf_set(conf, name, value, error, 512) != ConfOk)
            {
                rd_kafka_conf_destroy(conf);
                throw new ArgumentException($"librdkafka refused {name}={value}: {Marshal.PtrToStringUTF8((IntPtr)error)}", nameof(bootstrapServers));
            }
        }

        var client = rd_kafka_new(Producer, conf, error, 512);
        if (client == IntPtr.Zero)
        {
            // rd_kafka_new takes the configuration only when it succeeds.
            rd_kafka_conf_destroy(conf);
            throw new InvalidOperationException($"librdkafka could not create a client: {Marshal.PtrToStringUTF8((IntPtr)error)}");
        }

        try
        {
            var id = rd_kafka_clusterid(client, (int)timeout.TotalMilliseconds);
            if (id == IntPtr.Zero)
            {
                return null;
            }

            var text = Marshal.PtrToStringUTF8(id);
            rd_kafka_mem_free(client, id);
            return text;
        }
        finally
        {
            rd_kafka_destroy(client);
        }
    }

    /// <summary>
    /// The librdkafka Confluent.Kafka loaded: it picks one of several builds it ships (the plain one needs libsasl2, which
    /// may be missing), so the same file is bound here rather than whatever the default probing finds first.
    /// </summary>
    private static IntPtr ResolveLibrdkafka(string name, System.Reflection.Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (name != Library)
        {
            return IntPtr.Zero;
        }

        _ = Confluent.Kafka.Library.Version;
        var loaded = File.ReadLines("/proc/self/maps")
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(fields => fields.Length >= 6 && fields[5].EndsWith("librdkafka.so", StringComparison.Ordinal))
            .Select(fields => fields[5])
            .FirstOrDefault();
        return loaded is not null ? NativeLibrary.Load(loaded) : IntPtr.Zero;
    }

    [LibraryImport(Library)]
    private static partial IntPtr rd_kafka_conf_new();

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int rd_kafka_conf_set(IntPtr conf, string name, string value, byte* errstr, nuint errstrSize);

    [LibraryImport(Library)]
    private static partial void rd_kafka_conf_destroy(IntPtr conf);

    [LibraryImport(Library)]
    private static unsafe partial IntPtr rd_kafka_new(int type, IntPtr conf, byte* errstr, nuint errstrSize);

    [LibraryImport(Library)]
    private static partial IntPtr rd_kafka_clusterid(IntPtr client, int timeoutMs);

    [LibraryImport(Library)]
    private static partial void rd_kafka_mem_free(IntPtr client, IntPtr pointer);

    [LibraryImport(Library)]
    private static partial void rd_kafka_destroy(IntPtr client);
}
