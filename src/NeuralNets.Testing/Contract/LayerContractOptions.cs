using System.Globalization;
using System.Text;

namespace NeuralNets.Testing.Contract;

/// <summary>What the <see cref="LayerContract"/> needs to know about a layer beyond its interface.</summary>
public sealed record LayerContractOptions
{
    /// <summary>The seed of every random input and gradient the contract draws. Default 1.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>The largest relative error a gradient may show against central differences. Default 1e-6.</summary>
    public double GradientTolerance { get; init; } = 1e-6;

    /// <summary>Whether the layer's training pass differs from inference by design (Dropout, BatchNorm); null to decide from its kind.</summary>
    public bool? TrainingDiffers { get; init; }

    /// <summary>Batch sizes of the gradient check besides the batch of one. Default 3 and 5.</summary>
    public IReadOnlyList<int> Batches { get; init; } = [3, 5];

    // The generated member list, with the numbers written in the invariant culture.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append(CultureInfo.InvariantCulture, $"Seed = {Seed}, GradientTolerance = {GradientTolerance}, TrainingDiffers = {TrainingDiffers}, Batches = {Batches}");
        return true;
    }
}
