using System.Globalization;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Text;

namespace NeuralNets.Layers;

/// <summary>A table of a network's layers, as Keras's <c>model.summary()</c> prints it.</summary>
public static class SequentialSummary
{
    /// <summary>
    /// The layers one per row with their output shape per sample, parameter count and trainable parameter count;
    /// then the totals, the parameters' memory and the activations' memory for one sample. Numbers are written with
    /// the invariant culture (<c>61,706</c>) and columns are aligned for a fixed-width font.
    /// </summary>
    /// <remarks>Every parameter of a built-in layer is trainable; the column is there so that a network with frozen layers reads the same.
    /// Without an input shape, output shapes and activation memory are unknown and shown as <c>?</c>.</remarks>
    public static string Summary<T>(this Sequential<T> network) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        int elementBytes = Marshal.SizeOf<T>();
        string[] headings = ["#", "Layer", "Output shape", "Parameters", "Trainable"];
        var rows = new List<string[]>();
        IReadOnlyList<int>? shape = network.InputShape;
        long total = 0, activations = 0;
        for (int i = 0; i < network.Layers.Count; i++)
        {
            var layer = network.Layers[i];
            long parameters = layer.Parameters.Sum(p => (long)p.Length);
            total += parameters;
            string output = "?";
            if (shape is not null)
            {
                shape = layer.OutputShape(shape);
                activations += shape.Aggregate(1L, (size, length) => size * length);
                output = "[N, " + string.Join(", ", shape.Select(length => Count(length))) + "]";
            }
            rows.Add([Count(i), Name(layer), output, Count(parameters), Count(parameters)]);
        }
        var widths = headings.Select((h, c) => Math.Max(h.Length, rows.Count == 0 ? 0 : rows.Max(r => r[c].Length))).ToArray();
        bool[] rightAligned = [true, false, false, true, true];
        string Line(string[] cells) => string.Join("  ", cells.Select((cell, c) => rightAligned[c] ? cell.PadLeft(widths[c]) : cell.PadRight(widths[c]))).TrimEnd();
        int ruleLength = widths.Sum() + 2 * (widths.Length - 1);

        var text = new StringBuilder();
        text.Append("Sequential<").Append(typeof(T).Name).Append('>');
        if (network.InputShape is { } input) text.Append(", input [").Append(string.Join(", ", input.Select(length => Count(length)))).Append(']');
        text.AppendLine();
        text.AppendLine(new string('=', ruleLength));
        text.AppendLine(Line(headings));
        text.AppendLine(new string('-', ruleLength));
        foreach (var row in rows) text.AppendLine(Line(row));
        text.AppendLine(new string('=', ruleLength));
        text.AppendLine(CultureInfo.InvariantCulture, $"Total parameters: {Count(total)} ({Bytes(total * elementBytes)})");
        text.AppendLine(CultureInfo.InvariantCulture, $"Trainable parameters: {Count(total)} ({Bytes(total * elementBytes)})");
        text.AppendLine(CultureInfo.InvariantCulture, $"Non-trainable parameters: 0 ({Bytes(0)})");
        text.Append("Activations per sample: ")
            .Append(shape is null ? "? (built without an input shape)" : $"{Count(activations)} values ({Bytes(activations * elementBytes)})");
        return text.ToString();
    }

    // A nested network prints several lines of its own; its row names it and its size.
    private static string Name<T>(ILayer<T> layer) where T : unmanaged, IFloatingPointIeee754<T> =>
        layer is Sequential<T> nested ? string.Create(CultureInfo.InvariantCulture, $"Sequential({nested.Layers.Count} layers)") : (layer.ToString() ?? layer.GetType().Name).Split('\n')[0].TrimEnd();

    private static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Bytes(long bytes) => bytes switch
    {
        < 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes} B"),
        < 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:F1} KiB"),
        < 1024L * 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024):F1} MiB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024 * 1024):F1} GiB"),
    };
}
