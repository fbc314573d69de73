using NeuralNets.Data;
using NeuralNets.Training;
using Spectre.Console;

namespace CnnFiltersSample;

/// <summary>Runs <see cref="Trainer{T}.Fit"/> under a Spectre.Console progress bar fed by the per-batch reports.</summary>
internal static class Training
{
    public static TrainingHistory Fit(Trainer<float> trainer, Dataset<float> train, TrainingOptions options)
    {
        TrainingHistory? history = null;
        AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                var task = context.AddTask("training", maxValue: options.Epochs);
                var epochs = new SynchronousProgress<EpochReport>(e =>
                    task.Description = $"epoch {e.Epoch}/{e.Epochs}: loss {e.TrainLoss:F4}, accuracy {e.TrainAccuracy:F3}");
                var batches = new SynchronousProgress<BatchReport>(b =>
                    task.Value = b.Epoch - 1 + (double)b.Batch / b.Batches);
                history = trainer.Fit(train, options, progress: epochs, batchProgress: batches);
                task.Value = options.Epochs;
            });
        return history!;
    }
}
