using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text;

namespace NeuralNets.Tests;

/// <summary>
/// No method of the library (or of NeuralNets.Testing) writes a number (or anything else that formats by culture) with the current culture:
/// every message, report and file reads the same on every machine. The globalization analysers (CA1305 and kin) catch
/// <c>ToString</c>, <c>string.Format</c> and <c>StringBuilder</c> without a culture, not string interpolation, which the
/// compiler turns into a handler that uses the current culture unless given one; this scan reads the compiled code.
/// </summary>
public class CurrentCultureScanTests
{
    [Fact]
    public void Library_FormatsNothingWithTheCurrentCulture()
    {
        var assemblies = new[] { typeof(Network).Assembly, typeof(NeuralNets.Testing.NeuralNetsAssertionExtensions).Assembly };
        var found = assemblies.SelectMany(IlCalls.MethodsOf).SelectMany(method => CurrentCultureFormatting(method).Select(what => $"{IlCalls.NameOf(method)}: {what}"))
            .Distinct().Order(StringComparer.Ordinal).ToArray();
        found.Should().BeEmpty("text is written with the invariant culture (string.Create(CultureInfo.InvariantCulture, $\"…\")), but {0} places do not:\n{1}", found.Length, string.Join("\n", found));
    }

    [Fact]
    public void TheScan_FindsEachWayOfUsingTheCurrentCulture()
    {
        var method = typeof(CurrentCultureScanTests).GetMethod(nameof(WritesWithTheCurrentCulture), BindingFlags.NonPublic | BindingFlags.Static)!;
        CurrentCultureFormatting(method).Should().BeEquivalentTo(
            ["interpolates a Double without a culture", "interpolates a Int32 without a culture", "Int32.ToString without a culture", "StringBuilder.Append(Double)", "interpolates a Int32 without a culture"],
            "the interpolation's two holes, the number's ToString, the builder's Append and the builder's own interpolation");
        var checks = typeof(CurrentCultureScanTests).GetMethod(nameof(ChecksWithTheCurrentCulture), BindingFlags.NonPublic | BindingFlags.Static)!;
        CurrentCultureFormatting(checks).Should().BeEquivalentTo(
            ["ArgumentOutOfRangeException.ThrowIfNegative", "ArgumentOutOfRangeException with an actual value", "String.Join of Int32", "interpolates a (Double, Int32) without a culture", "interpolates a T without a culture"]);
        var clean = typeof(CurrentCultureScanTests).GetMethod(nameof(WritesInvariantly), BindingFlags.NonPublic | BindingFlags.Static)!;
        CurrentCultureFormatting(clean).Should().BeEmpty();
    }

#pragma warning disable CA1305 // the scan's own examples of what it finds
    private static string WritesWithTheCurrentCulture(double value, int count, StringBuilder text) =>
        $"{value} and {count}" + count.ToString() + text.Append(value) + text.Append($"{count}");
#pragma warning restore CA1305

    private static string ChecksWithTheCurrentCulture<T>(int count, int[] shape, (double, int) pair, T value)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (count > 9) throw new ArgumentOutOfRangeException(nameof(count), count, "at most 9");
        return string.Join(", ", shape) + string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{pair}") + $"{value}";
    }

    private static string WritesInvariantly(double value, string name, StringBuilder text) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{value}") + $"{name} and {nameof(value)}" + text.Append(name);

    /// <summary>What in <paramref name="method"/>'s code formats with the current culture.</summary>
    private static IEnumerable<string> CurrentCultureFormatting(MethodBase method)
    {
        // A record's generated PrintMembers appends each member boxed: it formats by culture when a member does. Where the
        // record writes its own ToString, the generated one is never called.
        if (method.Name == "PrintMembers" && IsGenerated(method))
        {
            if (IsGenerated(method.DeclaringType!.GetMethod("ToString", Type.EmptyTypes)))
                foreach (var member in PrintedMembers(method.DeclaringType!).Where(member => FormatsByCulture(member.Type)))
                    yield return $"a generated ToString prints {member.Name}, a {member.Type.Name}";
            yield break;
        }
        // The interpolations in the order the code builds them; a hole's own interpolation is built inside its outer one.
        var open = new Stack<bool>();   // whether each interpolation being built has a culture
        foreach (var callee in IlCalls.Callees(method))
        {
            var type = callee.DeclaringType!;
            var parameters = callee.GetParameters();
            if (IsHandler(type))
            {
                if (callee.IsConstructor) open.Push(parameters.Any(p => p.ParameterType == typeof(IFormatProvider)));
                else if (callee.Name == "ToStringAndClear") open.TryPop(out _);
                else if (callee.Name == "AppendFormatted" && open.TryPeek(out bool hasCulture) && FormatsByCulture(parameters[0].ParameterType) && (!hasCulture || IsTuple(parameters[0].ParameterType)))
                    yield return $"interpolates a {Readable(parameters[0].ParameterType)} without a culture";   // a tuple never passes the culture on to its items
            }
            else if (parameters.Any(p => p.ParameterType.IsByRef && IsHandler(p.ParameterType.GetElementType()!)))
                open.TryPop(out _);   // string.Create(provider, ref handler), StringBuilder.Append(ref handler): the handler is used up
            else if (callee.Name is "ToString" or "TryFormat" && type.IsValueType && FormatsByCulture(type) && !parameters.Any(p => p.ParameterType == typeof(IFormatProvider)))
                yield return $"{type.Name}.{callee.Name} without a culture";
            else if (type == typeof(StringBuilder) && callee.Name is "Append" or "Insert" && parameters.Length > 0 && FormatsByCulture(parameters[^1].ParameterType))
                yield return $"StringBuilder.{callee.Name}({parameters[^1].ParameterType.Name})";
            // Joining writes each item with its own ToString(): in the current culture.
            else if ((type == typeof(string) && callee.Name == "Join" || type == typeof(StringBuilder) && callee.Name == "AppendJoin") && JoinedItems(callee) is { } items && FormatsByCulture(items))
                yield return $"{type.Name}.{callee.Name} of {items.Name}";
            // The exception's Message adds "Actual value was …" in the culture of whoever reads it; .NET's ThrowIf helpers
            // also write the value into their message in the current culture.
            else if (type == typeof(ArgumentOutOfRangeException) && callee.IsConstructor && parameters.Any(p => p.Name == "actualValue"))
                yield return "ArgumentOutOfRangeException with an actual value";
            else if (type == typeof(ArgumentOutOfRangeException) && callee.Name.StartsWith("ThrowIf", StringComparison.Ordinal))
                yield return $"ArgumentOutOfRangeException.{callee.Name}";
        }
    }

    private static bool IsGenerated(MethodBase? method) => method is not null && method.IsDefined(typeof(CompilerGeneratedAttribute), inherit: false);

    /// <summary>The members a record's generated PrintMembers prints: its public instance fields and readable properties.</summary>
    private static IEnumerable<(string Name, Type Type)> PrintedMembers(Type record)
    {
        const BindingFlags members = BindingFlags.Public | BindingFlags.Instance;
        return record.GetFields(members).Select(field => (field.Name, field.FieldType))
            .Concat(record.GetProperties(members).Where(property => property.GetMethod is { IsPublic: true } && property.GetIndexParameters().Length == 0 && property.Name != "EqualityContract")
                .Select(property => (property.Name, property.PropertyType)));
    }

    /// <summary>The type of the items a Join or AppendJoin writes, or null when they are text.</summary>
    private static Type? JoinedItems(MethodBase join)
    {
        if (join.IsGenericMethod) return join.GetGenericArguments()[0];
        var items = join.GetParameters()[^1].ParameterType;
        var element = items.IsArray ? items.GetElementType()! : items.IsGenericType ? items.GetGenericArguments()[0] : null;
        return element == typeof(string) || element == typeof(char) ? null : element;
    }

    private static bool IsTuple(Type type) =>
        type.IsGenericType && (type.FullName?.StartsWith("System.ValueTuple`", StringComparison.Ordinal) == true || type.FullName?.StartsWith("System.Tuple`", StringComparison.Ordinal) == true);

    private static string Readable(Type type) => IsTuple(type) ? $"({string.Join(", ", type.GetGenericArguments().Select(Readable))})" : type.Name;

    private static bool IsHandler(Type type) => type == typeof(DefaultInterpolatedStringHandler) || type == typeof(StringBuilder.AppendInterpolatedStringHandler);

    /// <summary>Whether writing a <paramref name="type"/> as text depends on a culture: numbers and other IFormattable values, and generic numbers.</summary>
    private static bool FormatsByCulture(Type type)
    {
        if (type.IsByRef) type = type.GetElementType()!;
        if (Nullable.GetUnderlyingType(type) is { } underlying) type = underlying;
        // A type parameter may be a number whatever its constraints say (an unconstrained T in a record is one).
        if (type.IsGenericParameter) return true;
        // A tuple writes its items with their own ToString().
        if (IsTuple(type)) return type.GetGenericArguments().Any(FormatsByCulture);
        if (type == typeof(object)) return true;   // a boxed number formats by culture too
        if (type.IsEnum || type == typeof(string) || type == typeof(char) || type == typeof(bool) || type == typeof(Guid)) return false;
        return type.IsAssignableTo(typeof(IFormattable));
    }
}
