using System.Globalization;

namespace NeuralNets.Data;

/// <summary>The row order of a seeded split: shuffled, the held-out part first. Shared by <see cref="Dataset{T}.Split"/> and <see cref="CsvTable.Split"/>, so both split alike.</summary>
internal static class ShuffledSplit
{
    /// <summary>A shuffle of 0..count−1 and the size of the held-out part; <paramref name="part"/> and <paramref name="parameter"/> name the fraction in messages.</summary>
    public static (int[] Order, int HeldOut) Order(int count, double fraction, int seed, string part, string parameter, string items)
    {
        if (!(fraction > 0 && fraction < 1))
            throw new ArgumentOutOfRangeException(parameter, string.Create(CultureInfo.InvariantCulture, $"The {part} fraction must lie strictly between 0 and 1, but was {fraction}."));
        int heldOut = (int)Math.Round(count * fraction);
        if (heldOut == 0 || heldOut == count)
            throw new ArgumentOutOfRangeException(parameter, string.Create(CultureInfo.InvariantCulture, $"Splitting {count} {items} by {fraction} leaves one part empty."));
        var order = new int[count];
        for (int i = 0; i < order.Length; i++) order[i] = i;
        new Random(seed).Shuffle(order);
        return (order, heldOut);
    }
}
