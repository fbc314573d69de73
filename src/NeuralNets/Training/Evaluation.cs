namespace NeuralNets.Training;

/// <summary>Loss and accuracy of a network on a dataset.</summary>
/// <param name="Loss">Mean loss over the samples.</param>
/// <param name="Accuracy">Share of samples classified correctly, or null for a non-classification loss.</param>
public sealed record Evaluation(double Loss, double? Accuracy)
{
    /// <summary>Prints like <c>loss 0.4410  acc 0.8430</c>, the same in every culture.</summary>
    public override string ToString() =>
        System.FormattableString.Invariant($"loss {Loss:F4}") + (Accuracy is double a ? System.FormattableString.Invariant($"  acc {a:F4}") : "");
}
