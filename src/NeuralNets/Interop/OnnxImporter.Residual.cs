using System.Globalization;
using NeuralNets.Layers;

namespace NeuralNets.Interop;

/// <summary>
/// Residual blocks: a value that feeds two branches, each a chain (one may be empty: the identity), which meet again in
/// an Add of the two, as PyTorch's BasicBlock (<c>out += identity</c>) and our own export write <c>body(x) + shortcut(x)</c>.
/// </summary>
internal sealed partial class OnnxImporter<T>
{
    /// <summary>How many residual blocks may be nested in one another: a file that nests more is refused before it can exhaust the stack.</summary>
    private const int MaxBlockDepth = 64;

    /// <summary>How many blocks the one being read is nested in.</summary>
    private int _blockDepth;

    /// <summary>Whether a link's branches join in an Add of two computed values, the join of a residual block.</summary>
    private bool JoinsByAdding(Link link) =>
        link.Nodes[^1] is { OpType: "Add", Attributes.Length: 0, Inputs.Length: 2 } join && DataInputs(join).Count() == 2;

    /// <summary>
    /// Adds a <see cref="Residual{T}"/> for a link whose branches join by adding: the Add's first input is the body and its
    /// second the shortcut, unless the first is the block's input itself (then the second is the body and the shortcut
    /// is the identity). Each branch is read as a chain, nested blocks included.
    /// </summary>
    private void ResidualBlock(Link link)
    {
        var join = link.Nodes[^1];
        if (_blockDepth == MaxBlockDepth)
            throw Node(join, string.Create(CultureInfo.InvariantCulture, $"ends a residual block nested in {MaxBlockDepth} others; at most {MaxBlockDepth} can be nested"));
        var (first, second) = (BranchNodes(link, join.Inputs[0]), BranchNodes(link, join.Inputs[1]));
        if (link.Nodes.FirstOrDefault(node => first.Contains(node) && second.Contains(node)) is { } shared)
            throw Node(join, $"adds two branches from '{link.Input}' that share the node {Describe(shared)}; only a residual block, whose body and shortcut are each a chain from the block's input, can be imported");
        var (saved, inputShape) = (_layers, _shape);
        Sequential<T>? Read(HashSet<NodeProto> branch, string end)
        {
            (_layers, _shape) = ([], inputShape);
            var chain = Chain(link.Nodes.Where(branch.Contains).ToList(), link.Input, end);
            for (int i = 0; i < chain.Count; i++) i += Translate(chain, i);
            // A branch of only Identity or Dropout nodes passes its input on: the identity.
            return _layers.Count == 0 ? null : new Sequential<T>(inputShape, [.. _layers]);
        }
        _blockDepth++;
        var (fromFirst, fromSecond) = (Read(first, join.Inputs[0]), Read(second, join.Inputs[1]));
        _blockDepth--;
        (_layers, _shape) = (saved, inputShape);
        var body = fromFirst ?? fromSecond
            ?? throw Node(join, $"adds '{link.Input}' to itself; only a residual block, body(x) + shortcut(x) with a body of layers, can be imported");
        Add(join, () => new Residual<T>(body, fromFirst is null ? null : fromSecond));
    }

    /// <summary>The nodes of <paramref name="link"/> that compute <paramref name="value"/> from the link's input.</summary>
    private HashSet<NodeProto> BranchNodes(Link link, string value)
    {
        var producers = new Dictionary<string, NodeProto>();
        foreach (var node in link.Nodes.SkipLast(1)) producers[node.Outputs[0]] = node;
        var nodes = new HashSet<NodeProto>();
        var pending = new Stack<string>([value]);
        while (pending.TryPop(out var name))
            if (producers.TryGetValue(name, out var node) && nodes.Add(node))
                foreach (string input in DataInputs(node)) pending.Push(input);
        return nodes;
    }
}
