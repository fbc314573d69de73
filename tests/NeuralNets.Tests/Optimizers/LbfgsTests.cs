using NeuralNets.Optimizers;

namespace NeuralNets.Tests.Optimizers;

public class LbfgsTests
{
    [Fact]
    public void Step_RosenbrockDouble_ReachesMinimumWithin1e4()
    {
        var f = new Rosenbrock<double>();
        var optimizer = new Lbfgs<double>([f.P]);
        for (int step = 0; step < 100 && f.Loss > 1e-14; step++) optimizer.Step(f.Evaluate);
        f.X.Should().BeApproximately(1, 1e-4);
        f.Y.Should().BeApproximately(1, 1e-4);
        f.Evaluations.Should().BeLessThan(200, "a quasi-Newton method needs few evaluations here");
    }

    [Fact]
    public void Step_RosenbrockFloat_ReachesMinimumWithin1e3()
    {
        var f = new Rosenbrock<float>();
        var optimizer = new Lbfgs<float>([f.P]);
        for (int step = 0; step < 100; step++) optimizer.Step(f.Evaluate);
        f.X.Should().BeApproximately(1, 1e-3);
        f.Y.Should().BeApproximately(1, 2e-3);
    }

    [Fact]
    public void Step_FirstTrial_IsScaledSteepestDescent()
    {
        // Without stored pairs the first trial point is w₀ − min(1, 1/‖g₀‖₁)·η·g₀; g₀ = (0, −9.5, 52), ‖g₀‖₁ = 61.5.
        var q = Quadratic<double>.IllConditioned();
        new Lbfgs<double>([q.W], learningRate: 1).Step(q.Evaluate);
        q.Evaluated[0].ShouldBeCloseTo(q.Start, 0);
        q.Evaluated[1].ShouldBeCloseTo([1, -1 + 9.5 / 61.5, 0.5 - 52 / 61.5], 1e-15);
    }

    [Fact]
    public void Step_SecondIteration_UsesTwoLoopDirection()
    {
        // One iteration per step: step 2 starts at w₁ with one pair (s, y); its first trial is w₁ − H₁·g₁,
        // H₁ = (I − ρ·s·yᵀ)·γI·(I − ρ·y·sᵀ) + ρ·s·sᵀ, γ = sᵀy/yᵀy, ρ = 1/yᵀs (the BFGS update written out).
        var q = Quadratic<double>.IllConditioned();
        var optimizer = new Lbfgs<double>([q.W], maxIterations: 1, maxEvaluations: 30);
        optimizer.Step(q.Evaluate);
        var w1 = q.Values;
        int before = q.Evaluated.Count;
        optimizer.Step(q.Evaluate);

        double[] s = w1.Select((v, i) => v - q.Start[i]).ToArray();
        double[] g0 = q.Gradient(q.Start), g1 = q.Gradient(w1);
        double[] y = g1.Select((v, i) => v - g0[i]).ToArray();
        double ys = Dot(y, s), rho = 1 / ys, gamma = ys / Dot(y, y);
        var h = new double[3, 3];
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++)
            {
                double sum = 0;
                for (int k = 0; k < 3; k++)
                    sum += ((i == k ? 1 : 0) - rho * s[i] * y[k]) * gamma * ((k == j ? 1 : 0) - rho * y[k] * s[j]);
                h[i, j] = sum + rho * s[i] * s[j];
            }
        var expected = new double[3];
        for (int i = 0; i < 3; i++)
        {
            expected[i] = w1[i];
            for (int j = 0; j < 3; j++) expected[i] -= h[i, j] * g1[j];
        }
        q.Evaluated[before].ShouldBeCloseTo(w1, 0);
        q.Evaluated[before + 1].ShouldBeCloseTo(expected, 1e-12);
    }

    [Fact]
    public void Step_Quadratic_ConvergesToExactMinimum()
    {
        var q = Quadratic<double>.IllConditioned();
        var optimizer = new Lbfgs<double>([q.W], maxIterations: 50, maxEvaluations: 100, gradientTolerance: 1e-10, changeTolerance: 0);
        optimizer.Step(q.Evaluate);
        q.Values.ShouldBeCloseTo(q.Minimum, 1e-10);
        q.Evaluated.Count.Should().BeLessThan(40);
    }

    [Fact]
    public void Step_EvaluateThrowsMidSearch_LeavesBestPointFound()
    {
        var f = new Rosenbrock<double>();
        var optimizer = new Lbfgs<double>([f.P], maxIterations: 100, maxEvaluations: 1000);
        int calls = 0;
        double bestLoss = double.PositiveInfinity;
        double[] best = [];
        T Evaluate<T>(Func<T> inner)
        {
            if (++calls == 12) throw new InvalidOperationException("evaluation failed");
            var loss = inner();
            if (f.Loss < bestLoss) (bestLoss, best) = (f.Loss, [f.X, f.Y]);
            return loss;
        }

        var act = () => optimizer.Step(() => Evaluate(f.Evaluate));

        act.Should().Throw<InvalidOperationException>();
        new[] { f.X, f.Y }.Should().Equal(best);
        bestLoss.Should().BeLessThan(24.2, "it had made progress from the start (loss 24.2)");
    }

    [Fact]
    public void Step_EvaluateThrowsAfterAFixedStepMove_TheNextStepStoresNoPairForTheAbandonedMove()
    {
        // J = 50·w² from w₀ = 0.1, fixed step: the first iteration overshoots to w₁ = −0.9 (J = 40.5), the second
        // stores the true pair (s = −1, y = −100) and moves to w₂ ≈ 0, whose evaluation throws; the parameter goes back
        // to the best point, w₀. The move to w₂ was abandoned, so the next step must not pair it with the gradient at w₀
        // (s = 0.9, y = 100, which would make H = 0.009): with the true pair alone, H = 0.01 is exact and the next
        // step's first iteration lands on the minimiser.
        var w = new Parameter<double>("w", 1);
        w.SetValue([0.1]);
        var points = new List<double>();
        bool fail = true;
        double Evaluate()
        {
            double x = w.ValueSpan[0];
            if (fail && points.Count == 2) throw new InvalidOperationException("evaluation failed");
            points.Add(x);
            w.GradientSpan[0] = 100 * x;
            return 50 * x * x;
        }
        var optimizer = new Lbfgs<double>([w], maxIterations: 3, lineSearch: LbfgsLineSearch.FixedStep);
        var act = () => optimizer.Step(Evaluate);
        act.Should().Throw<InvalidOperationException>();
        w.ValueSpan[0].Should().Be(0.1, "the best point evaluated in the step");

        (fail, points) = (false, []);
        optimizer.Step(Evaluate);
        points[0].Should().Be(0.1);
        points[1].Should().BeApproximately(0, 1e-12);
        optimizer.StoredPairs.Should().Be(1);
    }

    [Theory]
    [InlineData(LbfgsLineSearch.FixedStep)]
    [InlineData(LbfgsLineSearch.StrongWolfe)]
    public void Step_FromAnInfiniteLossWithAFiniteGradient_MovesAsPyTorch(LbfgsLineSearch lineSearch)
    {
        // J = w² where w ≤ 5 and +∞ beyond, ∇J = 2w everywhere, from w = 6: PyTorch stops only on the gradient, so its
        // first iteration goes to 6 − min(1, 1/12)·12 = 5 (the search's first trial there meets both conditions:
        // anything is below +∞, and |10·(−12)| ≤ 0.9·144). A step that did nothing would leave every later step at 6.
        var w = new Parameter<double>("w", 1);
        w.SetValue([6]);
        double Evaluate()
        {
            double x = w.ValueSpan[0];
            w.GradientSpan[0] = 2 * x;
            return x > 5 ? double.PositiveInfinity : x * x;
        }
        var optimizer = new Lbfgs<double>([w], maxIterations: 1, lineSearch: lineSearch);
        optimizer.Step(Evaluate).Should().Be(double.PositiveInfinity);
        w.ValueSpan[0].Should().BeApproximately(5, 1e-14);
        optimizer.Iterations.Should().Be(1);
    }

    [Fact]
    public void Step_NonFiniteLossOnTrial_BacksOffAndStillDescends()
    {
        // A loss that is NaN beyond |w| > 2 (as a diverging network's is): the search must shrink the step.
        var q = Quadratic<double>.IllConditioned();
        var optimizer = new Lbfgs<double>([q.W], learningRate: 100);
        Func<double> evaluate = () =>
        {
            double loss = q.Evaluate();
            return q.Values.Any(v => Math.Abs(v) > 2) ? double.NaN : loss;
        };
        double start = q.Loss(q.Start);
        for (int step = 0; step < 5; step++) optimizer.Step(evaluate);
        q.Loss(q.Values).Should().BeLessThan(start);
        q.Values.Should().OnlyContain(v => Math.Abs(v) <= 2);
    }

    private static double Dot(double[] a, double[] b) => a.Select((v, i) => v * b[i]).Sum();
}
