using System.Numerics;
using NeuralNets.Kernels;
using NeuralNets.Layers;

namespace NeuralNets.Training;

/// <summary>
/// Checks after every step that the weights, and the running statistics of the network's BatchNorm layers, are finite
/// and, when the trainer keeps the last good weights, copies them in the same pass. Two copies are kept, the newest
/// good state and the one before it, so that the pass can write one while the other stays intact: a step whose state
/// fails the check leaves the newest copy to restore, and a loss that fails at the newest weights leaves the one before.
/// The running statistics are kept with the weights they were taken with: inference reads both.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
internal sealed class WeightSnapshots<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Parameter<T>[] _parameters;
    private readonly BatchNorm<T>[] _norms;
    private readonly string[] _meanNames, _varianceNames;  // named once, so that a step's check allocates nothing
    private T[][] _newest, _previous;
    private RunningStatisticsCopy<T>[] _newestStatistics, _previousStatistics;
    private bool _hasNewest, _hasPrevious;
    private volatile bool _nonFinite;

    /// <summary>Creates the snapshots; without <paramref name="keep"/> the state is only checked, never copied.</summary>
    /// <param name="parameters">The network's parameters.</param>
    /// <param name="norms">The network's BatchNorm layers with their places (<see cref="BatchNormLayers.Of{T}"/>).</param>
    /// <param name="keep">Whether to keep copies to restore.</param>
    public WeightSnapshots(Parameter<T>[] parameters, (BatchNorm<T> Layer, string Place)[] norms, bool keep)
    {
        _parameters = parameters;
        _norms = [.. norms.Select(n => n.Layer)];
        _meanNames = [.. norms.Select(n => BatchNormLayers.StatisticName(n.Place, RunningStatisticsCopy<T>.MeanName))];
        _varianceNames = [.. norms.Select(n => BatchNormLayers.StatisticName(n.Place, RunningStatisticsCopy<T>.VarianceName))];
        Keeps = keep;
        _newest = keep ? parameters.Select(p => new T[p.Length]).ToArray() : [];
        _previous = keep ? parameters.Select(p => new T[p.Length]).ToArray() : [];
        _newestStatistics = keep ? _norms.Select(n => new RunningStatisticsCopy<T>(n.Features)).ToArray() : [];
        _previousStatistics = keep ? _norms.Select(n => new RunningStatisticsCopy<T>(n.Features)).ToArray() : [];
    }

    /// <summary>Whether copies are kept.</summary>
    public bool Keeps { get; }

    /// <summary>Forgets the copies, at the start of a run.</summary>
    public void Clear() => _hasNewest = _hasPrevious = false;

    /// <summary>
    /// Checks every parameter and running statistic and, when keeping, makes them the newest copy (the newest becoming
    /// the previous). Returns the first that holds a non-finite value, or null; the newest copy is unchanged then.
    /// </summary>
    public NonFiniteState? CaptureIfFinite()
    {
        var spare = _previous;
        for (int i = 0; i < _parameters.Length; i++)
        {
            _nonFinite = false;
            var target = Keeps ? spare[i] : null;
            ParallelRanges.Run(new CopyCheckRange(this, _parameters[i].ValueSegment, target), _parameters[i].Length);
            if (_nonFinite) return new NonFiniteState(_parameters[i].Name, runningStatistic: false);
        }
        // A handful of values a layer, on this thread: not worth a hand-over to the cores.
        var spareStatistics = _previousStatistics;
        for (int k = 0; k < _norms.Length; k++)
        {
            string? failed = RunningStatisticsCopy<T>.CopyIfFinite(_norms[k], Keeps ? spareStatistics[k] : null);
            if (failed is not null)
                return new NonFiniteState(ReferenceEquals(failed, RunningStatisticsCopy<T>.MeanName) ? _meanNames[k] : _varianceNames[k], runningStatistic: true);
        }
        if (Keeps)
        {
            (_previous, _newest) = (_newest, spare);
            (_previousStatistics, _newestStatistics) = (_newestStatistics, spareStatistics);
            _hasPrevious = _hasNewest;
            _hasNewest = true;
        }
        return null;
    }

    /// <summary>Puts the newest copy back; false when there is none.</summary>
    public bool RestoreNewest() => _hasNewest && Restore(_newest, _newestStatistics);

    /// <summary>Puts the copy before the newest back; false when there is none.</summary>
    public bool RestorePrevious() => _hasPrevious && Restore(_previous, _previousStatistics);

    // Split across the cores like the optimizers' updates, so that each core copies the part of a weight it holds.
    private bool Restore(T[][] copy, RunningStatisticsCopy<T>[] statistics)
    {
        for (int i = 0; i < _parameters.Length; i++) ParallelRanges.Copy(copy[i], _parameters[i].ValueSegment, _parameters[i].Length);
        for (int k = 0; k < _norms.Length; k++) statistics[k].RestoreTo(_norms[k]);
        return true;
    }

    private readonly struct CopyCheckRange(WeightSnapshots<T> owner, ArraySegment<T> source, T[]? target) : IRangeOperation
    {
        public void Run(int start, int length)
        {
            var copy = target is null ? Span<T>.Empty : target.AsSpan(start, length);
            // Only ever set, never cleared, by the ranges: whichever core sees a non-finite value says so.
            if (!Elementwise.CopyAllFinite<T>(source.AsSpan(start, length), copy)) owner._nonFinite = true;
        }
    }
}
