using System.Numerics.Tensors;

namespace Coursework;

public sealed partial class SoftmaxCrossEntropyLoss
{
    /// <summary>
    /// With p = softmax(z) row by row (subtract each row's maximum before exponentiating, so large logits do not overflow):
    /// <code>
    /// L = −(1/N) Σₙ log p[n, label[n]]
    /// </code>
    /// <paramref name="target"/> holds each sample's class index as a double.
    /// </summary>
    public double Forward(Tensor<double> output, Tensor<double> target)
    {
        throw new NotImplementedException("SoftmaxCrossEntropyLoss.Forward is yours to write.");
    }

    /// <summary>dL/dz = (p − onehot(label)) / N, of the logits' shape, for the last Forward.</summary>
    public Tensor<double> Backward()
    {
        throw new NotImplementedException("SoftmaxCrossEntropyLoss.Backward is yours to write.");
    }
}
