using NeuralNets.Data;
using NeuralNets.Layers;
using NeuralNets.Losses;

namespace NeuralNets.Tests.Integration;

/// <summary>
/// Writes down a NeuralNets training run as tests/PyTorchReference/training_runs.py writes down PyTorch's
/// (<see cref="PyTorchTrainingRun"/>), whichever loop drives it: call <see cref="AfterStep"/> after every optimizer step,
/// <see cref="AfterEpoch"/> after every epoch and <see cref="Finish"/> at the end.
/// </summary>
/// <remarks>
/// A <see cref="Optimizers.Nesterov{T}"/> run holds the lecture's w where PyTorch's SGD(nesterov=True) holds the
/// look-ahead point θ = w − γv (Nesterov's remarks): the digests are taken of θ, with v = the update the step just
/// applied, and the held-out batch is evaluated with θ put in the network for the while (w is put back exactly).
/// </remarks>
internal sealed class TrainingObservation
{
    private readonly Sequential<double> _network;
    private readonly ILoss<double> _loss;
    private readonly Dataset<double> _heldOut;
    private readonly double? _nesterovMomentum;
    private readonly double[][] _previous;  // each parameter's values after the step before
    private readonly double[][] _update;    // the update the last step applied, w before − w after

    public TrainingObservation(PyTorchTrainingCase run, Sequential<double> network)
    {
        (_network, _loss, _heldOut, _nesterovMomentum) = (network, run.Loss(), run.HeldOutBatch, run.NesterovMomentum);
        _previous = network.Parameters.Select(p => p.ValueSpan.ToArray()).ToArray();
        _update = network.Parameters.Select(p => new double[p.Length]).ToArray();
    }

    public List<double> Losses { get; } = [];
    public List<double> Digests { get; } = [];
    public List<double> HeldOutLosses { get; } = [];
    public double[] HeldOutOutput { get; private set; } = [];
    public List<double> RunningStatistics { get; } = [];
    public List<long> BatchesTracked { get; } = [];

    /// <summary>The step's loss and the digest of the parameters it left.</summary>
    public void AfterStep(double loss)
    {
        Losses.Add(loss);
        for (int k = 0; k < _previous.Length; k++)
        {
            var w = _network.Parameters[k].ValueSpan;
            for (int i = 0; i < w.Length; i++) _update[k][i] = _previous[k][i] - w[i];
            w.CopyTo(_previous[k]);
            Digests.AddRange(Digest(PyTorchValues(k)));
        }
    }

    /// <summary>The held-out batch's loss in eval mode.</summary>
    public void AfterEpoch() => HeldOutLosses.Add(WithPyTorchValues(() => _loss.Forward(_network.Predict(_heldOut.Features), _heldOut.Targets)));

    /// <summary>The held-out batch's eval-mode output, and every batch normalisation's running statistics.</summary>
    public void Finish()
    {
        HeldOutOutput = WithPyTorchValues(() => _network.Predict(_heldOut.Features)).ToArray();
        foreach (var (norm, _) in BatchNormLayers.Of(_network))
        {
            RunningStatistics.AddRange(norm.RunningMean.ToArray());
            RunningStatistics.AddRange(norm.RunningVariance.ToArray());
            BatchesTracked.Add(norm.BatchesTracked);
        }
    }

    /// <summary>
    /// All of a tensor of at most 8 values, else the elements at 0, n/2 and n − 1, the sum and the sum of squares.
    /// The script's sums are correctly rounded (math.fsum); these plain sums of a few hundred terms are within some 1e-14
    /// of them.
    /// </summary>
    public static double[] Digest(double[] values)
    {
        int n = values.Length;
        if (n <= 8) return values;
        double sum = 0, squares = 0;
        foreach (double v in values) (sum, squares) = (sum + v, squares + v * v);
        return [values[0], values[n / 2], values[n - 1], sum, squares];
    }

    // Parameter k as PyTorch holds it: w, or Nesterov's θ = w − γv.
    private double[] PyTorchValues(int k)
    {
        double[] w = _network.Parameters[k].ValueSpan.ToArray();
        if (_nesterovMomentum is not { } gamma) return w;
        for (int i = 0; i < w.Length; i++) w[i] -= gamma * _update[k][i];
        return w;
    }

    private T WithPyTorchValues<T>(Func<T> evaluate)
    {
        if (_nesterovMomentum is null) return evaluate();
        var parameters = _network.Parameters;
        for (int k = 0; k < parameters.Count; k++) parameters[k].SetValue(PyTorchValues(k));
        try
        {
            return evaluate();
        }
        finally
        {
            for (int k = 0; k < parameters.Count; k++) parameters[k].SetValue(_previous[k]);
        }
    }
}
