using System.Numerics;
using NeuralNets.Kernels;

namespace NeuralNets.Tests.Kernels;

/// <summary>
/// The short rows' maxima, shifts, sums and scalings, four rows side by side, are the same bits as one row at a time in
/// the row's own order (the loops softmax cross-entropy ran before): for every row count (whole groups of four and the
/// rows left over), row lengths of 1 to 15, ties of +0 and −0 (whose maximum depends on the order), NaN and infinities.
/// </summary>
public class ShortRowReductionsTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(10)]
    [InlineData(15)]
    public void EveryPass_EveryRowCount_SameBitsAsOneRowAtATime(int classes)
    {
        for (int rows = 0; rows <= 11; rows++)
        {
            Check<float>(rows, classes, seed: rows);
            Check<double>(rows, classes, seed: rows);
        }
        Check<float>(256, classes, seed: 99);
    }

    [Fact]
    public void SignedZerosAndNaN_SameBitsAsOneRowAtATime()
    {
        // Rows whose maximum is a tie of +0 and −0 in either order, a NaN first, last or between, infinities of either sign.
        float[][] rows =
        [
            [0f, -0f, -1f], [-0f, 0f, -1f], [-2f, -0f, 0f], [float.NaN, 1f, 2f], [1f, float.NaN, 2f], [1f, 2f, float.NaN],
            [float.PositiveInfinity, 1f, 0f], [float.NegativeInfinity, float.NegativeInfinity, -1f], [-0f, -0f, -0f],
        ];
        float[] z = rows.SelectMany(row => row).ToArray();
        CheckAll<float>(z, rows.Length, 3);
    }

    [Fact]
    public void SpansTooShort_SayHowManyRowsOfWhat()
    {
        var act = () => ShortRowReductions.Sums<float>(new float[29], 10, new float[3]);
        act.Should().Throw<ArgumentException>().WithMessage("3 rows of 10 do not fit*29*");
    }

    private static void Check<T>(int rows, int classes, int seed) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(seed);
        var z = new T[rows * classes];
        for (int i = 0; i < z.Length; i++) z[i] = T.CreateChecked(random.NextDouble() * 20 - 10);
        CheckAll(z, rows, classes);
    }

    private static void CheckAll<T>(T[] z, int rows, int classes) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var maxima = new T[rows];
        var shifted = new T[rows * classes];
        ShortRowReductions.MaximaAndShifted<T>(z, classes, maxima, shifted);
        var sums = new T[rows];
        ShortRowReductions.Sums<T>(shifted, classes, sums);
        var scaled = new T[rows * classes];
        T numerator = T.One / T.CreateChecked(7);
        ShortRowReductions.ScaledByInverseSums<T>(shifted, classes, sums, numerator, scaled);

        for (int n = 0; n < rows; n++)
        {
            T maximum = z[n * classes];
            for (int c = 1; c < classes; c++) maximum = T.MaxNative(maximum, z[n * classes + c]);
            Bits(maxima[n]).Should().Be(Bits(maximum), $"row {n}'s maximum");
            T sum = T.Zero;
            for (int c = 0; c < classes; c++)
            {
                T expected = z[n * classes + c] - maximum;
                Bits(shifted[n * classes + c]).Should().Be(Bits(expected), $"row {n}, class {c} shifted");
                sum += expected;
            }
            Bits(sums[n]).Should().Be(Bits(sum), $"row {n}'s sum");
            T factor = numerator / sum;
            for (int c = 0; c < classes; c++)
                Bits(scaled[n * classes + c]).Should().Be(Bits(shifted[n * classes + c] * factor), $"row {n}, class {c} scaled");
        }
    }

    private static long Bits<T>(T value) where T : unmanaged, IFloatingPointIeee754<T> =>
        typeof(T) == typeof(float) ? BitConverter.SingleToInt32Bits((float)(object)value) : BitConverter.DoubleToInt64Bits((double)(object)value);
}
