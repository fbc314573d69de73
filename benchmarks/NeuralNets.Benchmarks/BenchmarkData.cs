using NeuralNets.Tensors;
using System.Numerics.Tensors;

namespace NeuralNets.Benchmarks;

/// <summary>Seeded inputs shared by the NeuralNets and TorchSharp sides of a benchmark.</summary>
internal static class BenchmarkData
{
    public static float[] Uniform(int count, int seed, float low = -1, float high = 1)
    {
        var random = new Random(seed);
        var values = new float[count];
        for (int i = 0; i < count; i++) values[i] = low + (high - low) * (float)random.NextDouble();
        return values;
    }

    public static float[] Labels(int count, int classes, int seed)
    {
        var random = new Random(seed);
        var values = new float[count];
        for (int i = 0; i < count; i++) values[i] = random.Next(classes);
        return values;
    }

    public static Tensor<float> Wrap(float[] values, params int[] shape) => TensorMemory.Wrap(values, shape);
}
