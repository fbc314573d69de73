using System.Numerics;
using System.Numerics.Tensors;

namespace NeuralNets.Layers;

/// <summary>
/// A layer that can run its backward pass for its parameters alone, skipping dLoss/dInput. The
/// first layer of a network needs no input gradient during training (PyTorch skips it too, for an
/// input that does not require grad), and for a dense or convolution layer it is a whole matrix
/// multiply: a third of the layer's backward work.
/// </summary>
internal interface IParameterGradientOnly<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Adds dLoss/dParameter into each parameter's gradient, exactly as <see cref="ILayer{T}.Backward"/> does, and computes nothing else.</summary>
    void BackwardToParameters(Tensor<T> outputGradient);
}
