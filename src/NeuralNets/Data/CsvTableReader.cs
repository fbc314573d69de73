using System.Buffers;
using System.Globalization;
using nietras.SeparatedValues;

namespace NeuralNets.Data;

/// <summary>
/// Reads CSV text with Sep into the selected columns of a <see cref="CsvTable"/>. Sep splits rows and cells
/// and unescapes quotes; this class checks every row's width, every cell of a selected column and the header,
/// so that each problem is reported with the file, the line and the column.
/// </summary>
internal sealed class CsvTableReader
{
    private const int MaxShownLength = 40;

    private readonly CsvOptions _options;
    private readonly string _file;
    private readonly string[] _markers;
    private readonly bool _emptyIsMissing;
    private readonly SearchValues<char> _markerStarts;  // a cell starting with none of these is no marker (most cells: digits)

    private CsvTableReader(CsvOptions options, string file)
    {
        _options = options;
        _file = file;
        _markers = options.MissingMarkers.Select(m => (m ?? throw new ArgumentException("A missing-value marker is null.", nameof(options))).Trim()).ToArray();
        _emptyIsMissing = _markers.Contains("");
        _markerStarts = SearchValues.Create(_markers.Where(m => m.Length > 0)
            .SelectMany(m => new[] { char.ToLowerInvariant(m[0]), char.ToUpperInvariant(m[0]), m[0] }).Distinct().ToArray());
    }

    /// <summary>Reads the whole of <paramref name="text"/>; <paramref name="source"/> names it in the table and in messages.</summary>
    public static CsvTable Read(TextReader text, CsvOptions options, string source) => new CsvTableReader(options, $"'{source}'").ReadAll(text, source);

    private CsvTable ReadAll(TextReader text, string source)
    {
        using var reader = Sep.New(_options.Separator).Reader(o => o with
        {
            HasHeader = false,
            // Widths are checked here, so that the message can name the line and the column.
            DisableColCountCheck = true,
            Unescape = true,
            CultureInfo = CultureInfo.InvariantCulture,
        }).From(text);

        var preamble = new List<string[]>();
        string[]? names = null;  // stays null without a header: a column's name is made from its position when a message needs it
        int headerLine = 0, width = 0, widthLine = 0;
        CsvColumnsBuilder? selection = null;
        var lines = new List<int>();
        var skipped = new List<int>();
        int nextLine = 1;
        foreach (var row in reader)
        {
            // Counted from where the last row ended: Sep's LineNumberFrom of a header-less file's first row is 2.
            int line = nextLine;
            nextLine = row.LineNumberToExcl;
            // Before any cell is read: Sep unescapes a cell in place when it is read, and the check needs the raw text.
            if (row.Span.Contains('"')) CheckQuotes(row.Span, line, nextLine - 1, names, width);
            if (preamble.Count < _options.SkipRows)
            {
                preamble.Add(Cells(row));
                continue;
            }
            if (selection is null)
            {
                width = row.ColCount;
                widthLine = line;
                if (_options.HasHeader)
                {
                    names = Cells(row, trim: true);
                    headerLine = line;
                    selection = Select(names, width, line);
                    continue;
                }
                selection = Select(null, width, line);
            }
            if (row.ColCount != width) throw Ragged(line, row.ColCount, width, widthLine, names);
            if (!selection.BeginRow())
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"{_file}, line {line}: the selected columns hold more cells than one array can ({Array.MaxLength}). ") +
                    "Select fewer columns (CsvOptions.Features) or split the file.");
            // Each cell is checked and staged; the row is added only once all its cells are good.
            if (!StageRow(row, selection, names, line))
            {
                skipped.Add(line);
                continue;
            }
            selection.Commit();
            lines.Add(line);
        }
        if (selection is null || lines.Count == 0)
            throw new InvalidDataException(skipped.Count > 0
                ? string.Create(CultureInfo.InvariantCulture, $"{_file}: every one of its {skipped.Count} data rows has a missing value, so none is left.")
                : $"{_file} holds no data rows.");
        return new CsvTable(source, headerLine, selection.Build(), _options.Label is not null, lines.ToArray(), skipped.ToArray(), preamble.ToArray());
    }

    private static string[] Cells(SepReader.Row row, bool trim = false)
    {
        var cells = new string[row.ColCount];
        // Sep's ToString, not the span's: it hands out one shared string for a cell of one character.
        for (int i = 0; i < cells.Length; i++) cells[i] = trim ? row[i].ToString().Trim() : row[i].ToString();
        return cells;
    }

    /// <summary>Stages every selected cell of the row; false when a cell is missing and the policy skips the row (throws when it is to throw).</summary>
    private bool StageRow(SepReader.Row row, CsvColumnsBuilder selection, string[]? names, int line)
    {
        for (int column = 0; column < selection.Count; column++)
        {
            var col = row[selection.FileIndex(column)];
            var cell = col.Span;
            if (IsMissing(cell))
            {
                if (_options.MissingValues == MissingValuePolicy.SkipRow) return false;
                throw new InvalidDataException(
                    string.Create(CultureInfo.InvariantCulture, $"{_file}, line {line}, column {Describe(names, selection.FileIndex(column))}: the value is missing ({Show(cell)}). ") +
                    "Fill it in, or read with MissingValues = MissingValuePolicy.SkipRow to leave such rows out (the table lists them).");
            }
            Stage(selection, column, col, cell, line);
        }
        return true;
    }

    /// <summary>Refuses a row that a stray or unclosed quote has made swallow the lines after it (see <see cref="CsvQuotes"/>).</summary>
    private void CheckQuotes(ReadOnlySpan<char> row, int line, int lastLine, string[]? names, int width)
    {
        if (CsvQuotes.FindRunaway(row, _options.Separator, out bool neverClosed) is not { } index) return;
        // Before the first row's width is known (0 until then), or past it, only the index says where.
        string column = index < width ? Describe(names, index) : string.Create(CultureInfo.InvariantCulture, $"index {index}");
        string problem = neverClosed
            ? "a quote in the cell is never closed, so the rest of the file would be read into it"
            : string.Create(CultureInfo.InvariantCulture, $"a stray quote makes the cell run on to line {lastLine}, taking in the rows between");
        throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"{_file}, line {line}, column {column}: {problem}. ") +
            "A quote inside a cell must be doubled (\"\") and the whole cell quoted.");
    }

    private bool IsMissing(ReadOnlySpan<char> cell)
    {
        var trimmed = cell.Trim();
        if (trimmed.IsEmpty) return _emptyIsMissing;
        if (!_markerStarts.Contains(trimmed[0])) return false;
        foreach (string marker in _markers)
            if (trimmed.Equals(marker, StringComparison.OrdinalIgnoreCase)) return true;
        return false;
    }

    private void Stage(CsvColumnsBuilder selection, int column, SepReader.Col col, ReadOnlySpan<char> cell, int line)
    {
        if (selection.IsCategory(column))
        {
            selection.StageCategory(column, cell.Trim());
            return;
        }
        // Sep's fast parser first (csFastFloat, several times the BCL's speed); what it refuses, the BCL decides
        // (it also takes the spaces around a number that NumberStyles.Float allows).
        if (!col.TryParse(out double value) && !double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out value))
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"{_file}, line {line}, column {Describe(selection, column)}: {Show(cell)} is not a number. ") +
                "List the column in CsvOptions.Categorical if it holds categories.");
        if (!double.IsFinite(value))
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"{_file}, line {line}, column {Describe(selection, column)}: {Show(cell)} is not a finite number."));
        selection.StageNumber(column, value);
    }

    private InvalidDataException Ragged(int line, int count, int width, int widthLine, string[]? names)
    {
        string whose = _options.HasHeader ? string.Create(CultureInfo.InvariantCulture, $"the header (line {widthLine})") : string.Create(CultureInfo.InvariantCulture, $"the first data row (line {widthLine})");
        string which = count < width
            ? $"column {Describe(names, count)} is missing"
            : string.Create(CultureInfo.InvariantCulture, $"column index {width} and after are extra");
        return new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"{_file}, line {line}: the row has {count} cells but {whose} has {width}; {which}."));
    }

    private static string Describe(string[]? names, int index) =>
        string.Create(CultureInfo.InvariantCulture, $"'{names?[index] ?? CsvColumnStore.PositionName(index)}' (index {index})");

    private static string Describe(CsvColumnsBuilder selection, int column) =>
        string.Create(CultureInfo.InvariantCulture, $"'{selection.Name(column)}' (index {selection.FileIndex(column)})");

    private static string Show(ReadOnlySpan<char> cell) =>
        cell.Length <= MaxShownLength ? $"'{cell}'" : string.Create(CultureInfo.InvariantCulture, $"'{cell[..MaxShownLength]}…' ({cell.Length} characters)");

    /// <summary>Resolves the options' columns against the header (or the first row's width); a column the file lacks is a data error.</summary>
    /// <summary>Resolves the options' columns against the header (or the first row's width); a column the file lacks is a data error.</summary>
    private CsvColumnsBuilder Select(string[]? names, int width, int line)
    {
        int Resolve(CsvColumn column)
        {
            int index = column.Resolve(names, width);
            if (index == -2)
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"{_file}, line {line} (header): more than one column is named {column}."));
            if (index >= 0) return index;
            throw new InvalidDataException(column.Name is not null
                ? string.Create(CultureInfo.InvariantCulture, $"{_file}, line {line} (header): no column is named {column}; the header has {ShowNames(names ?? [])}.")
                : string.Create(CultureInfo.InvariantCulture, $"{_file}, line {line}: no column {column}: rows have {width} columns."));
        }

        int label = _options.Label is { } l ? Resolve(l) : -1;
        int[] features;
        if (_options.Features is { } selected) features = selected.Select(Resolve).ToArray();
        else
        {
            features = new int[label >= 0 ? width - 1 : width];
            for (int i = 0, f = 0; i < width; i++)
                if (i != label) features[f++] = i;
        }
        if (features.Length == 0) throw new ArgumentException("No feature column is selected: the file has only the label column.", nameof(CsvOptions.Features));
        // A flag per column of the file rather than a set: a byte a column, not a set's entry and its growth.
        var isFeature = new bool[width];
        foreach (int index in features)
        {
            if (index == label) throw new ArgumentException($"Column {Describe(names, index)} is selected both as the label and as a feature.", nameof(CsvOptions.Features));
            if (isFeature[index]) throw new ArgumentException($"Column {Describe(names, index)} is selected twice as a feature.", nameof(CsvOptions.Features));
            isFeature[index] = true;
        }
        var isCategoryAt = new bool[width];
        foreach (var column in _options.Categorical)
        {
            int index = Resolve(column);
            if (!isFeature[index])
                throw new ArgumentException($"Column {Describe(names, index)} is listed as categorical but is not a selected feature.", nameof(CsvOptions.Categorical));
            isCategoryAt[index] = true;
        }
        if (label >= 0) isCategoryAt[label] = _options.LabelKind == CsvLabelKind.Category;
        int[] fileIndex = label >= 0 ? [.. features, label] : features;
        var isCategory = new bool[fileIndex.Length];
        for (int c = 0; c < fileIndex.Length; c++) isCategory[c] = isCategoryAt[fileIndex[c]];
        string[]? selectedNames = null;
        if (names is not null)
        {
            selectedNames = new string[fileIndex.Length];
            for (int c = 0; c < fileIndex.Length; c++) selectedNames[c] = names[fileIndex[c]];
        }
        return new CsvColumnsBuilder(selectedNames, fileIndex, isCategory);
    }

    private static string ShowNames(string[] names)
    {
        const int shown = 12;
        string list = string.Join(", ", names.Take(shown).Select(n => $"'{n}'"));
        return names.Length <= shown ? list : string.Create(CultureInfo.InvariantCulture, $"{list} and {names.Length - shown} more");
    }
}
