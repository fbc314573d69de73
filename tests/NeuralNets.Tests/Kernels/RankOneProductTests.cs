using NeuralNets.Kernels;

namespace NeuralNets.Tests.Kernels;

/// <summary>A product over k = 1 (a weight gradient at batch 1) is computed row by row; each element must be the tiles' arithmetic.</summary>
[Collection(NarrowedWidth.Name)]
public class RankOneProductTests
{
    [Theory]
    [InlineData(false, false)]
    [InlineData(false, true)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public void Compute_KOne_EachElementIsOneMultiplyAddFromZero_ThenStoredOrAdded_AtEveryWidth(bool unfused, bool accumulate)
    {
        // 37 rows and 45 columns: partial vectors at every width; a zero row and a negative column make products of −0,
        // which the multiply-add from +0 turns into +0.
        const int m = 37, n = 45;
        var random = new Random(17);
        var a = Enumerable.Range(0, m).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        var b = Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        a[3] = 0f;
        b[5] = -1f;
        var initial = Enumerable.Range(0, m * n).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        foreach (bool transposeB in new[] { false, true })
            foreach (var (bits, c) in NarrowedWidth.AtEveryWidth(() =>
            {
                var c = (float[])initial.Clone();
                MatrixMultiply.Compute<float>(a, false, b, transposeB, c, m, n, 1, accumulate, maxThreads: 2, parallelThreshold: 0);
                return c;
            }, unfused))
            {
                bool separate = unfused || !KernelWidth.HardwareFma;
                for (int i = 0; i < m; i++)
                    for (int j = 0; j < n; j++)
                    {
                        float s = separate ? a[i] * b[j] + 0f : MathF.FusedMultiplyAdd(a[i], b[j], 0f);
                        float expected = accumulate ? initial[i * n + j] + s : s;
                        BitConverter.SingleToInt32Bits(c[i * n + j]).Should().Be(BitConverter.SingleToInt32Bits(expected),
                            $"element ({i}, {j}), {bits} bits, transposeB={transposeB}");
                    }
            }
    }
}
