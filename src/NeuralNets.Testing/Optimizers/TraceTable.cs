using System.Globalization;
using System.Text;

namespace NeuralNets.Testing.Optimizers;

/// <summary>Writes optimizer steps as a small table in the lecture's symbols, one row a step, for one element of w.</summary>
public static class TraceTable
{
    /// <summary>The table of <paramref name="rows"/> for element <paramref name="element"/> of w.</summary>
    /// <param name="rule">The rule whose symbols head the columns.</param>
    /// <param name="rows">The steps to show.</param>
    /// <param name="element">Which element of w (and of the gradient and the state) to show.</param>
    /// <param name="actualHeading">The heading of the last column, the optimizer under test's w after the step.</param>
    public static string Format(ReferenceRule rule, IReadOnlyList<TraceRow> rows, int element, string actualHeading = "yours: w")
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(rows);
        string At(string symbol) => string.Create(CultureInfo.InvariantCulture, $"{symbol}[{element}]");
        var headings = new List<string> { "t", At("w"), At(rule.GradientSymbol) };
        headings.AddRange(rule.StateSymbols.Select(At));
        headings.Add(At("rule: w") + " after");
        headings.Add(At(actualHeading) + " after");
        var cells = rows.Select(r =>
        {
            var row = new List<string> { r.T.ToString(CultureInfo.InvariantCulture), Number(r.Rule.W[element]), Number(r.Rule.G[element]) };
            row.AddRange(r.Rule.State.Select(s => Number(s[element])));
            row.Add(Number(r.Rule.Next[element]));
            row.Add(Number(r.Actual[element]));
            return row;
        }).ToList();
        var widths = headings.Select((h, c) => Math.Max(h.Length, cells.Count == 0 ? 0 : cells.Max(row => row[c].Length))).ToArray();
        var text = new StringBuilder();
        AppendRow(text, headings, widths);
        text.AppendLine().Append('|').AppendJoin('|', widths.Select(w => new string('-', w + 2))).Append('|');
        foreach (var row in cells) AppendRow(text.AppendLine(), row, widths);
        return text.ToString();
    }

    private static void AppendRow(StringBuilder text, IReadOnlyList<string> cells, int[] widths)
    {
        text.Append('|');
        for (int c = 0; c < cells.Count; c++) text.Append(' ').Append(cells[c].PadLeft(widths[c])).Append(" |");
    }

    // Twelve significant digits: enough to see a slip of one part in 1e9, short enough to read.
    private static string Number(double value) => KitText.Format($"{value:G12}");
}
