using System.Numerics.Tensors;
using NeuralNets.Layers;

namespace NeuralNets.Testing.Tests.Layers;

/// <summary>
/// A dense layer as a student writes it, y = x·Wᵀ + b with W of shape [out, in], in plain loops; <see cref="Mistake"/>
/// plants one slip so each rule and diagnosis of the kit can be seen to catch it.
/// </summary>
public sealed class StudentDense : ILayer<double>
{
    private readonly int _inputs, _outputs;
    private readonly Parameter<double> _weight, _bias;
    private double[] _x = [];
    private int _batch;

    public StudentDense(int inputs, int outputs, int seed, Mistake mistake = Mistake.None)
    {
        (_inputs, _outputs, Mistake) = (inputs, outputs, mistake);
        _weight = new Parameter<double>("weight", outputs, inputs);
        _bias = new Parameter<double>("bias", outputs);
        var random = new Random(seed);
        foreach (var p in new[] { _weight, _bias })
            for (int i = 0; i < p.Length; i++) p.ValueSpan[i] = random.NextDouble() - 0.5;
    }

    public Mistake Mistake { get; }

    public IReadOnlyList<Parameter<double>> Parameters => [_weight, _bias];

    public Tensor<double> Forward(Tensor<double> input, bool training)
    {
        if (Mistake != Mistake.IgnoresShape && (input.Rank != 2 || input.Lengths[1] != _inputs))
            throw new ArgumentException($"StudentDense({_inputs} → {_outputs}) expects input of shape [N, {_inputs}] but got [{string.Join(", ", input.Lengths.ToArray())}].", nameof(input));
        _batch = (int)input.Lengths[0];
        _x = new double[_batch * _inputs];
        input.FlattenTo(_x);
        if (Mistake == Mistake.WritesIntoInput) input[[0, 0]] = 0;
        var y = new double[_batch * _outputs];
        for (int n = 0; n < _batch; n++)
            for (int o = 0; o < _outputs; o++)
            {
                double sum = _bias.ValueSpan[o];
                for (int i = 0; i < _inputs; i++) sum += _x[n * _inputs + i] * _weight.ValueSpan[o * _inputs + i];
                y[n * _outputs + o] = sum;
            }
        if (Mistake == Mistake.MixesSamples && _batch > 1) y[0] += _x[^1];
        if (Mistake == Mistake.TrainingScales && training) for (int k = 0; k < y.Length; k++) y[k] *= 2;
        // DriftsInInference: state updated on every pass, as running statistics updated at inference would be.
        if (Mistake == Mistake.DriftsInInference && !training) _bias.ValueSpan[0] += 1e-3;
        return Tensor.Create(y, [_batch, _outputs]);
    }

    // dW[o, i] = Σₙ dy[n, o]·x[n, i]; db[o] = Σₙ dy[n, o]; dx[n, i] = Σₒ dy[n, o]·W[o, i]
    public Tensor<double> Backward(Tensor<double> outputGradient)
    {
        var dy = new double[_batch * _outputs];
        outputGradient.FlattenTo(dy);
        if (Mistake == Mistake.WritesIntoOutputGradient) outputGradient[[0, 0]] = 0;
        if (Mistake == Mistake.Overwrites) { _weight.GradientSpan.Clear(); _bias.GradientSpan.Clear(); }
        double weightScale = Mistake switch { Mistake.WeightGradientAveraged => 1.0 / _batch, Mistake.WeightGradientNegated => -1, Mistake.InputAndWeightGradientScaled => 1.5, _ => 1 };
        for (int o = 0; o < _outputs; o++)
            for (int i = 0; i < _inputs; i++)
            {
                double sum = 0;
                for (int n = 0; n < _batch; n++) sum += dy[n * _outputs + o] * _x[n * _inputs + i];
                int at = Mistake == Mistake.WeightGradientTransposed ? i * _outputs + o : o * _inputs + i;
                _weight.GradientSpan[at] += weightScale * sum;
            }
        // IndexesPastTheEnd: the bias loop written o <= _outputs, which throws IndexOutOfRangeException.
        int biasEnd = Mistake == Mistake.IndexesPastTheEnd ? _outputs + 1 : _outputs;
        if (Mistake != Mistake.BiasGradientMissing)
            for (int o = 0; o < biasEnd; o++)
                for (int n = 0; n < _batch; n++) _bias.GradientSpan[o] += dy[n * _outputs + o];
        var dx = new double[_batch * _inputs];
        double inputScale = Mistake is Mistake.InputGradientScaled or Mistake.InputAndWeightGradientScaled ? 1.5 : 1;
        for (int n = 0; n < _batch; n++)
            for (int i = 0; i < _inputs; i++)
                for (int o = 0; o < _outputs; o++) dx[n * _inputs + i] += inputScale * dy[n * _outputs + o] * _weight.ValueSpan[o * _inputs + i];
        // ForgetsInputAfterBackward: the cached input freed as if Backward were the pass's last use of it.
        if (Mistake == Mistake.ForgetsInputAfterBackward) _x = [];
        // BackwardReturnsTransposedShape / BackwardReturnsFlat: the right values in the wrong shape.
        return Mistake switch
        {
            Mistake.BackwardReturnsTransposedShape => Tensor.Create(dx, [_inputs, _batch]),
            Mistake.BackwardReturnsFlat => Tensor.Create(dx, [_batch * _inputs]),
            _ => Tensor.Create(dx, [_batch, _inputs]),
        };
    }

    public IReadOnlyList<int> OutputShape(IReadOnlyList<int> inputShape) =>
        inputShape.Count == 1 && inputShape[0] == _inputs ? [_outputs] : throw new ArgumentException($"StudentDense expects samples of shape [{_inputs}].", nameof(inputShape));

    public LayerDescription Describe() => new("StudentDense", new Dictionary<string, double> { ["inputs"] = _inputs, ["outputs"] = _outputs });

    public override string ToString() => $"StudentDense({_inputs} → {_outputs})";
}
