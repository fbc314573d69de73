using NeuralNets;

namespace Coursework;

/// <summary>Reference solution: the lecture's Adagrad, G ← G + g⊙g; w ← w − η/√(G + ε) ⊙ g.</summary>
public sealed partial class AdagradOptimizer
{
    private double[][]? _sum;

    public double Step(Func<double> evaluate)
    {
        _sum ??= Zeros();
        double loss = evaluate();
        for (int k = 0; k < Parameters.Count; k++)
        {
            Span<double> w = Parameters[k].ValueSpan, g = Parameters[k].GradientSpan;
            for (int i = 0; i < w.Length; i++)
            {
                _sum[k][i] += g[i] * g[i];
                w[i] -= LearningRate / Math.Sqrt(_sum[k][i] + Epsilon) * g[i];
            }
        }
        return loss;
    }

    // State starts at zero, one array per parameter.
    private double[][] Zeros() => Parameters.Select(p => new double[p.Length]).ToArray();
}
