using System.Numerics.Tensors;
using NeuralNets.Data;
using NeuralNets.Layers;

namespace NeuralNets.Outside.Tests.Components;

/// <summary>A seeded regression problem and a network built of the outside components.</summary>
public static class OutsideData
{
    /// <summary>Inputs uniform in [−1, 1); target <c>x₀ − ½x₁ + x₂²</c>, one column.</summary>
    public static Dataset<float> Regression(int samples, int features, int seed)
    {
        var random = new Random(seed);
        var x = new float[samples * features];
        var y = new float[samples];
        for (int i = 0; i < x.Length; i++) x[i] = (float)(2 * random.NextDouble() - 1);
        for (int n = 0; n < samples; n++)
            y[n] = x[n * features] - 0.5f * x[n * features + 1] + x[n * features + 2] * x[n * features + 2];
        return new Dataset<float>(Tensor.Create(x, [samples, features]), Tensor.Create(y, [samples, 1]));
    }

    /// <summary>Dense → Swish → ScaleShift → Dense, wide enough (hidden × batch 64 ≥ 8192) that the activation and the scale split across threads.</summary>
    public static Sequential<float> Network(int features, int hidden, int seed) =>
        new([features], new Dense<float>(features, hidden, seed), new Swish<float>(beta: 1.5), new ScaleShift<float>(hidden), new Dense<float>(hidden, 1, seed + 1));

    public static Tensor<float> Inputs(int samples, int features, int seed)
    {
        var random = new Random(seed);
        var x = new float[samples * features];
        for (int i = 0; i < x.Length; i++) x[i] = (float)(2 * random.NextDouble() - 1);
        return Tensor.Create(x, [samples, features]);
    }
}
