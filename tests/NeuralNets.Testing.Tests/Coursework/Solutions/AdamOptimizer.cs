using NeuralNets;

namespace Coursework;

/// <summary>Reference solution: Adam with bias-corrected moments m̂ and v̂, w ← w − η·m̂/(√v̂ + ε).</summary>
public sealed partial class AdamOptimizer
{
    private double[][]? _m;
    private double[][]? _v;
    private int _t;

    public double Step(Func<double> evaluate)
    {
        _m ??= Zeros();
        _v ??= Zeros();
        double loss = evaluate();
        _t++;
        for (int k = 0; k < Parameters.Count; k++)
        {
            Span<double> w = Parameters[k].ValueSpan, g = Parameters[k].GradientSpan;
            for (int i = 0; i < w.Length; i++)
            {
                _m[k][i] = Beta1 * _m[k][i] + (1 - Beta1) * g[i];
                _v[k][i] = Beta2 * _v[k][i] + (1 - Beta2) * g[i] * g[i];
                double mHat = _m[k][i] / (1 - Math.Pow(Beta1, _t));
                double vHat = _v[k][i] / (1 - Math.Pow(Beta2, _t));
                w[i] -= LearningRate * mHat / (Math.Sqrt(vHat) + Epsilon);
            }
        }
        return loss;
    }

    // State starts at zero, one array per parameter.
    private double[][] Zeros() => Parameters.Select(p => new double[p.Length]).ToArray();
}
