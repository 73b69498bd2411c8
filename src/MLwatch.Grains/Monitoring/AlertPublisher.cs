using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MLwatch.Abstractions;
using MLwatch.Abstractions.Monitoring;
using MLwatch.Abstractions.Wire;
using MLwatch.Streaming.Kafka;

namespace MLwatch.Grains.Monitoring;

/// <summary>
/// Publishes alert events to the alerts topic as JSON (key = the event's deterministic id, so consumers can drop the
/// duplicate a crash-and-replay may produce). A broker failure is logged and does not stop monitoring: the alert
/// history in the monitor's state and the API remain the record.
/// </summary>
public sealed partial class AlertPublisher : IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { WireEnums.Converter() } };

    private readonly MonitoringOptions _options;
    private readonly Lazy<IProducer<string, string>> _producer;
    private readonly ILogger<AlertPublisher> _logger;

    public AlertPublisher(IOptions<MonitoringOptions> options, IOptionsMonitor<KafkaStreamOptions> kafkaOptions, KafkaEndpoint endpoint, ILogger<AlertPublisher> logger)
    {
        _options = options.Value;
        _logger = logger;
        _producer = new Lazy<IProducer<string, string>>(() =>
        {
            var kafka = kafkaOptions.Get(StreamNames.Provider);
            var config = new ProducerConfig(KafkaEndpoint.CreateClientConfig(endpoint.Resolve(kafka.BootstrapServers), kafka.ClientConfig))
            {
                Acks = Acks.All,
                EnableIdempotence = true,
            };
            return new ProducerBuilder<string, string>(config).SetLogHandler((_, _) => { }).Build();
        });
    }

    /// <summary>Serializes an event as it appears on the alerts topic.</summary>
    public static string ToJson(AlertEvent alert) => JsonSerializer.Serialize(alert, Json);

    /// <summary>Logs each event and publishes it; returns once the broker acknowledged or refused them.</summary>
    public async Task PublishAsync(IReadOnlyList<AlertEvent> alerts)
    {
        foreach (var alert in alerts)
        {
            if (alert.State == AlertState.Raised)
            {
                LogRaised(alert.Model, alert.Version, alert.Kind, alert.Window, alert.Message);
            }
            else
            {
                LogCleared(alert.Model, alert.Version, alert.Kind, alert.Window);
            }
        }

        try
        {
            await Task.WhenAll(alerts.Select(a => _producer.Value.ProduceAsync(_options.AlertsTopic, new Message<string, string>
            {
                Key = a.Id,
                Value = ToJson(a),
                Headers = [new Header("content-type", Encoding.UTF8.GetBytes("application/json"))],
            })));
        }
        catch (ProduceException<string, string> exception)
        {
            LogPublishFailed(exception, alerts.Count, _options.AlertsTopic, exception.Error.Reason);
        }
    }

    public void Dispose()
    {
        if (_producer.IsValueCreated)
        {
            _producer.Value.Flush(TimeSpan.FromSeconds(5));
            _producer.Value.Dispose();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "ALERT raised for {Model}@{Version}: {Kind} at window {Window}. {Message}")]
    private partial void LogRaised(string model, string version, string kind, long window, string message);

    [LoggerMessage(Level = LogLevel.Information, Message = "Alert cleared for {Model}@{Version}: {Kind} at window {Window}.")]
    private partial void LogCleared(string model, string version, string kind, long window);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not publish {Count} alert event(s) to {Topic}: {Reason}. They stay in the monitor's history (GET /api/alerts).")]
    private partial void LogPublishFailed(Exception exception, int count, string topic, string reason);
}
