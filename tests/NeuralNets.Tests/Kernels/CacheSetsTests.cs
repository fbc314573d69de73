using NeuralNets.Kernels;
using NeuralNets.Tensors;

namespace NeuralNets.Tests.Kernels;

/// <summary>
/// Rows read in place that would crowd a few of the L1 cache's sets (a whole kilobyte apart, or a few bytes short of a page)
/// are packed instead where enough rows of A read them; every other B within the TLB's reach is still read in place, and the
/// sums are the same either way.
/// </summary>
public class CacheSetsTests
{
    [Theory]
    [InlineData(4096, 64, 256)]   // a 1024-wide layer's input: every row on the same four sets
    [InlineData(2048, 64, 256)]   // 512 wide: two groups of sets
    [InlineData(1024, 64, 256)]   // 256 wide
    [InlineData(3072, 64, 256)]   // 768 wide: four groups
    [InlineData(4080, 64, 256)]   // four bytes a column short of a page: each row a quarter of a line before the last
    [InlineData(4096, 9, 64)]     // nine rows on one set of eight ways
    [InlineData(8192, 64, 16384)] // rows wider than the page cover every set several times over
    public void Crowded_RowsThatMeetOnFewSets(long rowBytes, int rows, int widthBytes) =>
        CacheSets.Crowded(rowBytes, rows, widthBytes).Should().BeTrue();

    [Theory]
    [InlineData(3136, 64, 256)]   // a 784-input layer's input: every row on sets of its own
    [InlineData(4000, 64, 256)]
    [InlineData(512, 64, 512)]    // a 128-wide layer's input: eight rows a page, eight lines a set, exactly the ways
    [InlineData(4096, 8, 256)]    // eight rows fit the eight ways
    [InlineData(4096, 64, 0)]
    public void Crowded_RowsSpreadOverTheSets_IsFalse(long rowBytes, int rows, int widthBytes) =>
        CacheSets.Crowded(rowBytes, rows, widthBytes).Should().BeFalse();

    [Fact]
    public void Crowded_AskedAgain_GivesTheSameAnswer()
    {
        for (int round = 0; round < 3; round++)
        {
            CacheSets.Crowded(4096, 64, 256).Should().BeTrue();
            CacheSets.Crowded(3136, 64, 256).Should().BeFalse();
        }
    }

    [Fact]
    public unsafe void Problem_ReadsBInPlace_UnlessItsRowsCrowdTheSetsAndManyRowsReadThem()
    {
        var buffer = AlignedArrays.Allocate<float>(64 * 1024);
        fixed (float* start = buffer.AsSpan())
        {
            // A weight gradient dyᵀ·x at batch 64: B is x, 64 rows of the layer's inputs.
            new GemmProblem<float>(start, true, start, false, start, 128, 1024, 64, accumulate: false).ReadsBInPlace.Should().BeFalse("1024 inputs");
            new GemmProblem<float>(start, true, start, false, start, 128, 1000, 64, accumulate: false).ReadsBInPlace.Should().BeTrue("1000 inputs");
            new GemmProblem<float>(start, true, start, false, start, 128, 784, 64, accumulate: false).ReadsBInPlace.Should().BeTrue("784 inputs");
            new GemmProblem<float>(start, true, start, false, start, 10, 1024, 64, accumulate: false).ReadsBInPlace
                .Should().BeTrue("ten rows of A read each block twice; packing it costs more than the crowding");
        }
    }

    [Theory]
    [InlineData(64, 1024, 60)]  // k = 64 with a line more per row would pass the TLB's reach
    [InlineData(40, 256, 64)]
    [InlineData(33, 512, 20)]
    public unsafe void Compute_PackedForCrowdedRows_SameBitsAsReadInPlace(int m, int n, int k)
    {
        // The same B with sixteen more columns per row (a line more: its rows no longer crowd the sets, so it is read in
        // place), against the B whose rows do: every element of C is summed the same way.
        const int extra = 16;
        var scratch = AlignedArrays.Allocate<float>(k * (n + extra));
        fixed (float* p0 = scratch.AsSpan())
        {
            new GemmProblem<float>(p0, true, p0, false, p0, m, n, k, accumulate: false).ReadsBInPlace.Should().BeFalse("the premise: packed");
            new GemmProblem<float>(p0, true, p0, false, p0, m, n + extra, k, accumulate: false).ReadsBInPlace.Should().BeTrue("the premise: in place");
        }
        var random = new Random(m + n + k);
        var a = Enumerable.Range(0, k * m).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        var b = Enumerable.Range(0, k * n).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        var wider = new float[k * (n + extra)];
        for (int p = 0; p < k; p++) b.AsSpan(p * n, n).CopyTo(wider.AsSpan(p * (n + extra), n));
        var packed = new float[m * n];
        MatrixMultiply.Compute<float>(a, true, b, false, packed, m, n, k, accumulate: false);
        var inPlace = new float[m * (n + extra)];
        MatrixMultiply.Compute<float>(a, true, wider, false, inPlace, m, n + extra, k, accumulate: false);
        for (int i = 0; i < m; i++)
            packed.AsSpan(i * n, n).ToArray().Should().Equal(inPlace.AsSpan(i * (n + extra), n).ToArray(), $"row {i}");
    }
}
