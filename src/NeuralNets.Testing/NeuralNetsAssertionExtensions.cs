using NeuralNets.Diagnostics;
using NeuralNets.Layers;
using NeuralNets.Testing.Assertions;
using NeuralNets.Testing.Optimizers;

namespace NeuralNets.Testing;

/// <summary>
/// <c>Should()</c> for the kit's subjects, beside FluentAssertions' own: a layer in double, a gradient check, an
/// optimizer comparison. Each failure message is the kit's full report, not a bare true/false.
/// </summary>
public static class NeuralNetsAssertionExtensions
{
    /// <summary>Assertions on a layer: <c>layer.Should().SatisfyLayerContract()</c>.</summary>
    public static LayerAssertions Should(this ILayer<double> layer) => new(layer);

    /// <summary>Assertions on a gradient check: <c>result.Should().Pass(1e-6)</c>.</summary>
    public static GradientCheckResultAssertions Should(this GradientCheckResult result) => new(result);

    /// <summary>Assertions on an optimizer run beside its reference: <c>comparison.Should().MatchReference()</c>.</summary>
    public static OptimizerComparisonAssertions Should(this OptimizerComparison comparison) => new(comparison);
}
