using System.Numerics;
using System.Runtime.CompilerServices;
using NeuralNets.Kernels;

namespace NeuralNets.Layers;

/// <summary>
/// Batch normalisation of images <c>[N, C, H, W]</c>, as PyTorch's <c>BatchNorm2d(C)</c>: statistics per channel over
/// the batch and every pixel. See <see cref="BatchNorm{T}"/>.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
public sealed class BatchNorm2D<T> : BatchNorm<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates the layer with γ = 1, β = 0, running mean 0 and running variance 1.</summary>
    /// <param name="features">The number of channels C.</param>
    /// <param name="momentum">The weight of each batch in the running statistics, in [0, 1]; null for the cumulative average (PyTorch's <c>momentum=None</c>).</param>
    /// <param name="epsilon">Added to the variance before the square root.</param>
    /// <param name="affine">Whether γ and β are learnt parameters (PyTorch's <c>affine</c>).</param>
    public BatchNorm2D(int features, double? momentum = 0.1, double epsilon = 1e-5, bool affine = true) : base(features, momentum, epsilon, affine) { }

    private BatchNorm2D(BatchNorm2D<T> source) : base(source) { }

    /// <inheritdoc/>
    protected override string Kind => "BatchNorm2D";

    /// <inheritdoc/>
    protected override string SampleShapeText => "[C, H, W]";

    /// <inheritdoc/>
    [MethodImpl(HotPath.Options)]
    protected override bool AcceptsRank(int sampleRank) => sampleRank == 3;

    /// <inheritdoc/>
    public override ILayer<T>? CreateInferenceCopy() => new BatchNorm2D<T>(this);
}
