using System.Numerics;
using System.Numerics.Tensors;
using NeuralNets.Layers;
using NeuralNets.Serialization;
using NeuralNets.Tensors;

namespace NeuralNets.Outside.Tests.Components;

/// <summary>
/// A learned scale and shift per feature, <c>y[n, f] = γ[f]·x[n, f] + β[f]</c> (batch normalisation's affine step),
/// written through the public author kit only: reused buffers, spans, the helper threads, backward to parameters only.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
public sealed class ScaleShift<T> : ILayer<T>, IParameterGradientOnly<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly TensorBuffer<T> _output = new(), _inputGradient = new();
    private Tensor<T>? _input;

    /// <summary>Creates the layer with γ = 1 and β = 0.</summary>
    public ScaleShift(int features)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(features);
        Features = features;
        Scale = new Parameter<T>("scale", features);
        Shift = new Parameter<T>("shift", features);
        Scale.ValueSpan.Fill(T.One);
        Parameters = [Scale, Shift];
    }

    // An inference copy: the same parameters, buffers of its own.
    private ScaleShift(ScaleShift<T> source) => (Features, Scale, Shift, Parameters) = (source.Features, source.Scale, source.Shift, source.Parameters);

    public int Features { get; }

    /// <summary>γ, shape <c>[features]</c>.</summary>
    public Parameter<T> Scale { get; }

    /// <summary>β, shape <c>[features]</c>.</summary>
    public Parameter<T> Shift { get; }

    public IReadOnlyList<Parameter<T>> Parameters { get; }

    public ILayer<T> CreateInferenceCopy() => new ScaleShift<T>(this);

    // y = γ ⊙ x + β, row by row, split across the helper threads (each element from its own x, γ and β)
    public Tensor<T> Forward(Tensor<T> input, bool training)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank != 2 || input.Lengths[1] != Features)
            throw new ShapeMismatchException(ToString(), $"[N, {Features}]", input.Shape());
        _input = input;
        var output = _output.GetLike(input);
        ParallelElementwise.Run(new Affine(input, Scale.Value, Shift.Value, output, Features), (int)input.FlattenedLength);
        return output;
    }

    private readonly struct Affine(Tensor<T> x, Tensor<T> scale, Tensor<T> shift, Tensor<T> y, int features) : IElementwiseOperation
    {
        public void Run(int start, int length)
        {
            Span<T> input = x.Span(), output = y.Span(), gamma = scale.Span(), beta = shift.Span();
            for (int i = start; i < start + length; i++) output[i] = gamma[i % features] * input[i] + beta[i % features];
        }
    }

    // dx = dy ⊙ γ
    public Tensor<T> Backward(Tensor<T> outputGradient)
    {
        var input = BackwardToParametersChecked(outputGradient);
        var inputGradient = _inputGradient.GetLike(input);
        Span<T> dy = outputGradient.Span(), dx = inputGradient.Span(), gamma = Scale.ValueSpan;
        for (int start = 0; start < dy.Length; start += Features)
            TensorPrimitives.Multiply(dy.Slice(start, Features), gamma, dx.Slice(start, Features));
        return inputGradient;
    }

    public void BackwardToParameters(Tensor<T> outputGradient) => BackwardToParametersChecked(outputGradient);

    // dγ += Σ_n dy ⊙ x ; dβ += Σ_n dy, summed over the rows in order, so the sums do not depend on the threads
    private Tensor<T> BackwardToParametersChecked(Tensor<T> outputGradient)
    {
        ArgumentNullException.ThrowIfNull(outputGradient);
        var input = _input ?? throw new InvalidOperationException($"{this}: Backward called before Forward.");
        if (!outputGradient.Lengths.SequenceEqual(input.Lengths))
            throw new ShapeMismatchException(ToString() + " (backward)", TensorMemory.ShapeText(input.Lengths), outputGradient.Shape());
        Span<T> x = input.Span(), dy = outputGradient.Span(), dGamma = Scale.GradientSpan, dBeta = Shift.GradientSpan;
        for (int start = 0; start < dy.Length; start += Features)
        {
            var row = dy.Slice(start, Features);
            TensorPrimitives.FusedMultiplyAdd(row, x.Slice(start, Features), dGamma, dGamma);
            TensorPrimitives.Add(dBeta, row, dBeta);
        }
        return input;
    }

    public IReadOnlyList<int> OutputShape(IReadOnlyList<int> inputShape) =>
        inputShape.Count == 1 && inputShape[0] == Features
            ? [Features]
            : throw new ShapeMismatchException(ToString(), $"[{Features}]", inputShape);

    public LayerDescription Describe() => new("ScaleShift", new Dictionary<string, double> { ["features"] = Features });

    public override string ToString() => $"ScaleShift({Features})";
}

/// <summary>Rebuilds a <see cref="ScaleShift{T}"/>: its two parameters are known from the description alone.</summary>
public sealed class ScaleShiftKind() : LayerKind("ScaleShift")
{
    public override IReadOnlyList<ParameterShape> Parameters(LayerSettings settings)
    {
        int features = settings.Positive("features");
        return [new("scale", [features]), new("shift", [features])];
    }

    public override ILayer<T> Create<T>(LayerSettings settings) => new ScaleShift<T>(settings.Positive("features"));
}
