using System.Diagnostics;

namespace Playground.Engine;

/// <summary>
/// Redraws per second and epochs per second over the last second or so: epochs per wall-clock second, and
/// per second of training alone (the figure to compare with the same network trained natively).
/// </summary>
public sealed class FrameRate
{
    private long _windowStart = Stopwatch.GetTimestamp();
    private int _frames, _windowStartEpoch, _lastEpoch;
    private double _trainingMilliseconds, _sliceMilliseconds, _gridMilliseconds, _renderMilliseconds, _paintMilliseconds;

    /// <summary>Redraws per second in the last window.</summary>
    public double Redraws { get; private set; }

    /// <summary>Epochs per wall-clock second in the last window, drawing included.</summary>
    public double Epochs { get; private set; }

    /// <summary>Epochs per second of training time alone in the last window.</summary>
    public double TrainingEpochs { get; private set; }

    /// <summary>Milliseconds per frame given to training and spent on the grids, on rendering the page's markup, and on painting the canvases, in the last window.</summary>
    public (double Slice, double Grid, double Render, double Paint) Costs { get; private set; }

    /// <summary>Starts a new window at epoch <paramref name="epoch"/> (after reset or play).</summary>
    public void Restart(int epoch)
    {
        (_windowStart, _frames, _trainingMilliseconds) = (Stopwatch.GetTimestamp(), 0, 0);
        (_sliceMilliseconds, _gridMilliseconds, _renderMilliseconds, _paintMilliseconds) = (0, 0, 0, 0);
        (_windowStartEpoch, _lastEpoch) = (epoch, epoch);
    }

    /// <summary>Counts a slice of training that took <paramref name="milliseconds"/> and ended at <paramref name="epoch"/>.</summary>
    public void Trained(double milliseconds, int epoch)
    {
        _trainingMilliseconds += milliseconds;
        _lastEpoch = epoch;
    }

    /// <summary>Adds the costs of one frame.</summary>
    public void Spent(double slice, double grid, double render, double paint)
    {
        _sliceMilliseconds += slice;
        _gridMilliseconds += grid;
        _renderMilliseconds += render;
        _paintMilliseconds += paint;
    }

    /// <summary>Counts one redraw; closes the window once a second has passed.</summary>
    public void Frame()
    {
        _frames++;
        double seconds = Stopwatch.GetElapsedTime(_windowStart).TotalSeconds;
        if (seconds < 1) return;
        Redraws = _frames / seconds;
        Epochs = (_lastEpoch - _windowStartEpoch) / seconds;
        TrainingEpochs = _trainingMilliseconds > 0 ? (_lastEpoch - _windowStartEpoch) / (_trainingMilliseconds / 1000) : 0;
        Costs = (_sliceMilliseconds / _frames, _gridMilliseconds / _frames, _renderMilliseconds / _frames, _paintMilliseconds / _frames);
        Restart(_lastEpoch);
    }
}
