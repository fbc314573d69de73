using System.Numerics;

namespace NeuralNets.Tests.Kernels;

/// <summary>Inputs for the optimizer kernels' bit-for-bit tests, and how results are compared.</summary>
public static class StepInputs
{
    /// <summary>Empty, one element, shorter than every vector, a vector and a bit, and long with a tail at every width.</summary>
    public static readonly int[] Lengths = [0, 1, 7, 17, 1000 + 3];

    /// <summary>Every length, with and without the L2 term.</summary>
    public static TheoryData<int, bool> LengthsAndDecay()
    {
        var data = new TheoryData<int, bool>();
        foreach (int length in Lengths)
        {
            data.Add(length, false);
            data.Add(length, true);
        }
        return data;
    }

    /// <summary>
    /// Ordinary values over ten orders of magnitude, about one in four replaced by an extreme: NaN, ±∞, ±0, subnormals,
    /// ±the largest finite value. The NaN is .NET's (the x86 default NaN), the one every invalid operation makes, so
    /// every NaN in a run has the same bits, whichever operand an instruction takes its NaN from.
    /// </summary>
    public static T[] Values<T>(Random random, int length, bool nonNegative = false) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T largest = typeof(T) == typeof(float) ? (T)(object)float.MaxValue : (T)(object)double.MaxValue;
        T[] extremes =
        [
            T.NaN, T.PositiveInfinity, T.NegativeInfinity, T.Zero, T.NegativeZero,
            T.Epsilon, -T.Epsilon, T.Epsilon * T.CreateTruncating(12345), largest, -largest,
        ];
        var values = new T[length];
        for (int i = 0; i < length; i++)
        {
            T value = random.Next(4) == 0
                ? extremes[random.Next(extremes.Length)]
                : T.CreateTruncating((random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-6, 4)));
            values[i] = nonNegative && !T.IsNaN(value) ? T.Abs(value) : value;
        }
        return values;
    }

    /// <summary>Each value's bits, NaN payloads included: the same operations give the same NaN.</summary>
    public static long[] Bits<T>(T[] values) where T : unmanaged =>
        values.Select(value => typeof(T) == typeof(float) ? BitConverter.SingleToInt32Bits((float)(object)value) : BitConverter.DoubleToInt64Bits((double)(object)value)).ToArray();

    /// <summary>Asserts that <paramref name="actual"/> has the bits of <paramref name="expected"/>.</summary>
    public static void ShouldHaveBitsOf<T>(this T[] actual, T[] expected, string what) where T : unmanaged =>
        Bits(actual).Should().Equal(Bits(expected), what);

    /// <summary>Copies of every array, for one run of a kernel.</summary>
    public static T[][] Copies<T>(params T[][] arrays) => arrays.Select(a => (T[])a.Clone()).ToArray();
}
