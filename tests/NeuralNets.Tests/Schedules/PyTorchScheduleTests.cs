using NeuralNets.Schedules;
using NeuralNets.Tests.Golden;

namespace NeuralNets.Tests.Schedules;

/// <summary>
/// The schedules against torch.optim.lr_scheduler's rates, stepped as a user steps them (PyTorchScheduleValues.cs,
/// from tests/PyTorchReference/schedules.py): every rate within 1e-10 of PyTorch's, relative to the rate itself, since
/// rates are small numbers.
/// </summary>
public class PyTorchScheduleTests
{
    /// <summary>Each recorded configuration as our schedule, with PyTorch's rates and how many of them ours follows.</summary>
    private static readonly Dictionary<string, (Func<int, double> Rate, double[] Rates, int Followed)> Recorded = new[]
    {
        PyTorchScheduleValues.StepLR.Select(c => Entry(new StepDecay(c.Lr, c.StepSize, c.Gamma), c.Rates)),
        PyTorchScheduleValues.ExponentialLR.Select(c => Entry(new ExponentialDecay(c.Lr, c.Gamma), c.Rates)),
        // Up to epoch T_max + 1, where both reach η_min; after it ours parts on purpose (the test below).
        PyTorchScheduleValues.CosineAnnealingLR.Select(c => Entry(new CosineAnnealing(c.Lr, c.TMax, c.EtaMin), c.Rates, c.TMax + 1)),
        PyTorchScheduleValues.LinearLR.Select(c => Entry(new LinearWarmup(c.Lr, c.TotalIters, c.StartFactor), c.Rates)),
        PyTorchScheduleValues.OneCycleLR.Select(c =>
            Entry(new OneCycle(c.MaxLr, c.TotalSteps, c.PctStart, c.DivFactor, c.FinalDivFactor), c.Rates)),
    }.SelectMany(entries => entries).ToDictionary(entry => entry.Name, entry => entry.Value);

    public static TheoryData<string> RecordedSchedules => [.. Recorded.Keys];

    public static TheoryData<int> CosineAnnealingLRCases => [.. Enumerable.Range(0, PyTorchScheduleValues.CosineAnnealingLR.Length)];

    [Theory]
    [MemberData(nameof(RecordedSchedules))]
    public void LearningRate_RecordedConfiguration_MatchesPyTorchWithin1e10Relative(string schedule)
    {
        var (rate, rates, followed) = Recorded[schedule];
        Enumerable.Range(1, followed).Select(rate).ToArray().ShouldMatchTorchRelatively(rates[..followed], $"{schedule}'s rate by epoch or step (index + 1)");
    }

    [Theory]
    [MemberData(nameof(CosineAnnealingLRCases))]
    public void CosineAnnealing_AfterTMax_StaysAtMinimumWherePyTorchRisesAgain(int index)
    {
        // The documented difference (CosineAnnealing's remarks): PyTorch's cosine goes on, with period 2·T_max; ours holds η_min.
        var recorded = PyTorchScheduleValues.CosineAnnealingLR[index];
        var schedule = new CosineAnnealing(recorded.Lr, recorded.TMax, recorded.EtaMin);
        recorded.Rates[recorded.TMax + 1].Should().BeGreaterThan(recorded.EtaMin, "PyTorch's rate rises again the epoch after reaching η_min");
        for (int epoch = recorded.TMax + 2; epoch <= recorded.Rates.Length; epoch++)
            schedule.LearningRate(epoch).Should().Be(recorded.EtaMin, $"{schedule} holds η_min at epoch {epoch}");
    }

    private static (string Name, (Func<int, double>, double[], int) Value) Entry(ILearningRateSchedule schedule, double[] rates, int? followed = null) =>
        (schedule.ToString()!, (schedule.LearningRate, rates, followed ?? rates.Length));

    private static (string Name, (Func<int, double>, double[], int) Value) Entry(IStepSchedule schedule, double[] rates) =>
        (schedule.ToString()!, (schedule.LearningRate, rates, rates.Length));
}
