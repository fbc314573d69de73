using System.Globalization;
using NeuralNets.Training;
using NeuralNets.Training.Callbacks;

namespace NeuralNets.Tests.Training.Callbacks;

public class StopAndProgressTests
{
    private sealed class StopAt(int epoch, int batch) : ITrainingCallback<double>
    {
        public void OnBatchEnd(TrainingContext<double> context, in BatchReport report)
        {
            if (report.Epoch == epoch && report.Batch == batch) context.Stop("enough");
        }
    }

    [Fact]
    public void Fit_CallbackStopsWithinAnEpoch_EndsAfterThatStepWithoutAnException()
    {
        var run = new ScriptedRun();   // 24 samples in batches of 6: 4 batches an epoch

        var history = run.Fit(epochs: 5, script: [1, 1, 1, 1, 1], higherIsBetter: false, new StopAt(epoch: 2, batch: 3));

        history.StopReason.Should().Be("enough");
        history.Epochs.Should().HaveCount(2);
        history.Last!.Steps.Should().Be(3);
        history.Steps.Should().Be(4 + 3);
    }

    [Fact]
    public void Fit_BatchProgress_ReportsEveryBatchWithAnEta()
    {
        var run = new ScriptedRun();
        var reports = new List<BatchReport>();

        run.Trainer.Fit(run.Data, new TrainingOptions { Epochs = 2, BatchSize = 6 }, cancellationToken: CancellationToken.None,
            batchProgress: new SynchronousProgress<BatchReport>(reports.Add));

        reports.Select(r => (r.Epoch, r.Batch)).Should().Equal((1, 1), (1, 2), (1, 3), (1, 4), (2, 1), (2, 2), (2, 3), (2, 4));
        reports.Should().OnlyContain(r => r.Batches == 4 && r.Epochs == 2 && double.IsFinite(r.Loss) && r.Remaining >= TimeSpan.Zero);
        reports.Where(r => r.Batch == 4).Should().OnlyContain(r => r.Remaining == TimeSpan.Zero);
        var third = reports[2] with { Elapsed = TimeSpan.FromSeconds(3), Loss = 0.5 };
        third.Remaining.Should().Be(TimeSpan.FromSeconds(1), "3 s for 3 batches leaves 1 s for the fourth");
        var saved = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
        try
        {
            third.ToString().Should().Be("epoch 1/2  batch 3/4  loss 0.5000  ETA 0:00:01");
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
    }
}
