using System.Numerics;
using NeuralNets.Layers;

namespace NeuralNets.OnnxRuntime.Tests;

/// <summary>The networks checked against ONNX Runtime: each layer alone, an MLP and a LeNet-like CNN.</summary>
internal static class Networks
{
    public static readonly string[] LayerCases =
        ["Dense", "Conv2D", "MaxPool2D", "AvgPool2D", "Sigmoid", "Tanh", "ReLU", "LeakyReLU", "LeakyReLU(0.3)", "Softmax", "Flatten", "Dropout",
        // Issue 16 layers.
        "GELU", "GELU(tanh)", "ELU", "ELU(0.3)", "SiLU", "Softplus", "Softplus(2, 3)", "Softplus(1, 40)", "GlobalAvgPool2D", "BatchNorm1D", "BatchNorm2D",
        "BatchNorm2D(affine off, cumulative)",
        // Issue 15's layer.
        "ConvTranspose2D", "Unflatten",
        // Without a bias (PyTorch's bias=False): Gemm without C, Conv and ConvTranspose without B.
        "Dense(no bias)", "Conv2D(no bias)", "ConvTranspose2D(no bias)",
        // PyTorch's ceil_mode and count_include_pad.
        "MaxPool2D(ceil)", "MaxPool2D(ceil, window in padding)", "AvgPool2D(ceil)", "AvgPool2D(ceil, padding not counted)",
        "AvgPool2D(padding not counted)", "AvgPool2D(ceil, no padding)",
        // The MNIST example's output layer; a per-pixel classifier's, over the channels of each pixel.
        "LogSoftmax", "LogSoftmax(channels)",
        // PReLU: one slope, one per feature of a vector, one per channel of images (through an Unsqueeze to [C, 1, 1]).
        "PReLU", "PReLU(per feature)", "PReLU(per channel)",
        // MobileNet's activations, written with Clip in PyTorch's order of operations.
        "ReLU6", "Hardtanh", "Hardsigmoid", "Hardswish",
        // Residual blocks: an Add of the body and the shortcut, both reading the block's input.
        "Residual(identity)", "Residual(projection)", "Residual(post-activation, nested)", "Residual(in a nested network)", "BasicBlocks",
        // LayerNormalization (opset 17): over a vector's features, over [C, H, W], and over [H, W] without γ and β.
        "LayerNorm", "LayerNorm([C, H, W])", "LayerNorm([H, W], no affine)",
        // Grouped convolutions (Conv's group): in two groups, depthwise, depthwise with two filters per channel.
        "Conv2D(2 groups)", "Conv2D(depthwise)", "Conv2D(depthwise, multiplier 2, no bias)", "ConvTranspose2D(2 groups)"];

    public static Sequential<T> Layer<T>(string name) where T : unmanaged, IFloatingPointIeee754<T> => name switch
    {
        "Dense" => Network.Sequential<T>([20]).Dense(7).Build(seed: 1),
        // A rectangular kernel, unequal strides and padding only in height.
        "Conv2D" => Network.Sequential<T>([3, 9, 8]).Conv2D(4, kernel: (3, 2), stride: (2, 1), padding: (1, 0)).Build(seed: 2),
        "MaxPool2D" => Network.Sequential<T>([2, 8, 9]).MaxPool2D(3, stride: 2, padding: 1).Build(seed: 3),
        "AvgPool2D" => Network.Sequential<T>([2, 8, 9]).AvgPool2D((3, 2), stride: (2, 2), padding: (1, 1)).Build(seed: 4),
        "Sigmoid" => Network.Sequential<T>([10]).Sigmoid().Build(seed: 5),
        "Tanh" => Network.Sequential<T>([10]).Tanh().Build(seed: 6),
        "ReLU" => Network.Sequential<T>([10]).ReLU().Build(seed: 7),
        "LeakyReLU" => Network.Sequential<T>([10]).LeakyReLU().Build(seed: 8),
        "LeakyReLU(0.3)" => Network.Sequential<T>([2, 3, 4]).LeakyReLU(0.3).Build(seed: 8),
        "Softmax" => Network.Sequential<T>([10]).Softmax().Build(seed: 9),
        "Flatten" => Network.Sequential<T>([2, 3, 4]).Flatten().Build(seed: 10),
        "Dropout" => Network.Sequential<T>([10]).Dropout(0.5).Build(seed: 11),
        "GELU" => Network.Sequential<T>([2, 3, 4]).GELU().Build(seed: 12),
        "GELU(tanh)" => Network.Sequential<T>([10]).GELU(tanhApproximation: true).Build(seed: 12),
        "ELU" => Network.Sequential<T>([10]).ELU().Build(seed: 13),
        // 0.3 is not a float: a double network writes the function out instead of Elu's float alpha.
        "ELU(0.3)" => Network.Sequential<T>([10]).ELU(0.3).Build(seed: 13),
        "SiLU" => Network.Sequential<T>([10]).SiLU().Build(seed: 14),
        "Softplus" => Network.Sequential<T>([10]).Softplus().Build(seed: 15),
        "Softplus(2, 3)" => Network.Sequential<T>([10]).Softplus(beta: 2, threshold: 3).Build(seed: 15),
        "Softplus(1, 40)" => Network.Sequential<T>([10]).Softplus(beta: 1, threshold: 40).Build(seed: 15),
        "GlobalAvgPool2D" => Network.Sequential<T>([3, 5, 4]).GlobalAvgPool2D().Build(seed: 16),
        "BatchNorm1D" => Trained(Network.Sequential<T>([6]).BatchNorm1D().Build(seed: 17)),
        "BatchNorm2D" => Trained(Network.Sequential<T>([3, 4, 5]).BatchNorm2D().Build(seed: 18)),
        "BatchNorm2D(affine off, cumulative)" => Trained(Network.Sequential<T>([3, 4, 5]).BatchNorm2D(momentum: null, affine: false).Build(seed: 18)),
        // Stride 2 with output padding, as a generator's upsampling step uses it: 5×4 → 10×8.
        "ConvTranspose2D" => Network.Sequential<T>([3, 5, 4]).ConvTranspose2D(2, kernel: 3, stride: 2, padding: 1, outputPadding: 1).Build(seed: 19),
        // A generator's stem: Dense, then its features as images.
        "Unflatten" => Network.Sequential<T>([12]).Dense(24).Unflatten(1, [2, 3, 4]).Build(seed: 20),
        "Dense(no bias)" => Network.Sequential<T>([20]).Dense(7, bias: false).Build(seed: 21),
        "ConvTranspose2D(2 groups)" => Network.Sequential<T>([4, 5, 4]).ConvTranspose2D(6, kernel: 3, stride: 2, padding: 1, outputPadding: 1, groups: 2).Build(seed: 44),
        "Conv2D(2 groups)" => Network.Sequential<T>([4, 9, 8]).Conv2D(6, kernel: (3, 2), stride: (2, 1), padding: (1, 0), groups: 2).Build(seed: 41),
        "Conv2D(depthwise)" => Network.Sequential<T>([3, 7, 7]).Conv2D(3, kernel: 3, padding: 1, groups: 3).Build(seed: 42),
        "Conv2D(depthwise, multiplier 2, no bias)" => Network.Sequential<T>([3, 7, 7]).Conv2D(6, kernel: 3, stride: 2, padding: 1, bias: false, groups: 3).Build(seed: 43),
        "Conv2D(no bias)" => Network.Sequential<T>([3, 9, 8]).Conv2D(4, kernel: (3, 2), stride: (2, 1), padding: (1, 0), bias: false).Build(seed: 22),
        "ConvTranspose2D(no bias)" => Network.Sequential<T>([3, 5, 4]).ConvTranspose2D(2, kernel: 3, stride: 2, padding: 1, outputPadding: 1, bias: false).Build(seed: 23),
        // 6 rows: a fourth row of windows overhangs the padding (three when rounding down).
        "MaxPool2D(ceil)" => Network.Sequential<T>([2, 6, 5]).MaxPool2D(3, stride: 2, padding: 1, ceilMode: true).Build(seed: 24),
        // 5 × 7 with 2×2 windows, stride 2 and padding 1: a last window of each axis would start in the padding and is left out.
        "MaxPool2D(ceil, window in padding)" => Network.Sequential<T>([2, 5, 7]).MaxPool2D(2, stride: 2, padding: 1, ceilMode: true).Build(seed: 25),
        "AvgPool2D(ceil)" => Network.Sequential<T>([2, 6, 7]).AvgPool2D((3, 2), stride: (2, 2), padding: (1, 1), ceilMode: true).Build(seed: 26),
        "AvgPool2D(ceil, padding not counted)" => Network.Sequential<T>([2, 6, 7]).AvgPool2D((3, 2), stride: (2, 2), padding: (1, 1), ceilMode: true,
            countIncludePad: false).Build(seed: 27),
        "AvgPool2D(padding not counted)" => Network.Sequential<T>([2, 8, 9]).AvgPool2D(3, stride: 2, padding: 1, countIncludePad: false).Build(seed: 28),
        "AvgPool2D(ceil, no padding)" => Network.Sequential<T>([2, 5, 7]).AvgPool2D(2, ceilMode: true).Build(seed: 29),
        "LogSoftmax" => Network.Sequential<T>([10]).LogSoftmax().Build(seed: 30),
        "LogSoftmax(channels)" => Network.Sequential<T>([3, 5, 4]).LogSoftmax().Build(seed: 34),
        "PReLU" => Sloped(Network.Sequential<T>([2, 3, 4]).PReLU().Build(seed: 31)),
        "PReLU(per feature)" => Sloped(Network.Sequential<T>([12]).Dense(6).PReLU(perChannel: true).Build(seed: 32)),
        "PReLU(per channel)" => Sloped(Network.Sequential<T>([3, 5, 4]).PReLU(perChannel: true).Build(seed: 33)),
        // A Dense with its weights scaled spreads the inputs' [−2, 2] over both sides of every kink (0 and 6, ±3).
        "ReLU6" => Spread(Network.Sequential<T>([10]).Dense(12).ReLU6().Build(seed: 40)),
        "Hardtanh" => Network.Sequential<T>([2, 3, 4]).Hardtanh(-0.3, 0.45).Build(seed: 41),
        "Hardsigmoid" => Spread(Network.Sequential<T>([10]).Dense(12).Hardsigmoid().Build(seed: 42)),
        "Hardswish" => Spread(Network.Sequential<T>([10]).Dense(12).Hardswish().Build(seed: 43)),
        "Residual(identity)" => Network.Sequential<T>([6]).Residual(b => b.Dense(8).Tanh().Dense(6)).Build(seed: 34),
        // A shortcut that changes the width, with a BatchNorm as torchvision's downsample has.
        "Residual(projection)" => Trained(Network.Sequential<T>([6]).Residual(b => b.Dense(4).Tanh().Dense(5), shortcut: s => s.Dense(5, bias: false).BatchNorm1D()).Build(seed: 35)),
        // As BasicBlock: ReLU after each Add; a block inside the second block's body.
        "Residual(post-activation, nested)" => Network.Sequential<T>([6]).Dense(5)
            .Residual(b => b.Dense(5).ReLU().Dense(5)).ReLU()
            .Residual(b => b.Dense(4).ReLU().Residual(inner => inner.Dense(4).Sigmoid().Dense(4)).Dense(3), shortcut: s => s.Dense(3)).ReLU()
            .Dense(2).Build(seed: 36),
        "Residual(in a nested network)" => new Sequential<T>([6], Network.Sequential<T>([6]).Dense(6).Residual(b => b.Dense(6).Tanh()).Build(seed: 37),
            new Dense<T>(6, 3, seed: 38)),
        // Convolutional: a stem and two BasicBlocks, the second with a strided 1×1 convolution and a BatchNorm as its shortcut.
        "BasicBlocks" => Trained(Network.Sequential<T>([2, 6, 6]).Conv2D(4, 3, padding: 1, bias: false).BatchNorm2D().ReLU()
            .Residual(b => b.Conv2D(4, 3, padding: 1, bias: false).BatchNorm2D().ReLU().Conv2D(4, 3, padding: 1, bias: false).BatchNorm2D()).ReLU()
            .Residual(b => b.Conv2D(6, 3, stride: 2, padding: 1, bias: false).BatchNorm2D().ReLU().Conv2D(6, 3, padding: 1, bias: false).BatchNorm2D(),
                shortcut: s => s.Conv2D(6, 1, stride: 2, bias: false).BatchNorm2D()).ReLU()
            .GlobalAvgPool2D().Dense(3).Build(seed: 39)),
        // ε = 2⁻¹⁷, which a float holds (ONNX's epsilon is a float).
        "LayerNorm" => Affine(Network.Sequential<T>([12]).LayerNorm(epsilon: Math.ScaleB(1, -17)).Build(seed: 44)),
        "LayerNorm([C, H, W])" => Affine(Network.Sequential<T>([3, 5, 4]).LayerNorm(epsilon: Math.ScaleB(1, -17)).Build(seed: 45)),
        "LayerNorm([H, W], no affine)" => Network.Sequential<T>([3, 5, 4]).LayerNorm(axes: 2, epsilon: Math.ScaleB(1, -17), elementwiseAffine: false).Build(seed: 46),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "no such case"),
    };

    /// <summary>A network whose dense weights are multiplied by 6, so that its outputs range over several units.</summary>
    private static Sequential<T> Spread<T>(Sequential<T> network) where T : unmanaged, IFloatingPointIeee754<T>
    {
        foreach (var layer in network.Layers.OfType<Dense<T>>())
            foreach (ref T weight in layer.Weight.ValueSpan) weight *= T.CreateChecked(6);
        return network;
    }

    /// <summary>A network whose PReLU slopes differ from each other and from the initial 0.25, one of them negative.</summary>
    private static Sequential<T> Sloped<T>(Sequential<T> network) where T : unmanaged, IFloatingPointIeee754<T>
    {
        foreach (var layer in network.Layers.OfType<PReLU<T>>())
            for (int c = 0; c < layer.SlopeCount; c++) layer.Weight.ValueSpan[c] = T.CreateChecked(0.4 * c - 0.3 + 0.07 * layer.SlopeCount);
        return network;
    }

    /// <summary>A network whose LayerNorms' γ and β differ from their initial ones and from position to position.</summary>
    private static Sequential<T> Affine<T>(Sequential<T> network) where T : unmanaged, IFloatingPointIeee754<T>
    {
        foreach (var layer in network.Layers.OfType<LayerNorm<T>>())
            for (int i = 0; i < layer.Weight!.Length; i++)
                (layer.Weight.ValueSpan[i], layer.Bias!.ValueSpan[i]) = (T.CreateChecked(0.5 + 0.1 * (i % 7)), T.CreateChecked(0.2 * (i % 5) - 0.4));
        return network;
    }

    /// <summary>A network whose batch norms have seen a few batches (shifted and scaled), so that γ, β and the running statistics are not their defaults .</summary>
    private static Sequential<T> Trained<T>(Sequential<T> network) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int step = 0; step < 3; step++)
        {
            var batch = OnnxRuntimeRunner.Random<T>(100 + step, 8, network.InputShape!);
            var shifted = batch.ToArray().Select(v => v * T.CreateChecked(3) + T.CreateChecked(1.5)).ToArray();
            network.Forward(System.Numerics.Tensors.Tensor.Create(shifted, batch.Lengths), training: true);
        }
        foreach (var p in network.Parameters)
            for (int i = 0; i < p.Length; i++) p.ValueSpan[i] = T.CreateChecked(0.5 + 0.25 * i);
        return network;
    }

    /// <summary>784-128-10 with dropout, as a Fashion-MNIST classifier is built.</summary>
    public static Sequential<T> Mlp<T>() where T : unmanaged, IFloatingPointIeee754<T> =>
        Network.Sequential<T>([1, 28, 28]).Flatten().Dense(128).ReLU().Dropout(0.2).Dense(64).Tanh().Dense(10).Softmax().Build(seed: 42);

    /// <summary>
    /// PyTorch's MNIST example (pytorch/examples mnist/main.py), scaled down: two 3×3 convolutions, a 2×2 max pool, dropout,
    /// two dense layers and log-softmax.
    /// </summary>
    public static Sequential<T> MnistExample<T>() where T : unmanaged, IFloatingPointIeee754<T> =>
        Network.Sequential<T>([1, 12, 12])
            .Conv2D(4, kernel: 3).ReLU().Conv2D(8, kernel: 3).ReLU().MaxPool2D(2).Dropout(0.25)
            .Flatten().Dense(16).ReLU().Dropout(0.5).Dense(10).LogSoftmax()
            .Build(seed: 1);

    /// <summary>LeNet-5's shape, with every window layer and activation the exporter knows.</summary>
    public static Sequential<T> LeNet<T>() where T : unmanaged, IFloatingPointIeee754<T> =>
        Network.Sequential<T>([1, 28, 28])
            .Conv2D(6, kernel: 5, padding: 2).ReLU().MaxPool2D(2)
            .Conv2D(16, kernel: 5).Sigmoid().AvgPool2D(2)
            .Flatten().Dense(120).LeakyReLU().Dense(84).Tanh().Dense(10).Softmax()
            .Build(seed: 7);
}
