namespace MLwatch.Monitoring.Statistics;

/// <summary>Validation and normalization of the category weights (shares or counts) that the distribution distances take.</summary>
internal static class DiscreteDistribution
{
    /// <summary>Throws unless the two distributions have the same, non-zero number of categories.</summary>
    public static void RequireSameLength(int first, int second, string firstName, string secondName)
    {
        if (first == 0)
        {
            throw new ArgumentException("The distribution has no categories.", firstName);
        }

        if (first != second)
        {
            throw new ArgumentException($"'{firstName}' has {first} categories but '{secondName}' has {second}.", secondName);
        }
    }

    /// <summary>The weights divided by their sum; they must be finite, non-negative and not all zero.</summary>
    public static double[] Normalize(ReadOnlySpan<double> weights, string parameterName)
    {
        var sum = 0.0;
        for (var i = 0; i < weights.Length; i++)
        {
            var weight = weights[i];
            if (!double.IsFinite(weight) || weight < 0)
            {
                throw new ArgumentException($"Category {i} has weight {weight}; weights must be finite and non-negative.", parameterName);
            }

            sum += weight;
        }

        if (sum <= 0)
        {
            throw new ArgumentException("All weights are zero; a distribution needs a positive total.", parameterName);
        }

        var normalized = new double[weights.Length];
        for (var i = 0; i < weights.Length; i++)
        {
            normalized[i] = weights[i] / sum;
        }

        return normalized;
    }
}
