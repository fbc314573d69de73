using NeuralNets.Losses;
using NeuralNets.Optimizers;
using NeuralNets.Serialization;
using NeuralNets.Training;
using NeuralNets.Training.Callbacks;

namespace NeuralNets.Tests.Training.Callbacks;

public class ModelCheckpointTests
{
    [Fact]
    public void Fit_SaveBestOnly_WritesTheImprovingEpochsAndEachFileHoldsThatEpochsWeights()
    {
        string directory = Directory.CreateTempSubdirectory("checkpoint-").FullName;
        try
        {
            var run = new ScriptedRun();
            var checkpoint = new ModelCheckpoint<double>(run.Network, Path.Combine(directory, "model-{epoch}.json"), monitor: "scripted");

            run.Fit(epochs: 4, script: [3, 2, 2.5, 1], higherIsBetter: false, checkpoint);

            checkpoint.SavedEpochs.Should().Equal(1, 2, 4);
            File.Exists(Path.Combine(directory, "model-3.json")).Should().BeFalse();
            foreach (int epoch in new[] { 1, 2, 4 })
            {
                var loaded = Checkpoint.LoadNetwork<double>(Path.Combine(directory, $"model-{epoch}.json"));
                loaded.Parameters.Select(p => p.ValueSpan.ToArray()).Should().BeEquivalentTo(run.WeightsAfterEpoch[epoch - 1], o => o.WithStrictOrdering());
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void Fit_OnePathEveryEpoch_HoldsTheLastEpoch()
    {
        string path = Path.Combine(Path.GetTempPath(), $"checkpoint-{Guid.NewGuid():N}.json");
        try
        {
            var run = new ScriptedRun();
            var checkpoint = new ModelCheckpoint<double>(run.Network, path, monitor: "loss", saveBestOnly: false);

            run.Fit(epochs: 3, script: [1, 1, 1], higherIsBetter: false, checkpoint);

            checkpoint.SavedEpochs.Should().Equal(1, 2, 3);
            Checkpoint.LoadNetwork<double>(path).Parameters.Select(p => p.ValueSpan.ToArray()).Should().BeEquivalentTo(run.Weights(), o => o.WithStrictOrdering());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Fit_CheckpointOfAnotherNetwork_Throws()
    {
        var run = new ScriptedRun();
        var act = () => run.Fit(epochs: 1, script: [1], higherIsBetter: false, new ModelCheckpoint<double>(new ScriptedRun(seed: 2).Network, "unused.json"));
        act.Should().Throw<InvalidOperationException>().WithMessage("ModelCheckpoint was given another network*");
    }

    [Fact]
    public void Fit_WeightsOnly_WritesAModelFile()
    {
        string path = Path.Combine(Path.GetTempPath(), $"checkpoint-{Guid.NewGuid():N}.json");
        try
        {
            var run = new ScriptedRun();
            var checkpoint = new ModelCheckpoint<double>(run.Network, path, monitor: "loss", saveBestOnly: false, weightsOnly: true);

            run.Fit(epochs: 2, script: [1, 1], higherIsBetter: false, checkpoint);

            ModelFile.Load<double>(path).Parameters.Select(p => p.ValueSpan.ToArray()).Should().BeEquivalentTo(run.Weights(), o => o.WithStrictOrdering());
            var act = () => Checkpoint.LoadNetwork<double>(path);
            act.Should().Throw<InvalidDataException>().WithMessage("*is a model file*not a checkpoint*");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Fit_CheckpointWithAnOptimizerThatCannotExport_FailsBeforeTheFirstStep()
    {
        var run = new ScriptedRun();
        var plain = new NeuralNets.Tests.Optimizers.OptimizerStateTests.StatelessSgd<double>(run.Network.Parameters);
        var trainer = new Trainer<double>(run.Network, new SoftmaxCrossEntropy<double>(), plain);
        var before = run.Weights();

        var act = () => trainer.Fit(run.Data, new TrainingOptions { Epochs = 1 }, callbacks: [new ModelCheckpoint<double>(run.Network, "unused.json")]);

        act.Should().Throw<NotSupportedException>().WithMessage("*optimizer's state*weightsOnly: true*");
        run.Weights().Should().BeEquivalentTo(before, o => o.WithStrictOrdering());
        File.Exists("unused.json").Should().BeFalse();
    }
}
