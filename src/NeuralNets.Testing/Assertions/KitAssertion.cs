using FluentAssertions.Execution;

namespace NeuralNets.Testing.Assertions;

/// <summary>
/// The one shape of every kit assertion: fail on null, run the check, fail with its whole report as the message, and
/// on a pass write the report to the running xunit test's output, so a student sees the detail of a pass too.
/// </summary>
internal static class KitAssertion
{
    /// <summary>Asserts <paramref name="check"/> on a non-null <paramref name="subject"/>.</summary>
    /// <param name="subject">What is asserted on.</param>
    /// <param name="expectation">The sentence's middle, e.g. <c>the layer to satisfy the layer contract</c>.</param>
    /// <param name="check">Runs the check: whether it passed and its report.</param>
    /// <param name="because">Why, in FluentAssertions' style.</param>
    /// <param name="becauseArgs">Arguments of <paramref name="because"/>.</param>
    public static void Assert(object? subject, string expectation, Func<(bool Passed, string Report)> check, string because, object[] becauseArgs)
    {
        bool present = Execute.Assertion.BecauseOf(because, becauseArgs).ForCondition(subject is not null)
            .FailWith("Expected " + Literal(expectation) + "{reason}, but found <null>.");
        if (!present) return;
        var (passed, report) = check();
        Execute.Assertion.BecauseOf(because, becauseArgs).ForCondition(passed)
            .FailWith("Expected " + Literal(expectation) + "{reason}, but " + Literal(report));
        if (passed) Write(report);
    }

    /// <summary>Writes to the running xunit test's output; outside a test there is none, and nothing is written.</summary>
    public static void Write(string text)
    {
        var output = Xunit.TestContext.Current.TestOutputHelper;
        try
        {
            output?.WriteLine(text);
        }
        catch (InvalidOperationException)
        {
            // The helper refuses writes once its test has finished; a report lost there is harmless.
        }
    }

    // FluentAssertions reads braces as placeholders; a report quoting a student's exception may hold some.
    private static string Literal(string text) => text.Replace("{", "{{", StringComparison.Ordinal).Replace("}", "}}", StringComparison.Ordinal);
}
