using System.Numerics;
using System.Numerics.Tensors;

namespace NeuralNets.Kernels;

/// <summary>
/// The passes of a convolution or transposed convolution as its layer calls them, so that <see cref="GroupedConvolution{T}"/>
/// can run either once per group. Both weights keep a group's rows together: <c>[Cout, Cin/G, kH, kW]</c> and
/// <c>[Cin, Cout/G, kH, kW]</c> hold group g's as the g-th of G equal, contiguous pieces.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
internal interface IConvolutionPasses<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Computes the output y from x, the weight and the bias (empty for a layer without one).</summary>
    void Forward(Tensor<T> input, ArraySegment<T> weight, ArraySegment<T> bias, Tensor<T> output);

    /// <summary>Computes dW (added, or written over when <paramref name="accumulate"/> is false), db (added; empty without a bias) and, when given, dX.</summary>
    void Backward(Tensor<T> input, Tensor<T> outputGradient, ArraySegment<T> weight, Span<T> weightGradient, bool accumulate, Span<T> biasGradient,
        Tensor<T>? inputGradient);
}
