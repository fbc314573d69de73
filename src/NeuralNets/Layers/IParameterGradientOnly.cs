using System.Numerics;
using System.Numerics.Tensors;

namespace NeuralNets.Layers;

/// <summary>
/// A layer that can run its backward pass for its parameters alone, skipping dLoss/dInput. The
/// first layer of a network needs no input gradient during training (PyTorch skips it too, for an
/// input that does not require grad), and for a dense or convolution layer it is a whole matrix
/// multiply: a third of the layer's backward work.
/// </summary>
/// <remarks>
/// <see cref="Sequential{T}.BackwardToParameters"/> calls it on the network's first layer with parameters when that layer
/// implements it, and <see cref="ILayer{T}.Backward"/> otherwise; the library's layers without parameters before it (a
/// leading <see cref="Flatten{T}"/>, say) are not run. A layer of your own with weights may implement it likewise; a layer of
/// your own counts as the first with parameters even when it declares none, since its backward pass may do more.
/// </remarks>
/// <typeparam name="T">The element type.</typeparam>
public interface IParameterGradientOnly<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Adds dLoss/dParameter into each parameter's gradient, exactly as <see cref="ILayer{T}.Backward"/> does, and computes nothing else.</summary>
    /// <param name="outputGradient">dLoss/dOutput for the most recent forward pass, as <see cref="ILayer{T}.Backward"/> receives it.</param>
    void BackwardToParameters(Tensor<T> outputGradient);
}
