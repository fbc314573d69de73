using System.Numerics;
using NeuralNets.Kernels;

namespace NeuralNets.Training;

/// <summary>
/// Checks after every step that the weights are finite and, when the trainer keeps the last good weights,
/// copies them in the same pass. Two copies are kept, the newest good weights and the ones before them,
/// so that the pass can write one while the other stays intact: a step whose weights fail the check
/// leaves the newest copy to restore, and a loss that fails at the newest weights leaves the one before.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
internal sealed class WeightSnapshots<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Parameter<T>[] _parameters;
    private T[][] _newest, _previous;
    private bool _hasNewest, _hasPrevious;
    private volatile bool _nonFinite;

    /// <summary>Creates the snapshots; without <paramref name="keep"/> the weights are only checked, never copied.</summary>
    public WeightSnapshots(Parameter<T>[] parameters, bool keep)
    {
        _parameters = parameters;
        Keeps = keep;
        _newest = keep ? parameters.Select(p => new T[p.Length]).ToArray() : [];
        _previous = keep ? parameters.Select(p => new T[p.Length]).ToArray() : [];
    }

    /// <summary>Whether copies are kept.</summary>
    public bool Keeps { get; }

    /// <summary>Forgets the copies, at the start of a run.</summary>
    public void Clear() => _hasNewest = _hasPrevious = false;

    /// <summary>
    /// Checks every parameter and, when keeping, makes the weights the newest copy (the newest becoming the previous).
    /// Returns the first parameter that holds a non-finite value, or null; the copies are unchanged then.
    /// </summary>
    public Parameter<T>? CaptureIfFinite()
    {
        var spare = _previous;
        for (int i = 0; i < _parameters.Length; i++)
        {
            _nonFinite = false;
            var target = Keeps ? spare[i] : null;
            ParallelRanges.Run(new CopyCheckRange(this, _parameters[i].ValueSegment, target), _parameters[i].Length);
            if (_nonFinite) return _parameters[i];
        }
        if (Keeps)
        {
            (_previous, _newest) = (_newest, spare);
            _hasPrevious = _hasNewest;
            _hasNewest = true;
        }
        return null;
    }

    /// <summary>Puts the newest copy back; false when there is none.</summary>
    public bool RestoreNewest() => _hasNewest && Restore(_newest);

    /// <summary>Puts the copy before the newest back; false when there is none.</summary>
    public bool RestorePrevious() => _hasPrevious && Restore(_previous);

    // Split across the cores like the optimizers' updates, so that each core copies the part of a weight it holds.
    private bool Restore(T[][] copy)
    {
        for (int i = 0; i < _parameters.Length; i++) ParallelRanges.Copy(copy[i], _parameters[i].ValueSegment, _parameters[i].Length);
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
