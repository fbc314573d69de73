using NeuralNets;
using NeuralNets.Losses;

namespace Coursework;

/// <summary>Softmax followed by cross-entropy, on logits of shape [N, C] and class indices of shape [N], averaged over the batch. Your part is in SoftmaxCrossEntropyLoss.cs.</summary>
public sealed partial class SoftmaxCrossEntropyLoss : ILoss<double>
{
}
