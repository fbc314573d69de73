using System.Numerics;
using NeuralNets.Layers;
using NeuralNets.Optimizers;
using NeuralNets.Training;

namespace NeuralNets.Serialization;

/// <summary>
/// What restoring a checkpoint replaces in a network and an optimizer (weights, BatchNorm running statistics, random
/// stream positions, optimizer state), kept so that a resume refused after the restore (a callback's saved state, which
/// can only be checked once the callbacks have begun the run on the restored network) puts everything back as it was.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
internal sealed class RestoreUndo<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Sequential<T> _network;
    private readonly IOptimizer<T> _optimizer;
    private readonly T[][] _weights;
    private readonly (BatchNorm<T> Layer, RunningStatisticsCopy<T> Copy)[] _statistics;
    private readonly (IRandomStreamLayer Layer, long Position)[] _positions;
    private readonly OptimizerSnapshot? _optimizerState;

    private RestoreUndo(Sequential<T> network, IOptimizer<T> optimizer, IEnumerable<IRandomStreamLayer> randomLayers)
    {
        (_network, _optimizer) = (network, optimizer);
        _weights = [.. network.Parameters.Select(p => p.ValueSpan.ToArray())];
        _statistics = [.. BatchNormLayers.Of(network).Select(n => (n.Layer, RunningStatisticsCopy<T>.Of(n.Layer)))];
        _positions = [.. randomLayers.Select(layer => (layer, layer.RandomPosition))];
        try
        {
            _optimizerState = optimizer.ExportState();
        }
        catch (NotSupportedException)
        {
            _optimizerState = null;  // an optimizer that imports state without exporting it: it cannot be put back
        }
    }

    /// <summary>Copies what a restore into <paramref name="network"/> and <paramref name="optimizer"/> would replace.</summary>
    public static RestoreUndo<T> Capture(Sequential<T> network, IOptimizer<T> optimizer, IEnumerable<IRandomStreamLayer> randomLayers) =>
        new(network, optimizer, randomLayers);

    /// <summary>Puts it all back; false when the optimizer could not be (it cannot export its state).</summary>
    public bool Undo()
    {
        _network.BeginTrainingStep();  // a Predict on another thread must not answer from half of the weights
        try
        {
            for (int i = 0; i < _weights.Length; i++) _network.Parameters[i].SetValue(_weights[i]);
            foreach (var (layer, copy) in _statistics) copy.RestoreTo(layer);
        }
        finally
        {
            _network.EndTrainingStep();
        }
        foreach (var (layer, position) in _positions) layer.RandomPosition = position;
        if (_optimizerState is null) return false;
        _optimizer.ImportState(_optimizerState);  // its own export of a moment ago: it fits
        return true;
    }
}
