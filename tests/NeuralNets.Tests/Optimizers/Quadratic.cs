using System.Numerics;

namespace NeuralNets.Tests.Optimizers;

/// <summary>
/// f(w) = ½ Σ aᵢwᵢ² + Σ cᵢwᵢ over one parameter, with ∇f = a ⊙ w + c. Its evaluate closure writes the gradient
/// (as a network's backward would) and records every point it was called at.
/// </summary>
internal sealed class Quadratic<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly double[] _a, _c;

    public Quadratic(double[] a, double[] c, double[] start, string name = "w")
    {
        _a = a;
        _c = c;
        Start = start;
        W = new Parameter<T>(name, a.Length);
        W.SetValue(start.Select(T.CreateChecked).ToArray());
        Evaluate = () =>
        {
            var w = Values;
            Evaluated.Add(w);
            var g = Gradient(w);
            W.ZeroGradient();
            for (int i = 0; i < g.Length; i++) W.GradientSpan[i] = T.CreateChecked(g[i]);
            return T.CreateChecked(Loss(w));
        };
    }

    /// <summary>a = (1, 10, 100): condition number 100.</summary>
    public static Quadratic<T> IllConditioned(string name = "w") => new([1, 10, 100], [-1, 0.5, 2], [1, -1, 0.5], name);

    public double[] Start { get; }

    public Parameter<T> W { get; }

    public Func<T> Evaluate { get; }

    public List<double[]> Evaluated { get; } = [];

    public double[] Values => W.ValueSpan.ToArray().Select(double.CreateChecked).ToArray();

    public double Loss(double[] w)
    {
        double f = 0;
        for (int i = 0; i < w.Length; i++) f += 0.5 * _a[i] * w[i] * w[i] + _c[i] * w[i];
        return f;
    }

    public double[] Gradient(double[] w)
    {
        var g = new double[w.Length];
        for (int i = 0; i < w.Length; i++) g[i] = _a[i] * w[i] + _c[i];
        return g;
    }

    /// <summary>The minimiser, −c ⊘ a.</summary>
    public double[] Minimum => _c.Select((c, i) => -c / _a[i]).ToArray();
}

internal static class Close
{
    /// <summary>Asserts |actual − expected| ≤ tolerance·max(1, |expected|) element by element.</summary>
    public static void ShouldBeCloseTo(this double[] actual, double[] expected, double tolerance, string because = "")
    {
        actual.Length.Should().Be(expected.Length);
        for (int i = 0; i < actual.Length; i++)
            Math.Abs(actual[i] - expected[i]).Should().BeLessThanOrEqualTo(tolerance * Math.Max(1, Math.Abs(expected[i])),
                $"element {i}: {actual[i]:R} vs {expected[i]:R} {because}");
    }
}
