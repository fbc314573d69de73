namespace NeuralNets.Testing.Tests.Optimizers.Students;

/// <summary>The per-parameter part of Adam that the students' variants share, written right (β1 = 0.9, β2 = 0.999, ε = 1e-8), so each variant differs from the rule in its one slip only.</summary>
internal static class StudentAdam
{
    public static void Update(Parameter<double> parameter, double[] m, double[] v, int t, double learningRate)
    {
        Span<double> w = parameter.ValueSpan, g = parameter.GradientSpan;
        for (int i = 0; i < w.Length; i++)
        {
            m[i] = 0.9 * m[i] + 0.1 * g[i];
            v[i] = 0.999 * v[i] + 0.001 * g[i] * g[i];
            double mHat = m[i] / (1 - Math.Pow(0.9, t)), vHat = v[i] / (1 - Math.Pow(0.999, t));
            w[i] -= learningRate * mHat / (Math.Sqrt(vHat) + 1e-8);
        }
    }
}
