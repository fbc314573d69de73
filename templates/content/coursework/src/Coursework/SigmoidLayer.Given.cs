using NeuralNets;
using NeuralNets.Layers;

namespace Coursework;

/// <summary>The logistic function σ(x) = 1 / (1 + e⁻ˣ), element by element. Given: shapes; your part is Forward and Backward, in SigmoidLayer.cs.</summary>
public sealed partial class SigmoidLayer : ILayer<double>
{
    /// <inheritdoc/>
    public IReadOnlyList<Parameter<double>> Parameters => [];

    /// <inheritdoc/>
    public IReadOnlyList<int> OutputShape(IReadOnlyList<int> inputShape) => [.. inputShape];

    /// <inheritdoc/>
    public LayerDescription Describe() => LayerDescription.Of("SigmoidLayer");

    /// <inheritdoc/>
    public override string ToString() => "SigmoidLayer";
}
