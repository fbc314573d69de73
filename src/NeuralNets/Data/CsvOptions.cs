using System.Globalization;
using System.Text;

namespace NeuralNets.Data;

/// <summary>How <see cref="CsvTable.Read"/> reads a CSV file: its layout, which columns to take, and what to do with missing cells.</summary>
/// <remarks>
/// Every selected column is numeric unless it is listed in <see cref="Categorical"/> (or is a
/// <see cref="CsvLabelKind.Category"/> label): a cell that is not a finite number in a numeric column is an error,
/// never a category and never zero. Numbers are read with the invariant culture (a dot for decimals).
/// </remarks>
public sealed record CsvOptions
{
    /// <summary>The character between cells; a comma by default.</summary>
    public char Separator { get; init; } = ',';

    /// <summary>
    /// Rows at the start of the file, before the header (or the data), that are neither: kept as text in
    /// <see cref="CsvTable.Preamble"/>. The CSV files scikit-learn ships start with one such row (the sample
    /// count, the feature count and the class names) and have no header: read them with <c>SkipRows = 1, HasHeader = false</c>.
    /// </summary>
    public int SkipRows { get; init; }

    /// <summary>Whether the first row (after <see cref="SkipRows"/>) names the columns; true by default. Without a header, select columns by position.</summary>
    public bool HasHeader { get; init; } = true;

    /// <summary>The feature columns, in the order the features will have; null (the default) takes every column but the label, in file order.</summary>
    public IReadOnlyList<CsvColumn>? Features { get; init; }

    /// <summary>The label column, or null for a file without labels (data to predict on).</summary>
    public CsvColumn? Label { get; init; }

    /// <summary>What the label column holds: classes (the default) or a number to regress on.</summary>
    public CsvLabelKind LabelKind { get; init; } = CsvLabelKind.Category;

    /// <summary>Feature columns whose cells are categories (text), to be one-hot encoded by <see cref="TabularEncoder"/>.</summary>
    public IReadOnlyList<CsvColumn> Categorical { get; init; } = [];

    /// <summary>Cells that mean "no value", compared after trimming spaces and ignoring case: empty, <c>NA</c>, <c>N/A</c>, <c>NaN</c>, <c>null</c> and <c>?</c> by default.</summary>
    public IReadOnlyList<string> MissingMarkers { get; init; } = ["", "NA", "N/A", "NaN", "null", "?"];

    /// <summary>What to do with a row that has a missing cell in a selected column: throw (the default) or skip the row and list it.</summary>
    public MissingValuePolicy MissingValues { get; init; } = MissingValuePolicy.Throw;

    /// <summary>
    /// The most text a gzip-compressed file (<c>.gz</c>) may inflate to, 256 MiB by default: a small hostile
    /// file cannot make the reader read more than this. A file whose gzip trailer gives a larger size is refused before
    /// anything is inflated. The table read from that much text takes more memory than the text (about 8 bytes per
    /// number cell, 4 per category cell, 4 per row), as it would from a plain file of the same text.
    /// </summary>
    public long MaxInflatedBytes { get; init; } = 256L << 20;

    internal void Validate()
    {
        ArgumentRange.ThrowIfNegative(SkipRows, nameof(SkipRows));
        ArgumentRange.ThrowIfNegativeOrZero(MaxInflatedBytes, nameof(MaxInflatedBytes));
        if (Separator is '"' or '\r' or '\n')
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"The separator cannot be a quote or a line break (was U+{(int)Separator:X4})."), nameof(Separator));
        ArgumentNullException.ThrowIfNull(Categorical, nameof(Categorical));
        ArgumentNullException.ThrowIfNull(MissingMarkers, nameof(MissingMarkers));
        if (!Enum.IsDefined(MissingValues)) throw new ArgumentOutOfRangeException(nameof(MissingValues), string.Create(CultureInfo.InvariantCulture, $"{(int)MissingValues} is not a MissingValuePolicy."));
        if (!Enum.IsDefined(LabelKind)) throw new ArgumentOutOfRangeException(nameof(LabelKind), string.Create(CultureInfo.InvariantCulture, $"{(int)LabelKind} is not a CsvLabelKind."));
        if (!HasHeader)
        {
            foreach (var column in (Features ?? []).Concat(Categorical).Concat(Label is { } l ? [l] : []))
                if (column.Name is not null)
                    throw new ArgumentException($"Column {column} is selected by name, but the options say the file has no header: select it by position.", nameof(HasHeader));
        }
    }

    // Numbers written in the invariant culture (RecordText), not the current one as the generated member list would.
    private bool PrintMembers(StringBuilder builder) => RecordText.PrintMembers(this, builder);
}
