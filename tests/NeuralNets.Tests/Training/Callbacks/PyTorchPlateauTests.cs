using NeuralNets.Tests.Golden;
using NeuralNets.Tests.Schedules;
using NeuralNets.Training.Callbacks;

namespace NeuralNets.Tests.Training.Callbacks;

/// <summary>
/// ReduceLearningRateOnPlateau against torch.optim.lr_scheduler.ReduceLROnPlateau fed the same figure after each epoch
/// (PyTorchScheduleValues.ReduceLROnPlateau, from tests/PyTorchReference/schedules.py): the rate of every epoch within
/// 1e-10 of PyTorch's, relative.
/// </summary>
public class PyTorchPlateauTests
{
    public static TheoryData<int> Cases => [.. Enumerable.Range(0, PyTorchScheduleValues.ReduceLROnPlateau.Length)];

    [Theory]
    [MemberData(nameof(Cases))]
    public void Fit_ScriptedFigure_RatesMatchReduceLROnPlateau(int index)
    {
        var recorded = PyTorchScheduleValues.ReduceLROnPlateau[index];
        var run = new ScriptedRun();
        run.Optimizer.LearningRate = recorded.Lr;
        var callback = new ReduceLearningRateOnPlateau<double>(run.Optimizer, "scripted", recorded.Factor, recorded.Patience, recorded.Threshold,
            recorded.Relative ? ThresholdMode.Relative : ThresholdMode.Absolute, recorded.Cooldown, recorded.MinLr,
            recorded.Max ? MonitorMode.Max : MonitorMode.Min);

        var history = run.Fit(recorded.Figures.Length, recorded.Figures, higherIsBetter: recorded.Max, callback);

        history.Epochs.Select(e => e.LearningRate).ToArray().ShouldMatchTorchRelatively(recorded.Rates, $"{callback}'s rate by epoch (index + 1)");
    }
}
