using System.Numerics;
using NeuralNets.Optimizers;

namespace NeuralNets.Tests.Optimizers;

/// <summary>Properties every optimizer must have, run over the whole catalogue.</summary>
public class OptimizerPropertyTests
{
    [Theory]
    [MemberData(nameof(OptimizerCatalog.All), MemberType = typeof(OptimizerCatalog))]
    public void Step_ConvexQuadraticDouble_LossFalls(string name) => LossFalls<double>(name);

    [Theory]
    [MemberData(nameof(OptimizerCatalog.All), MemberType = typeof(OptimizerCatalog))]
    public void Step_ConvexQuadraticFloat_LossFalls(string name) => LossFalls<float>(name);

    private static void LossFalls<T>(string name) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var q = Quadratic<T>.IllConditioned();
        var optimizer = OptimizerCatalog.Create(name, [q.W]);
        double best = q.Loss(q.Minimum), start = q.Loss(q.Start);
        T first = optimizer.Step(q.Evaluate);
        double.CreateChecked(first).Should().BeApproximately(start, 1e-5, "Step returns the loss before the step");
        for (int step = 1; step < 200; step++) optimizer.Step(q.Evaluate);
        double end = q.Loss(q.Values);
        (end - best).Should().BeLessThan(0.25 * (start - best), $"{optimizer} should close most of the gap to the minimum in 200 steps");
    }

    [Theory]
    [MemberData(nameof(OptimizerCatalog.AllElementwise), MemberType = typeof(OptimizerCatalog))]
    public void Step_TwoParameters_NeverShareState(string name)
    {
        // p's trajectory must not depend on whether another parameter with other gradients is optimised alongside.
        var alone = Quadratic<double>.IllConditioned("p");
        var together = Quadratic<double>.IllConditioned("p");
        var other = new Quadratic<double>([3, 0.5, 7], [2, -2, 1], [-0.3, 0.8, 0.1], "other");
        var single = OptimizerCatalog.Create(name, [alone.W]);
        var pair = OptimizerCatalog.Create(name, [together.W, other.W]);
        Func<double> both = () => together.Evaluate() + other.Evaluate();
        for (int step = 0; step < 20; step++)
        {
            single.Step(alone.Evaluate);
            pair.Step(both);
        }
        together.Values.Should().Equal(alone.Values);
        other.Values.Should().NotEqual(other.Start);
    }

    [Theory]
    [MemberData(nameof(OptimizerCatalog.All), MemberType = typeof(OptimizerCatalog))]
    public void Step_TwoInstancesInterleaved_EqualEachRunAlone(string name)
    {
        var a = Quadratic<double>.IllConditioned();
        var b = new Quadratic<double>([3, 0.5, 7], [2, -2, 1], [-0.3, 0.8, 0.1]);
        var optimizerA = OptimizerCatalog.Create(name, [a.W]);
        var optimizerB = OptimizerCatalog.Create(name, [b.W]);
        for (int step = 0; step < 10; step++)
        {
            optimizerA.Step(a.Evaluate);
            optimizerB.Step(b.Evaluate);
        }

        var reference = Quadratic<double>.IllConditioned();
        var optimizer = OptimizerCatalog.Create(name, [reference.W]);
        for (int step = 0; step < 10; step++) optimizer.Step(reference.Evaluate);
        a.Values.Should().Equal(reference.Values);
    }

    [Theory]
    [MemberData(nameof(OptimizerCatalog.All), MemberType = typeof(OptimizerCatalog))]
    public void Step_AfterFirstSteps_AllocatesNothing(string name)
    {
        var w = new Parameter<float>("w", 64);
        var a = new float[64];
        for (int i = 0; i < a.Length; i++) (a[i], w.ValueSpan[i]) = (1 + i % 7, 1 - i % 3);
        Func<float> evaluate = () =>
        {
            float loss = 0;
            var v = w.ValueSpan;
            var g = w.GradientSpan;
            for (int i = 0; i < v.Length; i++)
            {
                g[i] = a[i] * v[i] - 1;
                loss += 0.5f * a[i] * v[i] * v[i] - v[i];
            }
            return loss;
        };
        var optimizer = name == "Lbfgs" ? new Lbfgs<float>([w], historySize: 3) : OptimizerCatalog.Create(name, [w]);
        for (int step = 0; step < 5; step++) optimizer.Step(evaluate);

        ThreadAllocation.LeastOf(() =>
        {
            for (int step = 0; step < 20; step++) optimizer.Step(evaluate);
        }).Should().Be(0);
    }

    [Theory]
    [MemberData(nameof(OptimizerCatalog.All), MemberType = typeof(OptimizerCatalog))]
    public void Step_NullEvaluate_Throws(string name)
    {
        var optimizer = OptimizerCatalog.Create(name, [new Parameter<double>("w", 2)]);
        optimizer.Invoking(o => o.Step(null!)).Should().Throw<ArgumentNullException>();
    }

    [Theory]
    [MemberData(nameof(OptimizerCatalog.All), MemberType = typeof(OptimizerCatalog))]
    public void Constructor_ParameterListedTwice_NamesIt(string name)
    {
        var w = new Parameter<double>("dense.weight", 2);
        var act = () => OptimizerCatalog.Create(name, [w, w]);
        act.Should().Throw<ArgumentException>().WithMessage("*'dense.weight'*twice*");
    }
}
