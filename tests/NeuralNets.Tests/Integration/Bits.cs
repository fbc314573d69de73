using System.Numerics;

namespace NeuralNets.Tests.Integration;

/// <summary>Values as the bits of their doubles, for comparing results bit for bit: −0 apart from +0, every NaN alike.</summary>
internal static class Bits
{
    public static long[] Of<T>(T[] values) where T : unmanaged, IFloatingPointIeee754<T> =>
        values.Select(v => T.IsNaN(v) ? long.MinValue + 1 : BitConverter.DoubleToInt64Bits(double.CreateTruncating(v))).ToArray();
}
