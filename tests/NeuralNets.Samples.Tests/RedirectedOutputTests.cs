namespace NeuralNets.Samples.Tests;

/// <summary>Samples whose whole run is cheap, run with their output redirected as CI does: tables, and no terminal escape codes.</summary>
public class RedirectedOutputTests
{
    [Fact]
    public void InClassExample_Redirected_PrintsStepTableWithoutEscapeCodes()
    {
        var run = SampleProcess.Run("InClassExample", ["--steps", "10"]);

        run.ExitCode.Should().Be(0, run.Error);
        run.Output.Should().NotContain("\u001b");
        run.Output.Should().Contain("L   = (ŷ − y)² = (0.292557 − 1)² = 0.5004756537");      // the lecture's loss, worked by hand
        run.Output.Should().MatchRegex(@"│\s+1 │\s+0\.5004756537 │");                       // step 1's row: the loss before the step
        run.Output.Should().MatchRegex(@"│\s+10 │");
        run.Output.Should().NotMatchRegex(@"│\s+11 │");
    }

    [Fact]
    public void OptimizerRace_Redirected_RanksEveryOptimizerNadamIncludedAndDrawsBothPictures()
    {
        string folder = Directory.CreateTempSubdirectory("optimizer-race-").FullName;
        try
        {
            var run = SampleProcess.Run("OptimizerRace", ["--epochs", "2", "--out", folder]);

            run.ExitCode.Should().Be(0, run.Error);
            run.Output.Should().NotContain("\u001b");
            foreach (var name in new[] { "Sgd", "Momentum", "Nesterov", "Adagrad", "Adadelta", "RmsProp", "Adam", "AdamW", "Nadam", "Lbfgs" })
                run.Output.Should().MatchRegex($@"│\s+\d+ │ {name}\s+│", $"{name} must have a row of the standings");
            run.Output.Should().MatchRegex(@"│\s+10 │").And.NotMatchRegex(@"│\s+11 │");
            new FileInfo(Path.Combine(folder, "loss-curves.png")).Length.Should().BeGreaterThan(0);
            new FileInfo(Path.Combine(folder, "ravine-paths.png")).Length.Should().BeGreaterThan(0);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
