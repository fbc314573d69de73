using System.Globalization;

namespace NeuralNets.Interop;

/// <summary>
/// Squeeze and Unsqueeze in the data path: each removes or inserts axes of length 1 in the samples, never the batch's, so
/// that a run of them reshapes each sample and is imported as a Reshape that keeps the batch is: nothing where it gives
/// the samples their shape back (an Unsqueeze and the Squeeze that undoes it), a Flatten to vectors (the Squeeze of
/// [N, C, 1, 1] after GlobalAveragePool), an Unflatten otherwise.
/// </summary>
internal sealed partial class OnnxImporter<T>
{
    /// <summary>Imports the run of Squeeze and Unsqueeze links from <paramref name="index"/>; returns how many links after the first it took.</summary>
    private int UnitAxes(List<Link> chain, int index)
    {
        var sample = _shape.ToArray();
        int last = index;
        for (int j = index; j < chain.Count && !chain[j].Branches && chain[j].Nodes[0].OpType is "Squeeze" or "Unsqueeze"; j++)
        {
            sample = chain[j].Nodes[0].OpType == "Squeeze" ? Squeezed(chain[j].Nodes[0], sample) : Unsqueezed(chain[j].Nodes[0], sample);
            last = j;
        }
        if (sample.Length == 0)
            throw Node(chain[last].Nodes[0], "leaves samples with no axis, the batch alone; a network's samples keep at least one");
        Reshaped(chain[index].Nodes[0], sample);
        return last - index;
    }

    /// <summary>The samples' shape after <paramref name="node"/> (a Squeeze) removes the axes it names, each of length 1 and none the batch.</summary>
    private int[] Squeezed(NodeProto node, int[] sample)
    {
        var axes = Axes(node);
        // Without axes every axis of length 1 goes, the batch's too when a batch of one comes.
        if (axes.Length == 0) throw Node(node, "squeezes every axis of length 1, which takes the batch's as well when the batch is 1; only a Squeeze that names its axes can be imported");
        var squeezed = Normalised(node, axes, sample.Length + 1);
        if (squeezed.Contains(0)) throw Node(node, "squeezes the batch's axis (0); only the samples' axes can be squeezed");
        if (squeezed.Any(axis => sample[axis - 1] != 1))
            throw Node(node, string.Create(CultureInfo.InvariantCulture, $"squeezes axes {Text(axes)} of samples of shape {Text(sample)}, not all of length 1"));
        return [.. sample.Where((_, d) => !squeezed.Contains(d + 1))];
    }

    /// <summary>The samples' shape after <paramref name="node"/> (an Unsqueeze) inserts axes of length 1 where it says, none before the batch.</summary>
    private int[] Unsqueezed(NodeProto node, int[] sample)
    {
        var axes = Axes(node);
        if (axes.Length == 0) throw Node(node, "has no axes");
        int rank = sample.Length + 1 + axes.Length;
        if (rank > MaxShapeLength) throw Node(node, string.Create(CultureInfo.InvariantCulture, $"gives the data a rank of {rank}, more than {MaxShapeLength}"));
        var inserted = Normalised(node, axes, rank);
        if (inserted.Contains(0)) throw Node(node, "inserts an axis before the batch's (axis 0); only axes after it, which keep each sample apart, can be imported");
        // The batch stands at 0 as −1, and each axis of length 1 goes where the output has it, in increasing order.
        var shape = new List<int>(sample.Prepend(-1));
        foreach (long axis in inserted.Order()) shape.Insert((int)axis, 1);
        return [.. shape.Skip(1)];
    }
}
