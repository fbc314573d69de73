namespace NeuralNets.Data;

/// <summary>What <see cref="CsvTable.Read"/> does with a row that has a missing cell in a selected column.</summary>
public enum MissingValuePolicy
{
    /// <summary>Stop with an <see cref="InvalidDataException"/> naming the file, the line and the column (the default).</summary>
    Throw,

    /// <summary>Leave the row out; the table lists the line numbers of every row left out in <see cref="CsvTable.SkippedLines"/>.</summary>
    SkipRow,
}
