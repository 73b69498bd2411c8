using System.Text;
using MLwatch.Abstractions.Wire;
using MLwatch.IntegrationTests.Support;

namespace MLwatch.IntegrationTests;

/// <summary>Delayed ground truth from the feedback topic, joined to predictions by request id exactly once.</summary>
public sealed class FeedbackTests : SiloOnTestBroker
{
    [Fact]
    public async Task Feedback_before_or_after_its_prediction_updates_realized_accuracy_exactly_once()
    {
        const int count = 1300;
        const int early = 100;
        var set = FashionMnistImages.TestSet;
        var labels = FashionMnistImages.Model.Labels;
        var predicted = DirectOnnxReference.Predict(FashionMnistImages.Model, set, count);
        var expectedCorrect = Enumerable.Range(0, count).Count(i => predicted[i].Label == set.GetLabel(i));

        // The last 100 labels arrive before their predictions; those predictions carry no label header.
        await Task.WhenAll(Enumerable.Range(count - early, early).Select(i => Feedback(i, labels[set.GetLabel(i)])));
        await Eventually.ReachAsync(() => Silo.GetDriftAsync(), d => d.FeedbackWaiting == early, "early feedback waiting for its predictions");
        await Task.WhenAll(Enumerable.Range(0, count).Select(i => Broker.ProduceAsync(set.EncodePng(i), $"req-{i}")));
        await Eventually.ReachAsync(() => Silo.GetDriftAsync(), d => d.Predictions == count, "predictions monitored");

        // The rest arrives late, by class index this time; then every label once more, which must change nothing.
        await Task.WhenAll(Enumerable.Range(0, count - early).Select(i => Feedback(i, set.GetLabel(i).ToString(System.Globalization.CultureInfo.InvariantCulture))));
        await Task.WhenAll(Enumerable.Range(0, count).Select(i => Feedback(i, labels[set.GetLabel(i)])));
        await Feedback(0, "Spaceship");
        await Broker.ProduceToAsync(TopicNames.Feedback, Encoding.UTF8.GetBytes("Bag"));

        var drift = await Eventually.ReachAsync(() => Silo.GetDriftAsync(), d => d.FeedbackIgnored >= count, "duplicate feedback ignored");
        Assert.Equal((long)count, drift.LabeledCount);
        Assert.Equal(expectedCorrect, drift.CorrectCount);
        Assert.Equal((long)count, drift.FeedbackJoined);
        Assert.Equal((long)count, drift.FeedbackIgnored);
        Assert.Equal(0, drift.FeedbackWaiting);
        var first = Assert.Single(drift.Windows);
        Assert.Equal(1000, first.LabeledCount);

        // One meaning of accuracy: the model list and the label statistics count the late labels too, per predicted label.
        var model = (await Silo.GetJsonAsync("api/models")).EnumerateArray().Single(m => m.GetProperty("name").GetString() == "fashion-mnist");
        Assert.Equal((double)expectedCorrect / count, model.GetProperty("accuracy").GetDouble(), 12);
        var byLabel = (await Silo.GetJsonAsync("api/models/fashion-mnist/labels")).GetProperty("labels").EnumerateArray()
            .ToDictionary(l => l.GetProperty("label").GetString()!, l => (Labeled: l.GetProperty("labeledCount").GetInt64(), Correct: l.GetProperty("correctCount").GetInt64()));
        var expectedByLabel = Enumerable.Range(0, count).GroupBy(i => labels[predicted[i].Label])
            .ToDictionary(g => g.Key, g => (Labeled: (long)g.Count(), Correct: (long)g.Count(i => predicted[i].Label == set.GetLabel(i))));
        Assert.Equal(expectedByLabel.OrderBy(p => p.Key), byLabel.Where(p => p.Value.Labeled > 0).OrderBy(p => p.Key));

        var refused = Broker.ReadAll(TopicNames.DeadLetter, 2);
        Assert.Equal(
            ["feedback-unknown-label", "feedback-without-request-id"],
            refused.Select(r => Encoding.UTF8.GetString(r.Message.Headers.GetLastBytes(RecordHeaders.ErrorCode))).Order());
    }

    private Task Feedback(int index, string label) =>
        Broker.ProduceToAsync(TopicNames.Feedback, Encoding.UTF8.GetBytes(label), $"req-{index}");
}
