using NeuralNets.Optimizers;

namespace NeuralNets.Tests.Optimizers;

/// <summary>
/// The rules by which PyTorch's LBFGS differs from a textbook L-BFGS, each pinned on a problem where the two part:
/// the line search's budget and extrapolation, when it compares a trial with the one before, the pair stored at the
/// next step's start (so with the next step's gradient), and the fixed-step mode.
/// </summary>
public class LbfgsPyTorchRulesTests
{
    [Fact]
    public void StrongWolfe_OnAStraightLine_ExtrapolatesTenfold26Times()
    {
        // J(w) = −w has no curvature: every trial meets sufficient decrease with an unchanged slope, the cubic's
        // minimiser is infinite and clamps to 10·t, as in PyTorch, and the search stops after its first trial and 25 more.
        var w = new Parameter<double>("w", 1);
        var points = new List<double>();
        double Evaluate()
        {
            points.Add(w.ValueSpan[0]);
            w.GradientSpan[0] = -1;
            return -w.ValueSpan[0];
        }
        new Lbfgs<double>([w], maxIterations: 1).Step(Evaluate);

        points.Should().HaveCount(1 + 26);
        for (int k = 0; k < 26; k++) points[1 + k].Should().BeApproximately(Math.Pow(10, k), Math.Pow(10, k) * 1e-12, "trial {0}", k + 1);
        w.ValueSpan[0].Should().BeApproximately(1e25, 1e13, "the last trial is the step taken");
    }

    [Fact]
    public void StrongWolfe_ASecondTrialAboveTheFirst_StillExtrapolates_AsPyTorchComparesFromTheThird()
    {
        // Scripted values along d = 1 from w = 0 (J = 0, J' = −1): the first trial (t = 1) lies lower and steeper, the
        // second lies above the first but still meets sufficient decrease and still descends. PyTorch brackets on a rise
        // only from the third trial on, so it tries a third point beyond the second; then a point meeting both conditions.
        var w = new Parameter<double>("w", 1);
        var script = new (double Loss, double Slope)[] { (0, -1), (-0.5, -2), (-0.4, -2), (-2, -0.1) };
        var points = new List<double>();
        double Evaluate()
        {
            var (loss, slope) = script[Math.Min(points.Count, script.Length - 1)];
            points.Add(w.ValueSpan[0]);
            w.GradientSpan[0] = slope;
            return loss;
        }
        new Lbfgs<double>([w], maxIterations: 1).Step(Evaluate);

        points.Should().HaveCount(4, "start, three trials, the third meeting both conditions");
        points[1].Should().Be(1);
        points[2].Should().BeInRange(1.01, 10, "extrapolated at least 1 % and at most ten times further");
        points[3].Should().BeGreaterThan(points[2], "a third trial beyond the second, instead of a zoom between the first two");
        w.ValueSpan[0].Should().Be(points[3]);
    }

    [Fact]
    public void StrongWolfe_ZoomsUntilPyTorchsBracketTolerance_WhateverTheChangeTolerance()
    {
        // PyTorch's step() calls _strong_wolfe without tolerance_change, so the zoom stops on a bracket under its
        // default 1e-9, not under the optimizer's. On J = ½·10⁴·w² from w = 1e-4 (g = 1) with η = 5e-4 the first trial
        // overshoots to −4e-4 and the bracket [0, 5e-4] is under changeTolerance = 1e-3; PyTorch still zooms, to the
        // minimiser t = 1e-4 (w = 0), and only then stops because the step 1e-4 is under changeTolerance.
        var w = new Parameter<double>("w", 1);
        w.SetValue([1e-4]);
        int evaluations = 0;
        double Evaluate()
        {
            evaluations++;
            double x = w.ValueSpan[0];
            w.GradientSpan[0] = 1e4 * x;
            return 0.5e4 * x * x;
        }
        var optimizer = new Lbfgs<double>([w], learningRate: 5e-4, changeTolerance: 1e-3);
        optimizer.Step(Evaluate);

        evaluations.Should().Be(3, "the start, the overshooting trial and the zoom's trial at the minimiser");
        w.ValueSpan[0].Should().BeApproximately(0, 1e-15);
    }

    [Fact]
    public void FixedStep_EvaluatesOnceAnIteration_AndLeavesTheLastPointForTheNextStep()
    {
        // t = min(1, 1/‖g₀‖₁)·η at the first iteration, η after; three iterations make two evaluations after the start
        // (with the default budget, ⌊1.25·3⌋ = 3 calls, the third iteration would not start).
        var q = Quadratic<double>.IllConditioned();
        var optimizer = new Lbfgs<double>([q.W], learningRate: 0.5, maxIterations: 3, maxEvaluations: 10, lineSearch: LbfgsLineSearch.FixedStep);
        optimizer.Step(q.Evaluate);

        q.Evaluated.Should().HaveCount(3);
        double[] g0 = q.Gradient(q.Start);
        double t0 = Math.Min(1, 1 / g0.Sum(Math.Abs)) * 0.5;
        q.Evaluated[1].ShouldBeCloseTo(q.Start.Select((v, i) => v - t0 * g0[i]).ToArray(), 1e-15);
        double[] end = q.Values;
        q.Evaluated.Should().NotContain(point => point.SequenceEqual(end), "the point the step ends at is evaluated by the next step");
        optimizer.Iterations.Should().Be(3);

        optimizer.Step(q.Evaluate);
        q.Evaluated[3].Should().Equal(end);
    }

    [Fact]
    public void NextStep_StoresThePairWithItsOwnGradient_WhenTheClosureChanges()
    {
        // One fixed-step iteration a step, on J₁ and then J₂ (as mini-batches change): step 2 stores s = w₁ − w₀ and
        // y = ∇J₂(w₁) − ∇J₁(w₀), PyTorch's pair, and moves to w₁ − η·H·∇J₂(w₁), H the BFGS update of γI by that pair.
        var first = Quadratic<double>.IllConditioned();
        var second = new Quadratic<double>([2, 5, 80], [0.5, -1, 1], first.Start);
        var w = first.W;
        double EvaluateSecond()
        {
            second.W.SetValue(w.ValueSpan.ToArray());
            double loss = second.Evaluate();
            second.W.GradientSpan.CopyTo(w.GradientSpan);
            return loss;
        }
        const double rate = 0.5;
        var optimizer = new Lbfgs<double>([w], learningRate: rate, maxIterations: 1, lineSearch: LbfgsLineSearch.FixedStep);
        optimizer.Step(first.Evaluate);
        double[] w1 = w.ValueSpan.ToArray();
        optimizer.Step(EvaluateSecond);
        double[] w2 = w.ValueSpan.ToArray();

        double[] s = w1.Select((v, i) => v - first.Start[i]).ToArray();
        double[] g0 = first.Gradient(first.Start), g1 = second.Gradient(w1);
        double[] y = g1.Select((v, i) => v - g0[i]).ToArray();
        double ys = Dot(y, s), rho = 1 / ys, gamma = ys / Dot(y, y);
        var expected = new double[3];
        for (int i = 0; i < 3; i++)
        {
            expected[i] = w1[i];
            for (int j = 0; j < 3; j++)
            {
                double h = 0;
                for (int k = 0; k < 3; k++)
                    h += ((i == k ? 1 : 0) - rho * s[i] * y[k]) * gamma * ((k == j ? 1 : 0) - rho * y[k] * s[j]);
                h += rho * s[i] * s[j];
                expected[i] -= rate * h * g1[j];
            }
        }
        optimizer.StoredPairs.Should().Be(1);
        w2.ShouldBeCloseTo(expected, 1e-12);
    }

    [Fact]
    public void AfterAStepThatCouldNotMove_TheNextStepStoresNoPair()
    {
        // At w₀ = (1e-6, 0) on ½‖w‖², g·d = −1e-12 is above −changeTolerance: the step stops before moving. PyTorch's
        // next step would store the pair of the step it never took (s = t·d = −g₀, y = g₁ − g₀, with y·s ≈ 1e-6 for a
        // next closure whose gradient there is (−1, 0)). Nothing moved, so no pair is stored here: the second step,
        // one iteration at η = 1, goes along −g₁ itself.
        var w = new Parameter<double>("w", 2);
        w.SetValue([1e-6, 0]);
        double Evaluate(double shift)
        {
            var x = w.ValueSpan;
            w.GradientSpan[0] = x[0] - shift;
            w.GradientSpan[1] = x[1];
            return 0.5 * (x[0] * x[0] + x[1] * x[1]) - shift * x[0];
        }
        var optimizer = new Lbfgs<double>([w], maxIterations: 1, lineSearch: LbfgsLineSearch.FixedStep);
        optimizer.Step(() => Evaluate(0));
        w.ValueSpan.ToArray().Should().Equal(1e-6, 0);
        optimizer.Iterations.Should().Be(1);

        optimizer.Step(() => Evaluate(1 + 1e-6));
        optimizer.StoredPairs.Should().Be(0);
        w.ValueSpan.ToArray().Should().Equal(1e-6 + 1, 0);
    }

    private static double Dot(double[] a, double[] b) => a.Select((v, i) => v * b[i]).Sum();
}
