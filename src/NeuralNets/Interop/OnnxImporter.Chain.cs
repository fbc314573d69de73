using System.Globalization;

namespace NeuralNets.Interop;

/// <summary>
/// The path from the graph's input to its output: each link one node, or the nodes between a value that feeds several
/// nodes and the node where their branches join again (PyTorch writes GELU as x · (erf(x/√2) + 1), SiLU as x · σ(x), a
/// residual block as body(x) + shortcut(x)).
/// </summary>
internal sealed partial class OnnxImporter<T>
{
    /// <summary>A link of the chain: the value it reads, and one node, or (<see cref="Branches"/>) the nodes of branches that join again, in graph order.</summary>
    private sealed record Link(string Input, NodeProto[] Nodes, bool Branches);

    /// <summary>The links from the input to the output; anything off that path, or branches that never join, is refused.</summary>
    private List<Link> Chain(GraphProto graph, string input, string output)
    {
        var computed = new List<NodeProto>();
        foreach (var node in graph.Nodes)
        {
            if (IsStatic(node)) continue;
            if (node.Domain is not ("" or "ai.onnx")) throw Node(node, $"belongs to the operator domain '{node.Domain}', which cannot be imported");
            if (node.Outputs.Length == 0 || node.Outputs[0].Length == 0) throw Node(node, "has no output");
            computed.Add(node);
        }
        return Chain(computed, input, output);
    }

    /// <summary>
    /// The links from <paramref name="input"/> to <paramref name="output"/> through <paramref name="computed"/> (nodes in
    /// graph order: the whole graph's, or those of a residual block's branch); every node must be on that path.
    /// </summary>
    private List<Link> Chain(List<NodeProto> computed, string input, string output)
    {
        var consumers = new Dictionary<string, List<NodeProto>>();
        foreach (var node in computed)
            foreach (string name in DataInputs(node))
            {
                if (!consumers.TryGetValue(name, out var list)) consumers[name] = list = [];
                list.Add(node);
            }
        var chain = new List<Link>();
        var visited = new HashSet<NodeProto>();
        var position = new Dictionary<NodeProto, int>();
        for (int i = 0; i < computed.Count; i++) position[computed[i]] = i;
        // Where the nodes of the links so far end in graph order: branches are looked for after it, so that each node is
        // scanned once (ONNX lists nodes in topological order).
        int end = -1;
        string current = input;
        while (current != output)
        {
            if (!consumers.TryGetValue(current, out var next) || next.Count == 0)
                throw new InvalidDataException($"{_file}: the value '{current}' feeds no node, but the graph's output is '{output}'.");
            var link = next.Count == 1 ? new Link(current, [next[0]], Branches: false) : Joined(current, next, computed.Skip(end + 1), consumers, output);
            end = Math.Max(end, position[link.Nodes[^1]]);
            foreach (var node in link.Nodes)
            {
                if (!visited.Add(node)) throw Node(node, "is part of a cycle");
                foreach (string extra in node.Outputs.Skip(1).Where(n => n.Length > 0))
                    if (consumers.ContainsKey(extra) || extra == output)
                        throw Node(node, $"has its second output '{extra}' used; only the first output of a node can be imported");
            }
            var single = link.Nodes[0];
            if (!link.Branches && DataInputs(single).Any(name => name != current))
                throw Node(single, string.Create(CultureInfo.InvariantCulture, $"takes {DataInputs(single).Count()} computed inputs ({string.Join(", ", DataInputs(single).Select(d => $"'{d}'"))}); only a chain of operators with one computed input each can be imported"));
            chain.Add(link);
            current = link.Nodes[^1].Outputs[0];
        }
        if (consumers.TryGetValue(output, out var after) && after.Count > 0)
            throw Node(after[0], $"consumes the graph's output '{output}'; only a chain ending in the output can be imported");
        var stray = computed.FirstOrDefault(node => !visited.Contains(node));
        if (stray is not null) throw Node(stray, "is not on the chain from the graph's input to its output");
        return chain;
    }

    /// <summary>
    /// The nodes, in graph order, from <paramref name="entry"/> (which feeds several) to the first node after which
    /// one value is left that the rest of the graph reads: the node where the branches join.
    /// </summary>
    private Link Joined(string entry, List<NodeProto> first, IEnumerable<NodeProto> computed, Dictionary<string, List<NodeProto>> consumers, string output)
    {
        // Each value still to be read inside the branches, with how many reads are left.
        var unread = new Dictionary<string, int> { [entry] = first.Count };
        var nodes = new List<NodeProto>();
        foreach (var node in computed)
        {
            var inputs = DataInputs(node).ToList();
            if (!inputs.Any(unread.ContainsKey)) continue;
            foreach (string name in inputs)
            {
                if (!unread.TryGetValue(name, out int left))
                    throw Node(node, $"takes '{name}', which is computed outside the branches from '{entry}'; only a chain, or branches that join again in an activation function or a residual block's Add, can be imported");
                if (left == 1) unread.Remove(name);
                else unread[name] = left - 1;
            }
            nodes.Add(node);
            string produced = node.Outputs[0];
            int reads = consumers.TryGetValue(produced, out var readers) ? readers.Count : 0;
            if (reads == 0 && produced != output) break;
            if (reads > 0) unread[produced] = reads;
            if (unread.Count == 0 || (unread.Count == 1 && unread.ContainsKey(produced))) return new Link(entry, [.. nodes], Branches: true);
            if (produced == output) break;
        }
        throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
            $"{_file}: the value '{entry}' feeds {first.Count} nodes ({string.Join(", ", first.Distinct().Select(Describe))}), whose branches do not join again; only a chain, or branches that join again in an activation function or a residual block's Add, can be imported."));
    }

    /// <summary>The refusal of branches that join again in something other than a function NeuralNets has a layer for.</summary>
    private InvalidDataException Branch(Link link)
    {
        var join = link.Nodes[^1];
        var inputs = DataInputs(join).ToList();
        return Node(join, string.Create(CultureInfo.InvariantCulture,
            $"takes {inputs.Count} computed inputs ({string.Join(", ", inputs.Select(d => $"'{d}'"))}), joining the branches from '{link.Input}' through {string.Join(", ", link.Nodes.SkipLast(1).Select(Describe))}; they compute none of the activation functions read from such subgraphs (GELU, SiLU, Softplus, ELU), are no residual block (two branches joined by an Add), and only a chain of operators can be imported"));
    }
}
