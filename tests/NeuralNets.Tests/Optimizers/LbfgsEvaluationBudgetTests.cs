using NeuralNets.Optimizers;

namespace NeuralNets.Tests.Optimizers;

/// <summary>
/// MaxEvaluations is checked between iterations, as PyTorch checks max_eval, and each line search has up to 26 calls of
/// its own (a first trial and PyTorch's max_ls = 25 more): with one iteration a step (whose default budget is then one call) once spent that call at the start and
/// never moved.
/// </summary>
public class LbfgsEvaluationBudgetTests
{
    [Fact]
    public void OneIterationAStep_WithTheDefaultBudget_Moves()
    {
        var f = new Rosenbrock<double>();
        var optimizer = new Lbfgs<double>([f.P], maxIterations: 1);
        optimizer.MaxEvaluations.Should().Be(1, "⌊1.25 · 1⌋, PyTorch's default too");
        double start = f.Loss;
        for (int step = 0; step < 6; step++) optimizer.Step(f.Evaluate);
        f.Loss.Should().BeLessThan(start / 4, "six steps of one iteration each descend (24.2 to 4.0)");
        optimizer.Iterations.Should().Be(6);
    }

    [Theory]
    [InlineData(500_000_000, 625_000_000)]
    [InlineData(int.MaxValue, int.MaxValue)]
    public void TheDefaultBudget_OfALargeMaxIterations_IsItsQuarterMore_NotAnOverflow(int maxIterations, int expected)
    {
        // ⌊1.25·maxIterations⌋ in int arithmetic overflowed past 429 496 729: 5e8 was refused as a negative maxEvaluations
        // the caller never gave, and int.MaxValue got 536 870 910. The budget is clamped to int.MaxValue where it does not fit.
        var optimizer = new Lbfgs<double>([new Parameter<double>("w", 1)], maxIterations: maxIterations);
        optimizer.MaxEvaluations.Should().Be(expected);
    }

    [Fact]
    public void AStep_StartsNoIterationPastTheBudget_AndItsLastSearchTakesAtMost26Calls()
    {
        var f = new Rosenbrock<double>();
        var optimizer = new Lbfgs<double>([f.P], maxIterations: 100, maxEvaluations: 3);
        optimizer.Step(f.Evaluate);
        f.Evaluations.Should().BeGreaterThanOrEqualTo(3).And.BeLessThanOrEqualTo(3 + 25);
        optimizer.Iterations.Should().BeLessThan(3, "every iteration makes at least one call after the first");
    }
}
