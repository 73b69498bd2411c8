namespace MLwatch.Monitoring.Statistics;

/// <summary>Estimates of model performance from predictions alone, before ground truth arrives.</summary>
public static class PerformanceEstimation
{
    /// <summary>
    /// Confidence-based performance estimation (CBPE, as in NannyML) of top-1 accuracy: the mean calibrated top-1
    /// confidence, (1/n) Σ cᵢ. Why: if the model is calibrated, P(correct | confidence = c) = c, so
    /// E[1{correct}] = E[E[1{correct} | c]] = E[c]; the mean confidence is then an unbiased estimate of accuracy on
    /// the same inputs. It holds only while calibration holds (it does not see concept drift, where P(y | x) changes),
    /// which is why realized accuracy is compared too once labels arrive.
    /// </summary>
    /// <param name="calibratedConfidences">Calibrated top-1 confidences (softmax(logits / T) with the fitted temperature), each in [0, 1].</param>
    /// <exception cref="ArgumentException">The span is empty or a confidence is not in [0, 1].</exception>
    public static double EstimatedAccuracy(ReadOnlySpan<double> calibratedConfidences)
    {
        if (calibratedConfidences.IsEmpty)
        {
            throw new ArgumentException("There are no confidences to estimate accuracy from.", nameof(calibratedConfidences));
        }

        var sum = 0.0;
        for (var i = 0; i < calibratedConfidences.Length; i++)
        {
            var confidence = calibratedConfidences[i];
            if (!(confidence is >= 0 and <= 1))
            {
                throw new ArgumentException($"Confidence {i} is {confidence}; confidences must be in [0, 1].", nameof(calibratedConfidences));
            }

            sum += confidence;
        }

        return Math.Clamp(sum / calibratedConfidences.Length, 0, 1);
    }
}
