using NeuralNets;

namespace Coursework;

/// <summary>Reference solution: Nesterov, v ← γ·v + η·∇J(w − γ·v); w ← w − v, the gradient taken at the look-ahead point.</summary>
public sealed partial class NesterovOptimizer
{
    private double[][]? _v;

    public double Step(Func<double> evaluate)
    {
        _v ??= Zeros();
        var saved = Parameters.Select(p => p.ValueSpan.ToArray()).ToArray();
        for (int k = 0; k < Parameters.Count; k++)
            for (int i = 0; i < saved[k].Length; i++) Parameters[k].ValueSpan[i] = saved[k][i] - Gamma * _v[k][i];
        double loss = evaluate();
        for (int k = 0; k < Parameters.Count; k++)
        {
            Span<double> w = Parameters[k].ValueSpan, g = Parameters[k].GradientSpan;
            for (int i = 0; i < w.Length; i++)
            {
                _v[k][i] = Gamma * _v[k][i] + LearningRate * g[i];
                w[i] = saved[k][i] - _v[k][i];
            }
        }
        return loss;
    }

    // State starts at zero, one array per parameter.
    private double[][] Zeros() => Parameters.Select(p => new double[p.Length]).ToArray();
}
