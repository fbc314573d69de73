using System.Numerics;
using System.Numerics.Tensors;

namespace NeuralNets.Layers;

/// <summary>
/// A layer with an explicit forward and backward pass, as the lecture draws backprop.
/// </summary>
/// <remarks>
/// <para><see cref="Forward"/> caches what <see cref="Backward"/> needs. <see cref="Backward"/>
/// receives dLoss/dOutput for the most recent forward pass, <em>adds</em> dLoss/dParameter into each
/// parameter's <see cref="Parameter{T}.Gradient"/>, and returns dLoss/dInput.</para>
/// <para>Tensors are batch first and row-major (images NCHW). The tensors a layer returns are
/// buffers it owns and reuses: they stay valid until that layer's next call of the same method. A layer reads its
/// input without writing to it and never returns it as its output: the layer before may read that tensor again in its
/// own backward pass (a sigmoid reads its output), and a caller may write to the network's output. Likewise
/// <see cref="Backward"/> reads dLoss/dOutput without writing to it: a <see cref="Residual{T}"/> block hands the same
/// gradient to both its branches.</para>
/// <para>Threads: a layer object runs one pass at a time (its buffers and the cached forward pass are
/// its own). Inference from many threads at once goes through <see cref="Sequential{T}.Predict(Tensor{T})"/>,
/// which runs each call on a copy made by <see cref="CreateInferenceCopy"/>.</para>
/// </remarks>
/// <typeparam name="T">The element type (<see cref="float"/> or <see cref="double"/>).</typeparam>
public interface ILayer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The layer's trainable parameters (empty for activations).</summary>
    IReadOnlyList<Parameter<T>> Parameters { get; }

    /// <summary>Computes the layer's output for a batch.</summary>
    /// <param name="input">Input of shape <c>[batch, ...sampleShape]</c>.</param>
    /// <param name="training">True while training (dropout drops, the pass is kept for <see cref="Backward"/>);
    /// false for inference. It has no default, so a hand-written training loop cannot run inference by omission.</param>
    Tensor<T> Forward(Tensor<T> input, bool training);

    /// <summary>Back-propagates through the most recent <see cref="Forward"/>.</summary>
    /// <param name="outputGradient">dLoss/dOutput, with the shape <see cref="Forward"/> returned.</param>
    /// <returns>dLoss/dInput, with the shape of the input of the most recent forward pass.</returns>
    Tensor<T> Backward(Tensor<T> outputGradient);

    /// <summary>The per-sample output shape for a per-sample input shape; throws, naming the layer and both shapes, when the input cannot fit.</summary>
    IReadOnlyList<int> OutputShape(IReadOnlyList<int> inputShape);

    /// <summary>The layer's kind and hyperparameters as a plain record (the basis of saving and printing).</summary>
    /// <remarks>
    /// A layer is saved and loaded through the <see cref="Serialization.LayerKind"/> registered under its kind in
    /// <see cref="Serialization.LayerRegistry"/>; the description must hold every setting that kind needs to rebuild it.
    /// </remarks>
    LayerDescription Describe();

    /// <summary>
    /// A layer that computes the same function from the same <see cref="Parameters"/> objects (shared, not
    /// copied, so training this layer shows through) with buffers of its own, so that another thread can run
    /// inference through it while this layer is in use; or null when the layer cannot make one.
    /// </summary>
    /// <remarks>
    /// <see cref="Sequential{T}.Predict(Tensor{T})"/> keeps a pool of such copies, one per concurrent call.
    /// A network with a layer that returns null (the default) runs inference on that layer itself, taking turns
    /// with other predictions and with training passes: correct, but not parallel, and a <c>Predict</c> between a
    /// training <c>Forward</c> and its <c>Backward</c> throws rather than overwrite the pass. A layer that keeps no
    /// state between calls may return itself.
    /// </remarks>
    ILayer<T>? CreateInferenceCopy() => null;
}
