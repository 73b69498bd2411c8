namespace MLwatch.Monitoring.Drift;

/// <summary>What a model predicted over one monitoring window, as <see cref="DriftEvaluator"/> compares it with the reference.</summary>
/// <param name="LabelCounts">Predictions per label, in the reference profile's label order.</param>
/// <param name="Confidences">The calibrated top-1 confidence of each prediction in the window (softmax(logits / T)), each in [0, 1].</param>
/// <param name="LabeledCount">Predictions in the window whose true label has arrived.</param>
/// <param name="CorrectCount">Of those, the predictions that were right; at most <paramref name="LabeledCount"/>.</param>
/// <param name="LabelConfidenceSums">Sum of the calibrated top-1 confidences of the predictions of each label, in the reference's label order; gives the per-label mean confidence.</param>
public sealed record DriftWindow(long[] LabelCounts, double[] Confidences, long LabeledCount, long CorrectCount, double[] LabelConfidenceSums);
