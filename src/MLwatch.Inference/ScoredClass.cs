namespace MLwatch.Inference;

/// <summary>One class of a top-k answer: its index into the model's labels and its calibrated probability.</summary>
public readonly record struct ScoredClass(int Index, float Probability);
