using System.Reflection;
using System.Text;
using NeuralNets.Diagnostics;

namespace NeuralNets.Tests;

/// <summary>RecordText lists a record's members as the compiler's generated ToString does, with numbers in the invariant culture.</summary>
public class RecordTextTests
{
    [Fact]
    public void ListsMembersAsTheGeneratedToStringDoes()
    {
        // Under the invariant culture the two agree: names, order, nulls, nested records, delegates, booleans, tuples.
        var record = new GeneratedText(-3, 0.5, null, true, static () => { }, new GeneratedText(2, null, "inner", false, null, null, (1, 2)), (-1.5, 7));
        using var invariant = CultureScope.Of("");
        var builder = new StringBuilder("GeneratedText { ");
        RecordText.PrintMembers(record, builder).Should().BeTrue();
        builder.Append(" }").ToString().Should().Be(record.ToString());
    }

    private sealed record GeneratedText(int Count, double? Rate, string? Name, bool On, Action? Hook, GeneratedText? Inner, (double Low, int High)? Range)
    {
        public int Twice => 2 * Count;
    }

    [Fact]
    public void TupleMembers_ReadTheSameUnderGermanCulture()
    {
        // A ValueTuple writes its items in the current culture: "(0,5, 1,5)" under de-DE.
        using var german = CultureScope.Of("de-DE");
        string text = new AdversarialPanelOptions { PixelRange = (0.5, 1.5), ImageSize = (28, 28) }.ToString();
        text.Should().Contain("PixelRange = (0.5, 1.5)").And.Contain("ImageSize = (28, 28)");
    }

    [Fact]
    public void EveryRecordThatUsesIt_HasNoBaseRecordAndNoPublicFields()
    {
        // What PrintMembers' order rests on: the generated list starts with a base record's members and interleaves fields.
        var users = new[] { typeof(Network).Assembly }.SelectMany(IlCalls.MethodsOf)
            .Where(method => method.Name == "PrintMembers" && IlCalls.Callees(method).Any(callee => callee.DeclaringType == typeof(RecordText)))
            .Select(method => method.DeclaringType!)
            .ToArray();
        users.Should().HaveCountGreaterThan(20, "the library's records that print numbers use it");
        foreach (var record in users)
        {
            (record.IsValueType || record.BaseType == typeof(object)).Should().BeTrue($"{record} has no base record");
            record.GetFields(BindingFlags.Public | BindingFlags.Instance).Should().BeEmpty($"{record} has no public fields");
        }
    }
}
