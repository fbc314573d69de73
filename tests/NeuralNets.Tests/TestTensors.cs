using System.Numerics;
using System.Numerics.Tensors;

namespace NeuralNets.Tests;

/// <summary>Seeded tensors for tests.</summary>
internal static class TestTensors
{
    public static Tensor<T> Random<T>(int seed, params int[] shape) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(seed);
        long count = 1;
        foreach (int d in shape) count *= d;
        var values = new T[count];
        for (int i = 0; i < values.Length; i++) values[i] = T.CreateChecked(random.NextDouble() * 2 - 1);
        return Create(values, shape);
    }

    public static Tensor<T> Create<T>(T[] values, params int[] shape)
    {
        var lengths = shape.Select(d => (nint)d).ToArray();
        return Tensor.Create(values, lengths);
    }

    public static T[] ToArray<T>(this Tensor<T> tensor)
    {
        var values = new T[tensor.FlattenedLength];
        tensor.FlattenTo(values);
        return values;
    }
}
