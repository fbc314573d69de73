namespace NeuralNets.Samples.Tests;

/// <summary>Each sample's System.CommandLine surface: help, and a wrong value refused before any work, naming the option and the value.</summary>
public class SampleCommandLineTests
{
    /// <summary>Each sample with the options README's samples table (or its usage line) names.</summary>
    public static TheoryData<string, string[]> Options => new()
    {
        { "FashionMnist", ["--data", "--model", "--epochs", "--batch-size", "--learning-rate", "--seed"] },
        { "OptimizerRace", ["--out", "--epochs"] },
        { "Tabular", ["file", "data-folder", "--epochs"] },
        { "InClassExample", ["--learning-rate", "--steps"] },
        { "Deploy.Train", ["model", "data", "--epochs"] },
        { "Deploy.Score", ["model", "data"] },
    };

    /// <summary>A wrong value for each sample, and what the message must name (Score has arguments only: a missing model file).</summary>
    public static TheoryData<string, string[], string> BadValues => new()
    {
        { "FashionMnist", ["--epochs", "0"], "--epochs must be a positive integer, but was '0'" },
        { "FashionMnist", ["--learning-rate", "0,1"], "--learning-rate must be a positive number, but was '0,1'" },
        { "FashionMnist", ["--model", "rnn"], "--model must be one of mlp, cnn, but was 'rnn'" },
        { "FashionMnist", ["--seed", "1.5"], "--seed must be an integer, but was '1.5'" },
        { "OptimizerRace", ["--epochs", "-3"], "--epochs must be a positive integer, but was '-3'" },
        { "Tabular", ["--epochs", "many"], "--epochs must be a positive integer, but was 'many'" },
        { "InClassExample", ["--learning-rate", "NaN"], "--learning-rate must be a positive number, but was 'NaN'" },
        { "InClassExample", ["--steps", "0"], "--steps must be a positive integer, but was '0'" },
        { "Deploy.Train", ["--epochs", "0"], "--epochs must be a positive integer, but was '0'" },
        { "Deploy.Score", ["missing.onnx", "/nonexistent"], "missing.onnx not found; Deploy.Train writes it." },
    };

    [Theory]
    [MemberData(nameof(Options))]
    public void Help_AnySample_ExitsZeroListingEveryOption(string sample, string[] options)
    {
        var run = SampleProcess.Run(sample, ["--help"]);

        run.ExitCode.Should().Be(0, run.Error);
        run.Output.Should().Contain("Usage:");
        foreach (var option in options) run.Output.Should().Contain(option);
        run.Error.Should().BeEmpty();
    }

    [Theory]
    [MemberData(nameof(BadValues))]
    public void Run_BadValue_ExitsNonZeroNamingOptionAndValue(string sample, string[] arguments, string message)
    {
        var run = SampleProcess.Run(sample, arguments);

        run.ExitCode.Should().NotBe(0);
        run.Error.Should().Contain(message);
    }
}
