using System.Runtime.CompilerServices;
using System.Numerics;

namespace NeuralNets.Kernels;

/// <summary>
/// The three matrix products of a fully connected layer (weight <c>[outputs, inputs]</c>), and how they are split
/// across cores: each product whose large operand is the layer's weight or weight gradient is split the same way on
/// every call, from the low <see cref="MatrixMultiply.ResidentParallelThreshold"/>, so that each core keeps its share
/// of them in its cache from the forward pass through the backward pass to the optimizer (a dense layer at batch 1
/// gains most). Rows of dx fall to cores as the rows of the activation below it do. A weight small enough to stay in
/// one core's L1 cache whole (<see cref="ResidentWeightBytes"/>) gains nothing from being halved, so its layer's
/// products split only from the general <see cref="MatrixMultiply.ParallelThreshold"/>.
/// </summary>
internal static class DenseProducts
{
    /// <summary>
    /// Smallest weight, in bytes, whose layer's products split from the low threshold: a weight below it fits in the
    /// L1 data cache of current cores (32 to 64 KB), where halving it saves no cache traffic. Measured on the MLP
    /// 784-128-10 at batch 64: its 128→10 layer (5 KB) took 9–10 µs for its backward pass split across two cores and
    /// 6 µs on one (benchmarks/README.md).
    /// </summary>
    public const int ResidentWeightBytes = 64 * 1024;

    /// <summary>The split threshold for a layer with a weight of <paramref name="weightElements"/> elements.</summary>
    private static long Threshold<T>(long weightElements) where T : unmanaged =>
        weightElements * Unsafe.SizeOf<T>() >= ResidentWeightBytes ? MatrixMultiply.ResidentParallelThreshold : MatrixMultiply.ParallelThreshold;

    /// <summary>Effectively computes <c>y = b + x·Wᵀ</c>, each element rounded as when y holds b and the product is added to it.</summary>
    /// <remarks>In training (a backward pass and an optimizer step follow) the product is split by columns, each core keeping
    /// its share of the weight; in inference by samples where the batch allows, each core reading the samples the layer
    /// before left in its cache and the whole, unchanging weight. The same sums either way.</remarks>
    [MethodImpl(HotPath.Options)]
    public static void Forward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> weight, ReadOnlySpan<T> bias, Span<T> y, int batch, int outputs, int inputs, bool training = true)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        // On the row-dot path the product adds the bias as it stores each element, on the core that computed it.
        MatrixMultiply.Compute<T>(x, false, weight, true, y, batch, outputs, inputs, accumulate: false,
            parallelThreshold: Threshold<T>((long)outputs * inputs), bias: bias, splitRows: !training);

    /// <summary>Effectively computes <c>dx = dy·W</c>.</summary>
    [MethodImpl(HotPath.Options)]
    public static void InputGradient<T>(ReadOnlySpan<T> dy, ReadOnlySpan<T> weight, Span<T> dx, int batch, int outputs, int inputs)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        MatrixMultiply.Compute<T>(dy, false, weight, false, dx, batch, inputs, outputs, accumulate: false,
            parallelThreshold: Threshold<T>((long)outputs * inputs));

    /// <summary>Effectively computes <c>dW = (accumulate ? dW : 0) + dyᵀ·x</c>.</summary>
    [MethodImpl(HotPath.Options)]
    public static void WeightGradient<T>(ReadOnlySpan<T> dy, ReadOnlySpan<T> x, Span<T> weightGradient, int batch, int outputs, int inputs, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        MatrixMultiply.Compute<T>(dy, true, x, false, weightGradient, outputs, inputs, batch, accumulate,
            parallelThreshold: Threshold<T>((long)outputs * inputs));
}
