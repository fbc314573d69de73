using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace NeuralNets;

/// <summary>
/// The range checks of <see cref="ArgumentOutOfRangeException"/>'s <c>ThrowIf…</c> helpers, with the same conditions, whose
/// message gives the value in the invariant culture. .NET's helpers write it in the current culture, twice (in the message
/// and in the "Actual value was …" line the exception adds when given the value): "−3" under sv-SE, "0,5" under de-DE.
/// These pass no actual value, so the message is all there is, and it reads the same on every machine.
/// </summary>
internal static class ArgumentRange
{
    /// <summary>Throws when <paramref name="value"/> is negative.</summary>
    public static void ThrowIfNegative<T>(T value, [CallerArgumentExpression(nameof(value))] string? paramName = null) where T : INumberBase<T>
    {
        if (T.IsNegative(value)) Throw(paramName, "must be non-negative", value);
    }

    /// <summary>Throws when <paramref name="value"/> is negative or zero.</summary>
    public static void ThrowIfNegativeOrZero<T>(T value, [CallerArgumentExpression(nameof(value))] string? paramName = null) where T : INumberBase<T>
    {
        if (T.IsNegative(value) || T.IsZero(value)) Throw(paramName, "must be positive", value);
    }

    /// <summary>Throws when <paramref name="value"/> is less than <paramref name="other"/>.</summary>
    public static void ThrowIfLessThan<T>(T value, T other, [CallerArgumentExpression(nameof(value))] string? paramName = null) where T : IComparable<T>, IFormattable
    {
        if (value.CompareTo(other) < 0) Throw(paramName, "must be at least", other, value);
    }

    /// <summary>Throws when <paramref name="value"/> is greater than <paramref name="other"/>.</summary>
    public static void ThrowIfGreaterThan<T>(T value, T other, [CallerArgumentExpression(nameof(value))] string? paramName = null) where T : IComparable<T>, IFormattable
    {
        if (value.CompareTo(other) > 0) Throw(paramName, "must be at most", other, value);
    }

    /// <summary>Throws when <paramref name="value"/> is greater than or equal to <paramref name="other"/>.</summary>
    public static void ThrowIfGreaterThanOrEqual<T>(T value, T other, [CallerArgumentExpression(nameof(value))] string? paramName = null) where T : IComparable<T>, IFormattable
    {
        if (value.CompareTo(other) >= 0) Throw(paramName, "must be less than", other, value);
    }

    /// <summary>Throws unless 0 ≤ <paramref name="value"/> &lt; <paramref name="count"/>: an index into <paramref name="count"/> items.</summary>
    public static void ThrowIfNotIndex(int value, int count, [CallerArgumentExpression(nameof(value))] string? paramName = null)
    {
        if ((uint)value >= (uint)count) ThrowNotIndex(paramName, count, value);
    }

    // The messages are built apart from the checks, so that a caller's fully optimised code does not compile them (HotPath).
    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Throw<T>(string? paramName, string rule, T value) where T : IFormattable =>
        throw new ArgumentOutOfRangeException(paramName, string.Create(CultureInfo.InvariantCulture, $"{paramName} {rule}, but was {value}."));

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Throw<T>(string? paramName, string rule, T bound, T value) where T : IFormattable =>
        throw new ArgumentOutOfRangeException(paramName, string.Create(CultureInfo.InvariantCulture, $"{paramName} {rule} {bound}, but was {value}."));

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowNotIndex(string? paramName, int count, int value) =>
        throw new ArgumentOutOfRangeException(paramName, string.Create(CultureInfo.InvariantCulture, $"{paramName} must lie in [0, {count}), but was {value}."));
}
