using System.Runtime.CompilerServices;
using System.Numerics;

namespace NeuralNets.Kernels;

/// <summary>
/// The three matrix products of a fully connected layer (weight <c>[outputs, inputs]</c>), and how they are split
/// across cores: each product whose large operand is the layer's weight or weight gradient is split the same way on
/// every call, from the low <see cref="MatrixMultiply.ResidentParallelThreshold"/>, so that each core keeps its share
/// of them in its cache from the forward pass through the backward pass to the optimizer (a dense layer at batch 1
/// gains most). Rows of dx fall to cores as the rows of the activation below it do. A weight small enough to stay in
/// one core's L1 cache whole (<see cref="ResidentWeightBytes"/>) gains nothing from being halved: its layer's products
/// split from the low threshold only when the activations they read or write are as long as an elementwise pass that is worth splitting
/// (<see cref="ParallelRanges.MinimumLength"/>, measured on the machine), since those activations lie split across the
/// cores' caches as the passes next to the layer left them; otherwise from <see cref="SmallWeightParallelThreshold"/>.
/// </summary>
internal static class DenseProducts
{
    /// <summary>
    /// Smallest weight, in bytes, whose layer's products split from the low resident threshold: the L1 data cache
    /// (<see cref="CacheSizes.L1DataBytes"/>, 32 to 64 KB on current cores); a weight below it fits there whole, where halving it saves no cache traffic.
    /// </summary>
    public static int ResidentWeightBytes => CacheSizes.L1DataBytes;

    /// <summary>
    /// Multiply-adds from which a small-weight layer's product splits even when its activations are short: below it the
    /// hand-over costs about what the second core saves (measurements in benchmarks/README.md, "Small layers stay on one core").
    /// </summary>
    public const long SmallWeightParallelThreshold = 1L << 18;

    /// <summary>
    /// The split threshold (in multiply-adds) for a layer's products: the resident threshold for a large weight in training, or
    /// for any layer whose activations are long (one core alone would fetch the half the other core wrote), else
    /// <see cref="SmallWeightParallelThreshold"/>.
    /// </summary>
    /// <remarks>In inference no backward pass or optimizer step follows that would find each core's share of a large weight
    /// in its cache, so a large weight alone does not justify a split: a 784→128 layer at batch 1 (100,352 multiply-adds)
    /// predicted 20–25 % slower on two cores than on one (benchmarks/README.md, "Frozen networks").</remarks>
    [MethodImpl(HotPath.Options)]
    private static long Threshold<T>(int batch, int outputs, int inputs, bool inference = false) where T : unmanaged
    {
        bool largeWeight = (long)outputs * inputs * Unsafe.SizeOf<T>() >= ResidentWeightBytes;
        if (largeWeight && !inference) return MatrixMultiply.ResidentParallelThreshold;
        // In inference a batch long enough lies split by samples already, as the elementwise passes there (ParallelRanges.PartsForInference).
        // Long activations: split from the low threshold still, so that a product of a few thousand multiply-adds is not handed over.
        long activations = (long)batch * Math.Max(outputs, inputs);
        bool longActivations = activations >= (inference && batch >= ParallelRanges.BandedBatch ? SplitCalibration.Floor : ParallelRanges.MinimumLength);
        return longActivations ? MatrixMultiply.ResidentParallelThreshold : SmallWeightParallelThreshold;
    }

    /// <summary>Effectively computes <c>y = b + x·Wᵀ</c>, each element rounded as when y holds b and the product is added to it.</summary>
    /// <remarks>In training (a backward pass and an optimizer step follow) the product is split by columns, each core keeping
    /// its share of the weight; in inference by samples where the batch allows, each core reading the samples the layer
    /// before left in its cache and the whole, unchanging weight. The same sums either way. An <paramref name="activation"/>
    /// (inference only) is applied to y in place, each chunk by the core that computed it. A <paramref name="packedWeight"/>
    /// (a frozen network's, <see cref="GemmDot.Pack{T}"/> of this weight) is read instead of the weight where the kernels can.</remarks>
    [MethodImpl(HotPath.Options)]
    public static void Forward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> weight, ReadOnlySpan<T> bias, Span<T> y, int batch, int outputs, int inputs, bool training = true,
        IRowsEpilogue<T>? activation = null, ReadOnlySpan<T> packedWeight = default)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        // On the row-dot path the product adds the bias as it stores each element, on the core that computed it.
        MatrixMultiply.Compute<T>(x, false, weight, true, y, batch, outputs, inputs, accumulate: false,
            parallelThreshold: Threshold<T>(batch, outputs, inputs, inference: !training), bias: bias, splitRows: !training, epilogue: activation,
            packedB: packedWeight);

    /// <summary>
    /// Effectively computes <c>dx = dy·W</c>, with <paramref name="epilogue"/> (if any) given each finished band of rows of dx
    /// on the core that computed it, where the product's chunks are whole rows (<see cref="MatrixMultiply.ComputeWithChunkEpilogue{T}"/>).
    /// </summary>
    /// <returns>Whether nothing of the epilogue is left to do (it was applied, or there was none); if false, the caller
    /// applies its work to dx itself.</returns>
    [MethodImpl(HotPath.Options)]
    public static bool InputGradient<T>(ReadOnlySpan<T> dy, ReadOnlySpan<T> weight, Span<T> dx, int batch, int outputs, int inputs,
        IRowsEpilogue<T>? epilogue = null)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        MatrixMultiply.ComputeWithChunkEpilogue<T>(dy, false, weight, false, dx, batch, inputs, outputs, accumulate: false,
            parallelThreshold: Threshold<T>(batch, outputs, inputs), epilogue);

    /// <summary>Effectively computes <c>dW = (accumulate ? dW : 0) + dyᵀ·x</c> and <c>db += Σ rows of dy</c>, the rows added one after
    /// another (<see cref="Elementwise.AddRows{T}"/>), on the calling thread while the team's other threads start on dW.</summary>
    [MethodImpl(HotPath.Options)]
    public static void WeightGradient<T>(ReadOnlySpan<T> dy, ReadOnlySpan<T> x, Span<T> weightGradient, Span<T> biasGradient, int batch, int outputs, int inputs,
        bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        MatrixMultiply.Compute<T>(dy, true, x, false, weightGradient, outputs, inputs, batch, accumulate,
            parallelThreshold: Threshold<T>(batch, outputs, inputs), rowSumsOfA: biasGradient);
}
