using System.Globalization;
using System.Text;

namespace NeuralNets.Testing.Contract;

/// <summary>What the <see cref="LayerContract"/> needs to know about a layer beyond its interface.</summary>
/// <remarks>
/// A value the contract could not judge by is refused where it is set, naming the option and the value: a tolerance
/// of NaN or 0 would pass every gradient, a batch size below 2 would leave training mode unchecked.
/// </remarks>
public sealed record LayerContractOptions
{
    /// <summary>The seed of every random input and gradient the contract draws; any value. Default 1.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>The largest relative error a gradient may show against central differences, above 0 and below 1. Default 1e-6.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is NaN, 0 or negative, or 1 or more.</exception>
    public double GradientTolerance
    {
        get;
        init
        {
            // Written so that NaN fails it too; at 1 a gradient of the wrong sign or half its size would count as right.
            if (!(value > 0 && value < 1))
                // The value in the message only: the exception's own "Actual value" line would write it in the current culture.
                throw new ArgumentOutOfRangeException(nameof(GradientTolerance), string.Create(KitText.Numbers,
                    $"LayerContractOptions.GradientTolerance is {value}; it must lie above 0 and below 1 (a relative error, e.g. 1e-6)."));
            field = value;
        }
    } = 1e-6;

    /// <summary>Whether the layer's training pass differs from inference by design (Dropout, BatchNorm); null to decide from its kind.</summary>
    public bool? TrainingDiffers { get; init; }

    /// <summary>Batch sizes of the gradient check besides the batch of one, at least one, each 2 or more. Default 3 and 5.</summary>
    /// <exception cref="ArgumentNullException">The value is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The list is empty or holds a size below 2.</exception>
    public IReadOnlyList<int> Batches
    {
        get;
        init
        {
            ArgumentNullException.ThrowIfNull(value, nameof(Batches));
            int[] batches = [.. value];
            string text = ContractTensors.ShapeText(batches);
            if (batches.Length == 0)
                throw new ArgumentOutOfRangeException(nameof(Batches),
                    "LayerContractOptions.Batches is empty; give at least one batch size of 2 or more, e.g. [3, 5] (the batch of one is always checked).");
            // A batch of one is checked anyway, and training mode (batch statistics) is only checked from two samples on.
            foreach (int batch in batches)
                if (batch < 2)
                    throw new ArgumentOutOfRangeException(nameof(Batches), string.Create(CultureInfo.InvariantCulture,
                        $"LayerContractOptions.Batches {text} holds {batch}; every batch size must be 2 or more (the batch of one is always checked)."));
            // A copy: a list the caller changes later cannot bypass the checks above.
            field = batches;
        }
    } = [3, 5];

    /// <summary>Whether <paramref name="other"/> holds the same values, the batch sizes compared one by one.</summary>
    /// <param name="other">The options to compare with.</param>
    public bool Equals(LayerContractOptions? other) =>
        other is not null && Seed == other.Seed && GradientTolerance.Equals(other.GradientTolerance)
        && TrainingDiffers == other.TrainingDiffers && Batches.SequenceEqual(other.Batches);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Seed);
        hash.Add(GradientTolerance);
        hash.Add(TrainingDiffers);
        foreach (int batch in Batches) hash.Add(batch);
        return hash.ToHashCode();
    }

    // The generated member list, with the numbers written in the invariant culture and the batch sizes themselves.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append(KitText.Numbers, $"Seed = {Seed}, GradientTolerance = {GradientTolerance}, TrainingDiffers = {TrainingDiffers}, Batches = {ContractTensors.ShapeText(Batches)}");
        return true;
    }
}
