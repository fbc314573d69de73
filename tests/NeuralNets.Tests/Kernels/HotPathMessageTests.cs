using System.Reflection;
using System.Runtime.CompilerServices;
using NeuralNets.Layers;

namespace NeuralNets.Tests.Kernels;

/// <summary>
/// A method compiled fully optimised at its first call (<c>HotPath</c>) calls nothing that formats text (interpolation,
/// string formatting and joining, a number written as text): its error messages are formatted in methods of their own
/// (PassShapes, KernelErrors, PassOrder and the types' throw helpers), so that the first training step does not compile
/// formatting only a caller's mistake runs (benchmarks/README.md, "the thirty-seventh session").
/// </summary>
public class HotPathMessageTests
{
    [Fact]
    public void MarkedMethods_FormatNoMessageInline()
    {
        var marked = IlCalls.MethodsOf(typeof(ILayer<>).Assembly)
            .Where(method => (method.MethodImplementationFlags & MethodImplAttributes.AggressiveOptimization) != 0)
            .ToArray();

        marked.Should().HaveCountGreaterThan(300, "the kernels, the passes and their helpers are marked");
        var formatting = marked
            .SelectMany(method => IlCalls.Callees(method).Where(Formats).Select(callee => $"{method.DeclaringType!.Name}.{method.Name} calls {callee.DeclaringType!.Name}.{callee.Name}"))
            .Distinct()
            .ToArray();
        formatting.Should().BeEmpty("a marked method's messages are built in a method of its own");
    }

    [Fact]
    public void TheScan_FindsFormattingInline()
    {
        // The scan itself, on a method of this class that formats inline: an empty list above means something.
        var method = typeof(HotPathMessageTests).GetMethod(nameof(FormatsInline), BindingFlags.NonPublic | BindingFlags.Static)!;
        IlCalls.Callees(method).Where(Formats).Should().NotBeEmpty();
        var numbers = typeof(HotPathMessageTests).GetMethod(nameof(WritesNumbersInline), BindingFlags.NonPublic | BindingFlags.Static)!;
        IlCalls.Callees(numbers).Where(Formats).Select(callee => callee.DeclaringType!.Name).Should()
            .Contain(["FormattableStringFactory", "Double", "StringBuilder"], "each way of writing a number is found");
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static string FormatsInline(int count) => $"{count} values";

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static string WritesNumbersInline(double value, System.Text.StringBuilder text) =>
        FormattableString.Invariant($"{value}") + value.ToString(System.Globalization.CultureInfo.InvariantCulture) + text.Append(value);

    /// <summary>
    /// Whether <paramref name="callee"/> formats or joins text: any interpolated-string handler, string's own formatting and
    /// joining, <see cref="FormattableString"/>, <see cref="System.Text.StringBuilder"/>, <see cref="Convert"/>'s text, or a
    /// number written as text. A layer's own <c>ToString()</c> (its name, passed to a helper) is not formatting here.
    /// </summary>
    private static bool Formats(MethodBase callee)
    {
        var type = callee.DeclaringType!;
        if (type.Name.EndsWith("InterpolatedStringHandler", StringComparison.Ordinal)) return true;
        if (type == typeof(string)) return callee.Name is "Format" or "Concat" or "Join" or "Create";
        if (type == typeof(FormattableString) || type == typeof(FormattableStringFactory) || type == typeof(System.Text.StringBuilder)) return true;
        if (type == typeof(Convert)) return callee.Name == "ToString";
        return (type.IsPrimitive || type == typeof(decimal) || type == typeof(Half)) && callee.Name is "ToString" or "TryFormat";
    }
}
