namespace NeuralNets.Training;

/// <summary>Loss and accuracy of a network on a dataset.</summary>
/// <param name="Loss">Mean loss over the samples.</param>
/// <param name="Accuracy">Share of samples classified correctly, or null for a non-classification loss.</param>
public sealed record Evaluation(double Loss, double? Accuracy);
