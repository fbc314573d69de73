using NeuralNets.Kernels;

namespace NeuralNets.Tests.Kernels;

/// <summary>
/// A product given row sums of A (a dense layer's bias gradient beside its weight gradient) adds every row of op(A) to them
/// exactly once, in the order AddRows adds them, on every path the product takes (the packed kernel on one thread or the
/// team, with or without a transposed copy of A, k cut into pieces, the direct loops, an empty product), and leaves C as
/// the product alone computes it.
/// </summary>
public class MatrixMultiplyRowSumsTests
{
    [Theory]
    [InlineData(128, 784, 256)]  // a 784→128 layer at batch 256: the transposed copy of A, the team
    [InlineData(128, 784, 64)]
    [InlineData(10, 128, 256)]   // a 128→10 layer: A read in place
    [InlineData(3, 40, 17)]      // fewer rows than the packed kernel takes: the direct loops
    [InlineData(6, 25, 50176)]   // a small C over a deep k: cut into pieces
    [InlineData(70, 69, 67)]
    [InlineData(5, 0, 9)]        // no columns: no product, the sums still
    [InlineData(5, 7, 0)]        // nothing to add
    public void Compute_WithRowSumsOfA_AddsEveryRowOnceInOrder_AndLeavesTheProduct(int m, int n, int k)
    {
        var random = new Random(m + n + k);
        var a = Enumerable.Range(0, k * m).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        var b = Enumerable.Range(0, k * n).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        var start = Enumerable.Range(0, m).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        var product = new float[m * n];
        MatrixMultiply.Compute<float>(a, true, b, false, product, m, n, k, accumulate: false);
        // Added one row after another from the starting values: any other order of the same additions rounds differently.
        var inOrder = (float[])start.Clone();
        for (int p = 0; p < k; p++)
            for (int i = 0; i < m; i++) inOrder[i] += a[p * m + i];
        foreach (int threads in new[] { 1, 2, 3 })
        {
            var c = new float[m * n];
            var sums = (float[])start.Clone();
            MatrixMultiply.Compute<float>(a, true, b, false, c, m, n, k, accumulate: false, maxThreads: threads,
                parallelThreshold: threads == 1 ? long.MaxValue : 0, rowSumsOfA: sums);
            sums.Should().Equal(inOrder, $"{threads} threads");
            c.Should().Equal(product, $"{threads} threads");
        }
    }

    [Fact]
    public void Compute_WithRowSumsOfA_InDouble_MatchesAddRows()
    {
        const int m = 64, n = 200, k = 96;
        var random = new Random(5);
        var a = Enumerable.Range(0, k * m).Select(_ => random.NextDouble() - 0.5).ToArray();
        var b = Enumerable.Range(0, k * n).Select(_ => random.NextDouble() - 0.5).ToArray();
        var expected = new double[m];
        Elementwise.AddRows<double>(a, m, expected);
        var sums = new double[m];
        MatrixMultiply.Compute<double>(a, true, b, false, new double[m * n], m, n, k, accumulate: false, parallelThreshold: 0, rowSumsOfA: sums);
        sums.Should().Equal(expected);
    }

    [Fact]
    public void Compute_WithRowSumsOfA_OfTheWrongLength_OrANotTransposed_SaysSo()
    {
        var a = new float[12];
        var b = new float[12];
        var c = new float[9];
        var wrongLength = () => MatrixMultiply.Compute<float>(a, true, b, false, c, 3, 3, 4, accumulate: false, rowSumsOfA: new float[4]);
        wrongLength.Should().Throw<ArgumentException>().WithMessage("*Row sums of 4 elements for a product with 3 rows*");
        var notTransposed = () => MatrixMultiply.Compute<float>(a, false, b, false, c, 3, 3, 4, accumulate: false, rowSumsOfA: new float[3]);
        notTransposed.Should().Throw<ArgumentException>().WithMessage("*does not take A transposed*");
    }
}
