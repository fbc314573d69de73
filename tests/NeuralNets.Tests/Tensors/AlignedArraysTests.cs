using System.Runtime.CompilerServices;
using NeuralNets.Kernels;
using NeuralNets.Tensors;

namespace NeuralNets.Tests.Tensors;

public class AlignedArraysTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(100_000)] // large enough for the large object heap
    public void Allocate_FloatAndDouble_StartOnACacheLineZeroedAndExactlyLong(int length)
    {
        for (int i = 0; i < 20; i++)
        {
            var floats = AlignedArrays.Allocate<float>(length);
            var doubles = AlignedArrays.Allocate<double>(length);
            Address(floats.AsSpan()).Should().Be(0, "each float array must start on a 64-byte boundary");
            Address(doubles.AsSpan()).Should().Be(0, "each double array must start on a 64-byte boundary");
            floats.Count.Should().Be(length);
            doubles.Count.Should().Be(length);
            floats.AsSpan().ToArray().Should().OnlyContain(v => v == 0);
        }
    }

    [Fact]
    public void Allocate_ElementThatCannotBeAligned_GetsAPlainArray()
    {
        var strings = AlignedArrays.Allocate<string>(3);
        strings.Offset.Should().Be(0);
        strings.Count.Should().Be(3);
        var triples = AlignedArrays.Allocate<(byte, byte, byte)>(5);
        triples.Count.Should().Be(5);
    }

    [Fact]
    public void ParametersAndLayerOutputs_StartOnACacheLine()
    {
        var network = Network.Sequential<float>(1, 6, 6).Conv2D(3, kernel: 3).ReLU().Flatten().Dense(5).Sigmoid().Dense(3).Build(seed: 1);
        foreach (var parameter in network.Parameters)
        {
            Address(parameter.ValueSpan).Should().Be(0, $"{parameter.Name}'s values must start on a cache line");
            Address(parameter.GradientSpan).Should().Be(0, $"{parameter.Name}'s gradient must start on a cache line");
        }
        var input = TensorMemory.Wrap(new float[2 * 36], [2, 1, 6, 6]);
        var buffer = new TensorBuffer<float>();
        Address(buffer.Get(3, [5]).Span()).Should().Be(0);
        Address(buffer.Get(1, [7]).Span()).Should().Be(0);
        // Every layer's output and input gradient comes from a TensorBuffer.
        foreach (var layer in network.Layers)
        {
            var output = layer.Forward(input, training: true);
            Address(output.Span()).Should().Be(0, $"{layer.GetType().Name}'s output must start on a cache line");
            input = output;
        }
    }

    private static unsafe long Address<T>(Span<T> span) where T : unmanaged
    {
        fixed (T* p = span) return (nint)p % AlignedArrays.Alignment;
    }
}
