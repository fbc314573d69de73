using NeuralNets.Kernels;

namespace NeuralNets.Tests.Kernels;

/// <summary>
/// An epilogue given to the product (a dense layer's fused activation in inference, the activation's derivative on its input
/// gradient in training) reaches every element of C exactly once, after its sum is final, told where in C each run starts,
/// on every path: row-dot chunks on the team, packed chunks of whole rows, k cut into pieces, the packed kernel's other
/// chunks, and on every thread count.
/// </summary>
public class MatrixMultiplyEpilogueTests
{
    [Theory]
    [InlineData(64, 128, 784, true)]  // row-dot chunks, split across the team
    [InlineData(64, 128, 784, false)] // the packed kernel: applied to the whole of C afterwards
    [InlineData(256, 128, 10, false)] // a dense layer's input gradient: packed chunks of whole rows, each applied as it finishes
    [InlineData(64, 128, 10, false)]
    [InlineData(1, 10, 784, true)]    // one row
    [InlineData(6, 25, 50176, true)]  // a small C over a deep k: cut into pieces, summed, then applied
    [InlineData(70, 69, 67, true)]
    public void Compute_WithEpilogue_AppliesItOnceToEveryFinalElement(int m, int n, int k, bool transposeB)
    {
        var random = new Random(m + n + k);
        var a = Enumerable.Range(0, m * k).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        var b = Enumerable.Range(0, k * n).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        var bias = Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        var expected = new float[m * n];
        MatrixMultiply.Compute<float>(a, false, b, transposeB, expected, m, n, k, accumulate: false, bias: bias);
        for (int i = 0; i < expected.Length; i++) expected[i] = Epilogue(expected[i], i);
        foreach (int threads in new[] { 1, 2, 3 })
        {
            var c = new float[m * n];
            MatrixMultiply.Compute<float>(a, false, b, transposeB, c, m, n, k, accumulate: false, maxThreads: threads, parallelThreshold: 0,
                bias: bias, epilogue: new SquarePlusOne());
            c.Should().Equal(expected, $"{threads} threads");
        }
    }

    [Theory]
    [InlineData(256, 128, 10, true)]   // a dense layer's input gradient: packed chunks of whole rows
    [InlineData(64, 300, 10, true)]
    [InlineData(64, 256, 70, false)]   // a wide layer's: column chunks, so the caller applies its work itself
    [InlineData(2, 128, 10, false)]    // too few rows for the packed kernel
    [InlineData(6, 25, 50176, false)]  // k cut into pieces
    public void ComputeWithChunkEpilogue_AppliesItToEveryElementOnceOrNotAtAll_AndSaysWhich(int m, int n, int k, bool byChunks)
    {
        var random = new Random(m + n + k);
        var a = Enumerable.Range(0, m * k).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        var b = Enumerable.Range(0, k * n).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        var product = new float[m * n];
        MatrixMultiply.Compute<float>(a, false, b, false, product, m, n, k, accumulate: false);
        foreach (int threads in new[] { 1, 2 })
        {
            var c = new float[m * n];
            bool applied = MatrixMultiply.ComputeWithChunkEpilogue<float>(a, false, b, false, c, m, n, k, accumulate: false,
                parallelThreshold: threads == 1 ? long.MaxValue : 0, new SquarePlusOne());
            applied.Should().Be(byChunks, $"{threads} threads");
            c.Should().Equal(applied ? product.Select(Epilogue).ToArray() : product, $"{threads} threads");
        }
    }

    // Not idempotent: applied twice, or before the sum is final, it gives another number; and it depends on the element's
    // place in C, so a run given with the wrong start gives other numbers too.
    private static float Epilogue(float x, int index) => x * x + 1 + index % 7;

    private sealed class SquarePlusOne : IRowsEpilogue<float>
    {
        public void Apply(Span<float> values, int start)
        {
            for (int i = 0; i < values.Length; i++) values[i] = Epilogue(values[i], start + i);
        }
    }
}
