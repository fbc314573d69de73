using System.Numerics;
using System.Runtime.CompilerServices;
using NeuralNets.Kernels;

namespace NeuralNets.Layers;

/// <summary>
/// Batch normalisation of <c>[N, C]</c> or <c>[N, C, L]</c>, as PyTorch's <c>BatchNorm1d(C)</c>: statistics per
/// channel over the batch (and the positions L). See <see cref="BatchNorm{T}"/>.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
public sealed class BatchNorm1D<T> : BatchNorm<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates the layer with γ = 1, β = 0, running mean 0 and running variance 1.</summary>
    /// <param name="features">The number of channels C.</param>
    /// <param name="momentum">The weight of each batch in the running statistics, in [0, 1]; null for the cumulative average (PyTorch's <c>momentum=None</c>).</param>
    /// <param name="epsilon">Added to the variance before the square root.</param>
    /// <param name="affine">Whether γ and β are learnt parameters (PyTorch's <c>affine</c>).</param>
    public BatchNorm1D(int features, double? momentum = 0.1, double epsilon = 1e-5, bool affine = true) : base(features, momentum, epsilon, affine) { }

    private BatchNorm1D(BatchNorm1D<T> source) : base(source) { }

    /// <inheritdoc/>
    protected override string Kind => "BatchNorm1D";

    /// <inheritdoc/>
    protected override string SampleShapeText => "[C] or [C, L]";

    /// <inheritdoc/>
    [MethodImpl(HotPath.Options)]
    protected override bool AcceptsRank(int sampleRank) => sampleRank is 1 or 2;

    /// <inheritdoc/>
    public override ILayer<T>? CreateInferenceCopy() => new BatchNorm1D<T>(this);
}
