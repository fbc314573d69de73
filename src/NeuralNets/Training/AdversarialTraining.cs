using System.Globalization;
using System.Text;

namespace NeuralNets.Training;

/// <summary>
/// Adversarial training (<see cref="TrainingOptions.Adversarial"/>): in every training batch a <see cref="Fraction"/> of the
/// samples is replaced by its fast-gradient-sign counterpart <c>x′ = clip(x + ε·sign(∇ₓL(x, y)), Min, Max)</c>, made from
/// the weights of that moment, so the network learns from the examples that fool it now.
/// </summary>
/// <remarks>
/// <para>Replaced, not appended: the batch keeps its size, and its mean loss is
/// <c>(1 − f)·L(clean part) + f·L(adversarial part)</c>. That is Kurakin et al. (2016)'s batch of clean and adversarial
/// examples with weight λ = 1, and, with f = ½ over a shuffled batch, an estimate of Goodfellow et al. (2015)'s objective
/// <c>α·L(x, y) + (1 − α)·L(x′, y)</c> with α = ½ at half the cost of computing both for every sample.</para>
/// <para>The replaced samples are the first ⌊f·n + ½⌋ of each batch of n, which shuffling makes a random subset (without
/// shuffling it is the same subset every epoch). The gradient ∇ₓL is taken in inference mode (dropout off, batch norm on
/// running statistics) over the whole batch, after any <see cref="TrainingOptions.Augmentation"/>. It depends only on the
/// weights and the batch, so training stays bit-identical for a seed whatever the thread count, and a resumed run matches
/// a straight one. The cost is one more forward and backward pass per step.</para>
/// </remarks>
public sealed record AdversarialTraining
{
    /// <summary>ε, the largest change of any input element (L∞ budget); positive. Default 0.1.</summary>
    public double Epsilon { get; init; } = 0.1;

    /// <summary>The fraction f of every batch replaced by adversarial examples, in (0, 1]. Default 0.5.</summary>
    public double Fraction { get; init; } = 0.5;

    /// <summary>Lower bound of a valid input element. Default 0 (pixels in [0, 1]).</summary>
    public double Min { get; init; }

    /// <summary>Upper bound of a valid input element. Default 1.</summary>
    public double Max { get; init; } = 1;

    /// <summary>How many samples of a batch of <paramref name="count"/> are replaced.</summary>
    internal int Replaced(int count) => Math.Min(count, (int)Math.Floor(Fraction * count + 0.5));

    internal void Validate()
    {
        static string Text(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
        if (!(Epsilon > 0) || !double.IsFinite(Epsilon))
            throw new ArgumentOutOfRangeException(nameof(Epsilon), Text($"Adversarial training's ε must be positive and finite, but was {Epsilon}."));
        if (!(Fraction > 0 && Fraction <= 1))
            throw new ArgumentOutOfRangeException(nameof(Fraction), Text($"Adversarial training's Fraction of each batch must lie in (0, 1], but was {Fraction}."));
        if (!(Min < Max) || !double.IsFinite(Min) || !double.IsFinite(Max))
            throw new ArgumentException(Text($"Adversarial training's valid input range [{Min}, {Max}] must be finite and not empty."), nameof(Min));
    }

    // Numbers written in the invariant culture (RecordText), not the current one as the generated member list would.
    private bool PrintMembers(StringBuilder builder) => RecordText.PrintMembers(this, builder);
}
