using System.Globalization;
using Confluent.Kafka;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MLwatch.Streaming.Kafka.Telemetry;
using Orleans.Configuration;
using Orleans.Providers;
using Orleans.Providers.Streams.Common;
using Orleans.Runtime;
using Orleans.Streams;

namespace MLwatch.Streaming.Kafka.Providers;

/// <summary>Creates the Kafka adapter, its queue mapper (queue i ↔ partition i) and the queue cache.</summary>
internal sealed partial class KafkaAdapterFactory : IQueueAdapterFactory, IControllable
{
    private readonly string _name;
    private readonly KafkaStreamOptions _options;
    private readonly string _bootstrapServers;
    private readonly HashRingBasedPartitionedStreamQueueMapper _queueMapper;
    private readonly SimpleQueueAdapterCache _cache;
    private readonly KafkaCheckpointer _checkpointer;
    private readonly PartitionCommits _commits;
    private readonly ILoggerFactory _loggerFactory;
    private readonly KafkaPartitionOwnership _ownership;
    private readonly DeliveryFailures _deliveryFailures;
    private readonly TimeProvider _clock;
    private readonly string _siloAddress;

    private KafkaAdapterFactory(
        string name,
        KafkaStreamOptions options,
        string bootstrapServers,
        int partitionCount,
        SimpleQueueCacheOptions cacheOptions,
        ICommitBarrier barrier,
        KafkaPartitionOwnership ownership,
        string siloAddress,
        PartitionCommits commits,
        DeliveryFailures deliveryFailures,
        TimeProvider clock,
        KafkaMetrics? metrics,
        ILoggerFactory loggerFactory)
    {
        _ownership = ownership;
        _deliveryFailures = deliveryFailures;
        _clock = clock;
        _siloAddress = siloAddress;
        _name = name;
        _options = options;
        _bootstrapServers = bootstrapServers;
        _loggerFactory = loggerFactory;
        _commits = commits;
        var partitionIds = Enumerable.Range(0, partitionCount).Select(p => p.ToString(CultureInfo.InvariantCulture)).ToArray();
        _queueMapper = new HashRingBasedPartitionedStreamQueueMapper(partitionIds, name);
        _cache = new SimpleQueueAdapterCache(cacheOptions, name, loggerFactory);
        _checkpointer = new KafkaCheckpointer(name, barrier, loggerFactory.CreateLogger<KafkaCheckpointer>(), metrics);
    }

    public static KafkaAdapterFactory Create(IServiceProvider services, string name)
    {
        var options = services.GetOptionsByName<KafkaStreamOptions>(name);
        var cacheOptions = services.GetOptionsByName<SimpleQueueCacheOptions>(name);
        var loggerFactory = services.GetRequiredService<ILoggerFactory>();
        var bootstrapServers = services.GetRequiredService<KafkaEndpoint>().Resolve(options.BootstrapServers);
        var barrier = services.GetKeyedService<ICommitBarrier>(name) ?? services.GetService<ICommitBarrier>() ?? new ImmediateCommitBarrier();
        var partitions = options.Partitions > 0 ? options.Partitions : ReadPartitionCount(name, options, bootstrapServers);
        var ownership = services.GetRequiredService<KafkaPartitionOwnership>();
        var siloAddress = services.GetService<ILocalSiloDetails>()?.SiloAddress.ToString() ?? "";
        var commits = services.GetService<PartitionCommits>() ?? new PartitionCommits();
        var clock = services.GetService<TimeProvider>() ?? TimeProvider.System;
        var deliveryFailures = services.GetService<DeliveryFailures>() ?? new DeliveryFailures(clock);
        var metrics = services.GetService<KafkaMetrics>();
        return new KafkaAdapterFactory(
            name, options, bootstrapServers, partitions, cacheOptions, barrier, ownership, siloAddress, commits, deliveryFailures, clock, metrics, loggerFactory);
    }

    public Task<IQueueAdapter> CreateAdapter() =>
        Task.FromResult<IQueueAdapter>(new KafkaQueueAdapter(
            _name, _options, _bootstrapServers, _queueMapper, _checkpointer, _ownership, _commits, _deliveryFailures, _clock, _loggerFactory));

    public IQueueAdapterCache GetQueueAdapterCache() => _cache;

    public IStreamQueueMapper GetStreamQueueMapper() => _queueMapper;

    // Answered on every silo through IManagementGrain.SendControlCommandToProvider: this silo's partitions, of every topic.
    public Task<object?> ExecuteCommand(int command, object? arg) => command == KafkaStreamCommands.GetOwnedPartitions
        ? Task.FromResult<object?>(OwnedPartitions())
        : throw new ArgumentOutOfRangeException(nameof(command), command, $"Kafka stream provider '{_name}' has no command {command}.");

    private SiloPartitions OwnedPartitions()
    {
        var statuses = _ownership.Statuses();
        return new SiloPartitions(_siloAddress, [.. statuses.Select(s => s.Name)], statuses);
    }

    // Delivery is retried without limit (see the configurator), so a failure here only happens at shutdown; the
    // offset stays uncommitted and the record is replayed by the next owner.
    public Task<IStreamFailureHandler> GetDeliveryFailureHandler(QueueId queueId) =>
        Task.FromResult<IStreamFailureHandler>(new NoOpStreamDeliveryFailureHandler(faultOnError: false));

    private static int ReadPartitionCount(string name, KafkaStreamOptions options, string bootstrapServers)
    {
        var config = new AdminClientConfig(KafkaEndpoint.CreateClientConfig(bootstrapServers, options.ClientConfig));
        using var admin = new AdminClientBuilder(config).SetLogHandler((_, _) => { }).Build();
        try
        {
            var topic = admin.GetMetadata(options.Topic, options.MetadataTimeout).Topics.SingleOrDefault();
            if (topic is null || topic.Error.IsError || topic.Partitions.Count == 0)
            {
                throw new OrleansConfigurationException(
                    $"Kafka stream provider '{name}': topic '{options.Topic}' was not found at {bootstrapServers} ({topic?.Error.Reason ?? "no metadata"}). " +
                    "Create the topic, or set KafkaStreamOptions.Partitions to its partition count.");
            }

            return topic.Partitions.Count;
        }
        catch (KafkaException exception)
        {
            throw new OrleansConfigurationException(
                $"Kafka stream provider '{name}': cannot read metadata of topic '{options.Topic}' from {bootstrapServers}: {exception.Error.Reason}. " +
                "Check that the brokers are reachable (MLWATCH__Kafka__BootstrapServers).", exception);
        }
    }
}
