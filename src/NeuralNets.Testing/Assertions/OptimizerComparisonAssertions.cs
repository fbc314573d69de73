using FluentAssertions;
using FluentAssertions.Primitives;
using NeuralNets.Testing.Optimizers;

namespace NeuralNets.Testing.Assertions;

/// <summary>Assertions on an <see cref="OptimizerComparison"/>: <c>comparison.Should().MatchReference()</c>.</summary>
public sealed class OptimizerComparisonAssertions : ReferenceTypeAssertions<OptimizerComparison, OptimizerComparisonAssertions>
{
    /// <summary>Wraps <paramref name="comparison"/>; use <see cref="NeuralNetsAssertionExtensions.Should(OptimizerComparison)"/>.</summary>
    public OptimizerComparisonAssertions(OptimizerComparison comparison) : base(comparison) { }

    /// <inheritdoc/>
    protected override string Identifier => "optimizer";

    /// <summary>Asserts that the optimizer agreed with the reference at every step of every problem; the failure message holds the table of the first parting.</summary>
    /// <param name="because">Why, in FluentAssertions' style.</param>
    /// <param name="becauseArgs">Arguments of <paramref name="because"/>.</param>
    [CustomAssertion]
    public AndConstraint<OptimizerComparisonAssertions> MatchReference(string because = "", params object[] becauseArgs)
    {
        KitAssertion.Assert(Subject, "the optimizer to match its reference", () => (Subject.Passed, Subject.ToString()), because, becauseArgs);
        return new AndConstraint<OptimizerComparisonAssertions>(this);
    }
}
