using System.Globalization;
using System.Numerics;

namespace NeuralNets.Diagnostics;

/// <summary>
/// What a network output at every iterate of an iterative attack (<see cref="Adversarial.Targeted{T}(Layers.ILayer{T}, Losses.ILoss{T}, System.Numerics.Tensors.Tensor{T}, System.Numerics.Tensors.Tensor{T}, double, double, int, AttackTrace{T}?, double, double)"/>):
/// iteration 0 is the clean input, iteration <c>k</c> the input after <c>k</c> steps. For a classifier these are the
/// logits, so <see cref="Series"/> of the true class and of the wanted class draws the lecture's y₁ and y₂.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
public sealed class AttackTrace<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private T[] _outputs = [];

    /// <summary>Iterates recorded: the attack's steps + 1 (0 before any attack).</summary>
    public int Iterations { get; private set; }

    /// <summary>Samples in the attacked batch.</summary>
    public int Samples { get; private set; }

    /// <summary>Outputs per sample (classes, for a classifier).</summary>
    public int Outputs { get; private set; }

    /// <summary>Output <paramref name="output"/> of sample <paramref name="sample"/> at iterate <paramref name="iteration"/>.</summary>
    /// <param name="iteration">0 for the clean input, k after k steps.</param>
    /// <param name="sample">The sample in the batch.</param>
    /// <param name="output">The output (class).</param>
    public T Output(int iteration, int sample, int output)
    {
        ArgumentRange.ThrowIfNotIndex(iteration, Iterations, nameof(iteration));
        ArgumentRange.ThrowIfNotIndex(sample, Samples, nameof(sample));
        ArgumentRange.ThrowIfNotIndex(output, Outputs, nameof(output));
        return _outputs[(iteration * Samples + sample) * Outputs + output];
    }

    /// <summary>The outputs of the batch at iterate <paramref name="iteration"/>, <c>[Samples × Outputs]</c> row-major.</summary>
    /// <param name="iteration">0 for the clean input, k after k steps.</param>
    public ReadOnlySpan<T> At(int iteration)
    {
        ArgumentRange.ThrowIfNotIndex(iteration, Iterations, nameof(iteration));
        return _outputs.AsSpan(iteration * Samples * Outputs, Samples * Outputs);
    }

    /// <summary>One output of one sample over all iterates, as doubles ready to plot.</summary>
    /// <param name="sample">The sample in the batch.</param>
    /// <param name="output">The output (class), e.g. the true class y₁ or the wanted class y₂.</param>
    public double[] Series(int sample, int output)
    {
        var series = new double[Iterations];
        for (int k = 0; k < series.Length; k++) series[k] = double.CreateChecked(Output(k, sample, output));
        return series;
    }

    /// <summary>Sizes the trace for an attack (reusing its storage when large enough) and forgets what it held.</summary>
    internal void Start(int iterations, int samples, int outputs)
    {
        long length = (long)iterations * samples * outputs;
        if (length > Array.MaxLength)
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"A trace of {iterations} iterates × {samples} samples × {outputs} outputs is larger than one array can hold."), "steps");
        if (_outputs.Length < length) _outputs = new T[length];
        (Iterations, Samples, Outputs) = (iterations, samples, outputs);
    }

    /// <summary>Copies the batch's outputs at iterate <paramref name="iteration"/>.</summary>
    internal void Record(int iteration, ReadOnlySpan<T> outputs)
    {
        if (outputs.Length != Samples * Outputs)
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"The trace holds {Samples} × {Outputs} outputs per iterate, but the network gave {outputs.Length}."));
        outputs.CopyTo(_outputs.AsSpan(iteration * Samples * Outputs));
    }
}
