using System.Text;
namespace NeuralNets.Data;

/// <summary>What a <see cref="TabularEncoder"/> learned of one feature column: a numeric column's mean and scale, or a categorical column's categories.</summary>
/// <remarks>A struct, held in the encoder's array: an encoder of a table of many columns costs no object per column.</remarks>
internal readonly record struct EncodedColumn(string Name, double Mean, double Scale, string[]? Categories)
{
    public bool IsCategory => Categories is not null;

    /// <summary>How many encoded values the column becomes: 1, or one per category.</summary>
    public int Width => Categories?.Length ?? 1;

    // Numbers written in the invariant culture (RecordText), not the current one as the generated member list would.
    private bool PrintMembers(StringBuilder builder) => RecordText.PrintMembers(this, builder);
}
