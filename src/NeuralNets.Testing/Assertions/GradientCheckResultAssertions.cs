using FluentAssertions;
using FluentAssertions.Primitives;
using NeuralNets.Diagnostics;
using NeuralNets.Testing.Gradients;

namespace NeuralNets.Testing.Assertions;

/// <summary>Assertions on a <see cref="GradientCheckResult"/>: <c>result.Should().Pass(1e-6)</c>.</summary>
public sealed class GradientCheckResultAssertions : ReferenceTypeAssertions<GradientCheckResult, GradientCheckResultAssertions>
{
    /// <summary>Wraps <paramref name="result"/>; use <see cref="NeuralNetsAssertionExtensions.Should(GradientCheckResult)"/>.</summary>
    public GradientCheckResultAssertions(GradientCheckResult result) : base(result) { }

    /// <inheritdoc/>
    protected override string Identifier => "gradient check";

    /// <summary>Asserts that the worst relative error is at most <paramref name="tolerance"/>; the failure message is the full diagnosis (<see cref="GradientDiagnosis.Explain"/>).</summary>
    /// <param name="tolerance">The largest relative error that counts as right. Default 1e-6.</param>
    /// <param name="because">Why, in FluentAssertions' style.</param>
    /// <param name="becauseArgs">Arguments of <paramref name="because"/>.</param>
    [CustomAssertion]
    public AndConstraint<GradientCheckResultAssertions> Pass(double tolerance = 1e-6, string because = "", params object[] becauseArgs)
    {
        KitAssertion.Assert(Subject, "the gradient check to pass",
            () => (Subject.Passed(tolerance), Subject.Explain(tolerance)), because, becauseArgs);
        return new AndConstraint<GradientCheckResultAssertions>(this);
    }
}
