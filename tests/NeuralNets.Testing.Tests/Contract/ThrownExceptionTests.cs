using NeuralNets.Testing.Contract;
using NeuralNets.Testing.Tests.Layers;

namespace NeuralNets.Testing.Tests.Contract;

/// <summary>A layer that throws is reported with the exception's type, its message and the line of the student's code it came from.</summary>
public class ThrownExceptionTests
{
    [Fact]
    public void Check_BackwardIndexingPastTheEnd_NamesTheStudentsLineTypeAndMessage()
    {
        var report = LayerContract.Check(new StudentDense(3, 2, seed: 7, Mistake.IndexesPastTheEnd), [3]);

        // Optimised code may map a throw to an earlier line of its method: the test builds in Release.
        report.Rules.Single(r => r.Rule == "gradients match central differences").Detail.Should().MatchRegex(
            @"^threw IndexOutOfRangeException in StudentDense\.Backward \(StudentDense\.cs:\d+\): Index was outside the bounds of the array\.$");
    }

    [Fact]
    public void Describe_ThrownInsideALambdaByTheRuntime_NamesTheMethodThatHoldsTheLambda()
    {
        int[] values = [1, 2];
        Func<int, int> read = i => values[i];

        var thrown = Record.Exception(() => read(2))!;

        ThrownException.Describe(thrown).Should().MatchRegex(
            @"^IndexOutOfRangeException in ThrownExceptionTests\.Describe_ThrownInsideALambdaByTheRuntime_NamesTheMethodThatHoldsTheLambda \(ThrownExceptionTests\.cs:\d+\): Index was outside the bounds of the array\.$");
    }

    [Fact]
    public void Describe_NeverThrown_GivesTypeAndMessageOnly()
    {
        ThrownException.Describe(new InvalidOperationException("not yet")).Should().Be("InvalidOperationException: not yet");
    }
}
