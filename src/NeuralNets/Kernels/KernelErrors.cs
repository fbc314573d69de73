using System.Globalization;
using System.Runtime.CompilerServices;

namespace NeuralNets.Kernels;

/// <summary>
/// The errors of a kernel handed spans that do not fit, built in methods of their own: the kernels are compiled fully
/// optimised at their first call (<see cref="HotPath"/>), and formatting the message inline in each of them compiled code
/// that only a caller's mistake runs.
/// </summary>
internal static class KernelErrors
{
    /// <summary><paramref name="operation"/> (as the message's first words) of <paramref name="values"/> values was given an output span of <paramref name="spanLength"/>.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static ArgumentException OutputTooShort(string operation, int values, int spanLength) =>
        new(string.Create(CultureInfo.InvariantCulture, $"{operation} of {values} values into a span of {spanLength}."));

    /// <summary>Spans of these <paramref name="lengths"/> do not fit: <paramref name="format"/>, its numbers written culture-invariantly.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static ArgumentException Lengths(string format, params ReadOnlySpan<int> lengths) => new(Text(format, lengths));

    /// <summary>As <see cref="Lengths"/>, naming the <paramref name="parameter"/> that does not fit.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static ArgumentException LengthOf(string parameter, string format, params ReadOnlySpan<int> lengths) => new(Text(format, lengths), parameter);

    private static string Text(string format, ReadOnlySpan<int> lengths)
    {
        var values = new object[lengths.Length];
        for (int i = 0; i < values.Length; i++) values[i] = lengths[i];
        return string.Format(CultureInfo.InvariantCulture, format, values);
    }
}
