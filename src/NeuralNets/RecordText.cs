using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text;

namespace NeuralNets;

/// <summary>
/// A record's members as its generated <c>ToString</c> lists them ("Name = value, …"), with every number written in the
/// invariant culture: the generated code appends each member boxed, so a double read "0,5" under de-DE and a negative
/// count took U+2212 under sv-SE. Records that print numbers declare <c>PrintMembers</c> as a call to this.
/// </summary>
internal static class RecordText
{
    /// <summary>
    /// Appends <paramref name="record"/>'s public fields and then its readable public properties to <paramref name="builder"/>,
    /// each in declaration order: the generated list's order for a record without public fields and without a base record
    /// (the generated one interleaves fields and properties as declared, and starts with the base record's members), which
    /// is every record that calls this (RecordTextTests checks).
    /// </summary>
    /// <returns>Whether anything was appended (what a record's <c>PrintMembers</c> returns).</returns>
    public static bool PrintMembers<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicFields | DynamicallyAccessedMemberTypes.PublicProperties)] TRecord>(
        TRecord record, StringBuilder builder)
    {
        const BindingFlags members = BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly;
        bool any = false;
        foreach (var field in typeof(TRecord).GetFields(members)) Append(builder, field.Name, field.GetValue(record), ref any);
        foreach (var property in typeof(TRecord).GetProperties(members))
            if (property.GetMethod is { IsPublic: true } && property.GetIndexParameters().Length == 0)
                Append(builder, property.Name, property.GetValue(record), ref any);
        return any;
    }

    private static void Append(StringBuilder builder, string name, object? value, ref bool any)
    {
        if (any) builder.Append(", ");
        AppendValue(builder.Append(name).Append(" = "), value);
        any = true;
    }

    /// <summary>Appends <paramref name="value"/> as its ToString() would, numbers in the invariant culture, a tuple's items too ("(0.5, 1)").</summary>
    private static void AppendValue(StringBuilder builder, object? value)
    {
        switch (value)
        {
            case IFormattable formattable:
                builder.Append(formattable.ToString(null, CultureInfo.InvariantCulture));
                break;
            case ITuple tuple when value.GetType().FullName?.StartsWith("System.ValueTuple`", StringComparison.Ordinal) == true:
                // A ValueTuple writes each item with its own ToString(), in the current culture.
                builder.Append('(');
                for (int i = 0; i < tuple.Length; i++)
                {
                    if (i > 0) builder.Append(", ");
                    AppendValue(builder, tuple[i]);
                }
                builder.Append(')');
                break;
            default:
                builder.Append(value?.ToString());
                break;
        }
    }
}
