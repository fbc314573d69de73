namespace NeuralNets.Testing.Tests.Optimizers.Students;

/// <summary>Adam written with √(v̂ + ε) instead of √v̂ + ε (β1 = 0.9, β2 = 0.999, ε = 1e-8).</summary>
internal sealed class AdamEpsilonInsideRoot(IReadOnlyList<Parameter<double>> parameters, double learningRate)
    : StudentElementwise<double>(parameters, learningRate)
{
    private int _t;

    protected override void BeginStep() => _t++;

    protected override void Update(ref double w, double g, ref double m, ref double v)
    {
        m = 0.9 * m + 0.1 * g;
        v = 0.999 * v + 0.001 * g * g;
        double mHat = m / (1 - Math.Pow(0.9, _t)), vHat = v / (1 - Math.Pow(0.999, _t));
        w -= LearningRate * mHat / Math.Sqrt(vHat + 1e-8);
    }
}
