using FluentAssertions;
using FluentAssertions.Primitives;
using NeuralNets.Layers;
using NeuralNets.Testing.Contract;

namespace NeuralNets.Testing.Assertions;

/// <summary>Assertions on a layer in double: <c>layer.Should().SatisfyLayerContract()</c>.</summary>
public sealed class LayerAssertions : ReferenceTypeAssertions<ILayer<double>, LayerAssertions>
{
    /// <summary>Wraps <paramref name="layer"/>; use <see cref="NeuralNetsAssertionExtensions.Should(ILayer{double})"/>.</summary>
    public LayerAssertions(ILayer<double> layer) : base(layer) { }

    /// <inheritdoc/>
    protected override string Identifier => "layer";

    /// <summary>Asserts that the layer keeps every rule of <see cref="LayerContract"/>; the failure message is the whole report.</summary>
    /// <param name="sampleShape">The shape of one sample; null to take it from the layer (<see cref="LayerContract.SampleShapeFor"/>).</param>
    /// <param name="options">Seed, tolerance and what the layer says of its training mode; null for the defaults.</param>
    /// <param name="because">Why, in FluentAssertions' style.</param>
    /// <param name="becauseArgs">Arguments of <paramref name="because"/>.</param>
    [CustomAssertion]
    public AndConstraint<LayerAssertions> SatisfyLayerContract(IReadOnlyList<int>? sampleShape = null, LayerContractOptions? options = null, string because = "", params object[] becauseArgs)
    {
        KitAssertion.Assert(Subject, "the layer to satisfy the layer contract", () =>
        {
            var report = LayerContract.Check(Subject, sampleShape ?? LayerContract.SampleShapeFor(Subject), options);
            return (report.Passed, report.ToString());
        }, because, becauseArgs);
        return new AndConstraint<LayerAssertions>(this);
    }
}
