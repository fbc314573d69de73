using NeuralNets;

namespace Coursework;

/// <summary>Reference solution: the lecture's momentum, v ← γ·v + η·∇J(w); w ← w − v.</summary>
public sealed partial class MomentumOptimizer
{
    private double[][]? _v;

    public double Step(Func<double> evaluate)
    {
        _v ??= Zeros();
        double loss = evaluate();
        for (int k = 0; k < Parameters.Count; k++)
        {
            Span<double> w = Parameters[k].ValueSpan, g = Parameters[k].GradientSpan;
            for (int i = 0; i < w.Length; i++)
            {
                _v[k][i] = Gamma * _v[k][i] + LearningRate * g[i];
                w[i] -= _v[k][i];
            }
        }
        return loss;
    }

    // State starts at zero, one array per parameter.
    private double[][] Zeros() => Parameters.Select(p => new double[p.Length]).ToArray();
}
