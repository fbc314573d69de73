using System.Numerics.Tensors;
using NeuralNets.Kernels;

namespace NeuralNets.Tests.Kernels;

public class ParallelRangesTests
{
    private readonly struct MarkRange(int[] marks) : IRangeOperation
    {
        public void Run(int start, int length)
        {
            for (int i = start; i < start + length; i++) Interlocked.Increment(ref marks[i]);
        }
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(100, 2)]
    [InlineData(16_384, 2)]
    [InlineData(50_001, 2)]
    [InlineData(50_001, 3)]
    [InlineData(100_352, 0)]
    [InlineData(5, 7)]
    public void Run_AnyLengthAndPartCount_CoversEveryElementOnce(int length, int parts)
    {
        var marks = new int[length];
        ParallelRanges.Run(new MarkRange(marks), length, parts);
        marks.Should().AllBeEquivalentTo(1);
    }

    [Fact]
    public void Start_InnerBoundaries_FallOnWholeCacheLines()
    {
        for (int parts = 2; parts <= 5; parts++)
            for (int part = 1; part < parts; part++)
                (ParallelRanges.Start(100_001, part, parts) % 16).Should().Be(0);
        ParallelRanges.Start(100_001, 3, 3).Should().Be(100_001);
    }

    private readonly struct Saxpy(float[] x, float[] y) : IRangeOperation
    {
        public void Run(int start, int length) =>
            TensorPrimitives.MultiplyAdd(x.AsSpan(start, length), -0.37f, y.AsSpan(start, length), y.AsSpan(start, length));
    }

    [Fact]
    public void Run_SplitThreeWays_BitIdenticalToOneRange()
    {
        const int length = 70_001;
        var random = new Random(3);
        var x = Enumerable.Range(0, length).Select(_ => (float)random.NextDouble()).ToArray();
        var y = Enumerable.Range(0, length).Select(_ => (float)random.NextDouble()).ToArray();
        var single = (float[])y.Clone();
        ParallelRanges.Run(new Saxpy(x, single), length, parts: 1);
        ParallelRanges.Run(new Saxpy(x, y), length, parts: 3);
        y.Should().Equal(single);
    }
}
