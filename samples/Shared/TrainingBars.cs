using System.Globalization;
using NeuralNets.Training;
using Spectre.Console;

namespace NeuralNets.Samples;

/// <summary>
/// Shows training runs: on a terminal, a live progress bar per run with the epoch, the batch loss and the time left
/// (from the library's <see cref="BatchReport"/>); when the output is redirected (a file, a CI log), no bars at all,
/// only the epoch lines, so the log holds no redrawn frames.
/// </summary>
internal sealed class TrainingBars
{
    private readonly ProgressContext? _context;

    private TrainingBars(ProgressContext? context) => _context = context;

    /// <summary>Whether bars are drawn: Spectre.Console's judgement that the console is an interactive terminal.</summary>
    public static bool Live => AnsiConsole.Profile.Capabilities.Interactive;

    /// <summary>Runs <paramref name="work"/> with bars it can add, and returns its result once every bar is drawn finished.</summary>
    public static T Show<T>(Func<TrainingBars, T> work)
    {
        if (!Live) return work(new TrainingBars(null));
        return AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(context => work(new TrainingBars(context)));
    }

    /// <summary>A bar for one run; pass it to <c>Fit</c> as both <c>progress</c> and <c>batchProgress</c>.</summary>
    /// <param name="label">The run's name, at the start of its bar.</param>
    /// <param name="printEpoch">Which epochs get a line of their own (all when null, none with <c>_ =&gt; false</c>).</param>
    public TrainingBar Add(string label, Func<EpochReport, bool>? printEpoch = null) =>
        new(_context?.AddTask(Markup.Escape(label), autoStart: true, maxValue: 1), label, printEpoch ?? (_ => true));
}

/// <summary>One run's bar: takes the trainer's batch and epoch reports.</summary>
internal sealed class TrainingBar : IProgress<BatchReport>, IProgress<EpochReport>
{
    // Redrawing the text every batch would allocate a string per step; a few times a second is plenty for the eye.
    private static readonly TimeSpan TextInterval = TimeSpan.FromMilliseconds(250);

    private readonly ProgressTask? _task;
    private readonly string _label;
    private readonly Func<EpochReport, bool> _printEpoch;
    private TimeSpan _textAt = TimeSpan.MinValue;
    private int _textEpoch;

    internal TrainingBar(ProgressTask? task, string label, Func<EpochReport, bool> printEpoch) =>
        (_task, _label, _printEpoch) = (task, label, printEpoch);

    /// <summary>Moves the bar; the text shows the epoch, the batch's loss and the run's time left.</summary>
    public void Report(BatchReport report)
    {
        if (_task is null) return;
        _task.MaxValue = (double)report.Epochs * report.Batches;
        _task.Value = (double)(report.Epoch - 1) * report.Batches + report.Batch;
        if (report.Epoch == _textEpoch && report.Elapsed - _textAt < TextInterval && report.Batch != report.Batches) return;
        (_textEpoch, _textAt) = (report.Epoch, report.Elapsed);
        // The epoch's own estimate plus the later epochs at this epoch's pace (validation passes not counted).
        var perEpoch = report.Batch == 0 ? TimeSpan.Zero : report.Elapsed * ((double)report.Batches / report.Batch);
        var left = report.Remaining + perEpoch * (report.Epochs - report.Epoch);
        _task.Description = Markup.Escape(string.Create(CultureInfo.InvariantCulture,
            $"{_label}  epoch {report.Epoch}/{report.Epochs}  loss {report.Loss:F4}  ETA {left:h\\:mm\\:ss}"));
    }

    /// <summary>Prints the epoch's line when asked to, above the bars on a terminal.</summary>
    public void Report(EpochReport report)
    {
        if (_printEpoch(report)) SampleConsole.Line(report.ToString());
        if (_task is not null && report.Epoch == report.Epochs)
        {
            _task.Value = _task.MaxValue;
            _task.Description = Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"{_label}  done, loss {report.TrainLoss:F4}"));
            _task.StopTask();
        }
    }
}
