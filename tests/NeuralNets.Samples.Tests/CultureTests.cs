namespace NeuralNets.Samples.Tests;

/// <summary>A German culture (decimal comma) must change neither how the samples read numbers nor how they print them.</summary>
public class CultureTests
{
    private static readonly Dictionary<string, string> German = new() { ["LANG"] = "de_DE.UTF-8", ["LC_ALL"] = "de_DE.UTF-8" };

    [Fact]
    public void InClassExample_GermanCulture_ReadsAndPrintsDecimalPoints()
    {
        var run = SampleProcess.Run("InClassExample", ["--learning-rate", "0.25", "--steps", "1"], environment: German);

        run.ExitCode.Should().Be(0, run.Error);
        run.Output.Should().Contain("Training with SGD, η = 0.25:");
        // w_(3,1) − η·dL/dw_(3,1) = 0.6 − 0.25·(−0.8807090421), worked by hand from the lecture's values.
        run.Output.Should().Contain("after step 1: w_(3,1) = 0.6 − 0.25·(-0.880709) = 0.8201772605");
    }

    [Fact]
    public void Quickstart_GermanCulture_EndsWithReadmesTestAccuracyLine()
    {
        var run = SampleProcess.Run("Quickstart", [], environment: German);

        run.ExitCode.Should().Be(0, run.Error);
        run.Output.TrimEnd().Split('\n')[^1].Should().StartWith("test accuracy: 0.97");
    }
}
