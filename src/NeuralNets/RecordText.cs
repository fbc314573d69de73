using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Reflection;
using System.Text;

namespace NeuralNets;

/// <summary>
/// A record's members as its generated <c>ToString</c> lists them ("Name = value, …"), with every number written in the
/// invariant culture: the generated code appends each member boxed, so a double read "0,5" under de-DE and a negative
/// count took U+2212 under sv-SE. Records that print numbers declare <c>PrintMembers</c> as a call to this.
/// </summary>
internal static class RecordText
{
    /// <summary>Appends <paramref name="record"/>'s public fields and readable properties to <paramref name="builder"/>, in declaration order.</summary>
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
        builder.Append(name).Append(" = ").Append(value is IFormattable formattable ? formattable.ToString(null, CultureInfo.InvariantCulture) : value?.ToString());
        any = true;
    }
}
