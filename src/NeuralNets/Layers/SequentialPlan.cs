using System.Numerics;

namespace NeuralNets.Layers;

// How a network runs its layers: which neighbouring pairs run as one pass (a pool that applies the activation before it,
// a batch normalisation that applies the ReLU after it, a dense layer that applies the derivative of the activation
// before it, a flatten that hands its input on to a dense layer) and where a backward pass that needs no input gradient
// can stop. Decided once, when the network is built, from the layers' types.
public sealed partial class Sequential<T>
{
    /// <summary>
    /// Which layers are a MaxPool2D that rectifies the maxima of the ReLU before it (<see cref="MaxPool2D{T}.ForwardRectified"/>):
    /// every such pair but one at the end, whose output a caller may write to before Backward reads it.
    /// </summary>
    private static bool[] PoolsThatRectify(ILayer<T>[] layers)
    {
        var rectifies = new bool[layers.Length];
        for (int i = 1; i + 1 < layers.Length; i++) rectifies[i] = layers[i - 1] is ReLU<T> && layers[i] is MaxPool2D<T>;
        return rectifies;
    }

    /// <summary>
    /// Which layers are a MaxPool2D or an AvgPool2D that applies the activation before it (<see cref="MaxPool2D{T}.ForwardActivated"/>,
    /// <see cref="AvgPool2D{T}.ForwardActivated"/>): one of the library's elementwise activations, unless the pair rectifies
    /// instead (<see cref="PoolsThatRectify"/>).
    /// </summary>
    private static bool[] PoolsThatActivate(ILayer<T>[] layers, bool[] rectifies)
    {
        var activates = new bool[layers.Length];
        for (int i = 1; i < layers.Length; i++)
            activates[i] = !rectifies[i] && layers[i] is MaxPool2D<T> or AvgPool2D<T>
                && layers[i - 1] is Activation<T> { IsLibraryElementwise: true };
        return activates;
    }

    /// <summary>
    /// Which layers are a batch normalisation that applies the ReLU after it (<see cref="BatchNorm{T}.ForwardRectified"/>):
    /// every such pair but one whose ReLU ends the network (a caller may write to its output before Backward reads it) or
    /// is applied by the pool after it instead (<see cref="PoolsThatRectify"/>, <see cref="PoolsThatActivate"/>), which
    /// also saves the ReLU's backward pass. The layer after the ReLU must be one of the library's, which copies its input
    /// and never writes to it: the rectified tensor is the ReLU's input as well as its output, and a layer of a user's that
    /// handed it on as its own output (or changed it in place) would let the caller's writes reach the ReLU's derivative.
    /// </summary>
    private static bool[] NormsThatRectify(ILayer<T>[] layers, bool[] poolRectifies, bool[] poolActivates)
    {
        var rectify = new bool[layers.Length];
        for (int i = 0; i + 2 < layers.Length; i++)
            rectify[i] = layers[i] is BatchNorm<T> && layers[i + 1] is ReLU<T> && !poolRectifies[i + 2] && !poolActivates[i + 2]
                && LeavesItsInputAlone(layers[i + 2]);
        return rectify;
    }

    /// <summary>
    /// Whether a layer is the library's own, which reads its input without writing to it or returning it (a network's first
    /// layer decides for the network; a residual block's branches, for the block). In an inference copy a layer of the user's stands behind the library's
    /// <see cref="TakingTurns{T}"/>, and inference activations may hand their input on; neither matters there, since an
    /// inference copy never runs a backward pass and Predict copies its answers out.
    /// </summary>
    private static bool LeavesItsInputAlone(ILayer<T> layer) => layer switch
    {
        Sequential<T> nested => nested._layers.Length > 0 && LeavesItsInputAlone(nested._layers[0]),
        // The block adds its input (the identity) into a buffer of its own; each branch's first layer reads it too.
        Residual<T> block => block.Branches.All(LeavesItsInputAlone),
        _ => LibraryCode.Declares(layer.GetType()),
    };

    private static bool[] FlattensBeforeDense(ILayer<T>[] layers)
    {
        var feeds = new bool[layers.Length];
        for (int i = 0; i + 1 < layers.Length; i++) feeds[i] = layers[i] is Flatten<T> && layers[i + 1] is Dense<T>;
        return feeds;
    }

    /// <summary>
    /// The first layer whose backward pass adds to some parameter's gradient: before it, only the library's own layers without
    /// parameters (Flatten, activations, pooling, dropout), whose backward passes compute nothing but input gradients that
    /// training never reads. <see cref="BackwardToParameters"/> stops there. A layer of another assembly counts as learning
    /// whatever it declares, since its backward pass may do more than it says.
    /// </summary>
    private static int FindFirstLearningLayer(ILayer<T>[] layers)
    {
        int first = 0;
        while (first < layers.Length && OnlyPassesGradients(layers[first])) first++;
        return first;
    }

    /// <summary>Whether a layer's backward pass computes its input gradient and nothing else (see <see cref="FindFirstLearningLayer"/>).</summary>
    private static bool OnlyPassesGradients(ILayer<T> layer) => layer switch
    {
        Sequential<T> nested => Array.TrueForAll(nested._layers, OnlyPassesGradients),
        Residual<T> block => block.Branches.All(OnlyPassesGradients),
        TakingTurns<T> => false,
        _ => layer.Parameters.Count == 0 && LibraryCode.Declares(layer.GetType()),
    };

    /// <summary>
    /// Which layers are a Dense after one of the library's elementwise activations (<see cref="Activation{T}.IsLibraryElementwise"/>),
    /// whose backward pass applies that activation's derivative to each band of rows of its input gradient as the product
    /// finishes it, on the core that computed it (<see cref="Activation{T}.BackwardThroughDense"/>): the same gradients, without
    /// the activation's pass over them and its hand-over between cores.
    /// </summary>
    private static bool[] DenseLayersThatDifferentiate(ILayer<T>[] layers)
    {
        var differentiates = new bool[layers.Length];
        for (int i = 1; i < layers.Length; i++)
            differentiates[i] = layers[i] is Dense<T> && layers[i - 1] is Activation<T> { IsLibraryElementwise: true };
        return differentiates;
    }
}
