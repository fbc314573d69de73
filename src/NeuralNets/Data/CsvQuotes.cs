namespace NeuralNets.Data;

/// <summary>
/// Finds quotes that would make a row swallow the lines after it. Sep, as RFC 4180 allows, reads a line break inside
/// quotes as part of the cell, and it enters and leaves quotes at every quote character wherever it stands: so a quote
/// that is never closed, or a lone quote inside an unquoted cell, turns the lines that follow into one cell, and their
/// rows vanish without an error. A quoted cell that holds line breaks on purpose (<c>"two\nlines"</c>) is left alone.
/// </summary>
internal static class CsvQuotes
{
    /// <summary>
    /// The first cell of <paramref name="row"/> (its text as Sep found it, before unescaping) whose quotes run past the
    /// line: one whose quote is never closed (the row runs to the end of the input), or one that spans lines without
    /// being a quoted cell (a quote first and last, the quotes between doubled). Null when there is none.
    /// </summary>
    /// <param name="row">The row's raw text.</param>
    /// <param name="separator">The cell separator.</param>
    /// <param name="neverClosed">True when the cell's quote is never closed.</param>
    public static int? FindRunaway(ReadOnlySpan<char> row, char separator, out bool neverClosed)
    {
        int cell = 0, start = 0;
        bool inQuotes = false, spansLines = false;
        for (int i = 0; i <= row.Length; i++)
        {
            char c = i < row.Length ? row[i] : separator;  // the row's end closes its last cell
            if (c == '"')
            {
                inQuotes = !inQuotes;
            }
            else if (inQuotes)
            {
                // Outside quotes a line break would have ended the row: inside them is the only place one can be.
                spansLines |= c is '\n' or '\r';
            }
            else if (c == separator)
            {
                if (spansLines && !IsQuotedCell(row[start..i])) break;
                cell++;
                start = i + 1;
                spansLines = false;
            }
        }
        neverClosed = inQuotes;
        return inQuotes || spansLines ? cell : null;
    }

    /// <summary>Whether <paramref name="cell"/> is one quoted cell: a quote first and last, every quote between them doubled.</summary>
    private static bool IsQuotedCell(ReadOnlySpan<char> cell)
    {
        if (cell.Length < 2 || cell[0] != '"' || cell[^1] != '"') return false;
        var inside = cell[1..^1];
        for (int i = 0; i < inside.Length; i++)
        {
            if (inside[i] != '"') continue;
            if (i + 1 == inside.Length || inside[i + 1] != '"') return false;
            i++;
        }
        return true;
    }
}
