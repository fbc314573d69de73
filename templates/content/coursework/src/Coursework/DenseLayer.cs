using System.Numerics.Tensors;

namespace Coursework;

public sealed partial class DenseLayer
{
    // Keep what Backward needs from Forward here, e.g. a copy of the input.

    /// <summary>
    /// y[n, o] = Σᵢ x[n, i]·W[o, i] + b[o] for a batch x of shape [N, Inputs]; returns y of shape [N, Outputs].
    /// Throw an ArgumentException that names both shapes when x is not [N, Inputs].
    /// </summary>
    public Tensor<double> Forward(Tensor<double> input, bool training)
    {
        // Read the input with input.FlattenTo(array); build the output with Tensor.Create(array, [N, Outputs]).
        throw new NotImplementedException("DenseLayer.Forward is yours to write.");
    }

    /// <summary>
    /// Given dy = dLoss/dy of shape [N, Outputs], ADD the parameter gradients (the loss already averaged over the batch):
    /// <code>
    /// dW[o, i] += Σₙ dy[n, o]·x[n, i]      (into Weight.GradientSpan)
    /// db[o]    += Σₙ dy[n, o]              (into Bias.GradientSpan)
    /// </code>
    /// and return dx[n, i] = Σₒ dy[n, o]·W[o, i], of shape [N, Inputs]. Do not write into <paramref name="outputGradient"/>.
    /// </summary>
    public Tensor<double> Backward(Tensor<double> outputGradient)
    {
        throw new NotImplementedException("DenseLayer.Backward is yours to write.");
    }
}
