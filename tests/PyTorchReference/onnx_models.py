"""Small PyTorch models exported with torch.onnx.export, with PyTorch's own predictions, for NeuralNets' ONNX importer.

Records, from PyTorch 1.13 (CPU, Debian's python3-torch; its torch.onnx needs no onnx package):
- for each model below, the .onnx files that torch.onnx.export writes in the ways users call it: the plain call
  (default opset 14, fixed shapes, inputs named "input.1"), a named input with a dynamic batch, opsets 9 (with the
  initializers also listed as graph inputs, as old exporters did), 11, 13 (without constant folding) and 17, and a
  float64 copy in the plain and the dynamic, unfolded form (fewer for a model in ONLY_VARIANTS); among the models,
  PyTorch's MNIST example scaled down (log_softmax at its end, which opsets before 13 write with their own axis semantics);
- the input batch, PyTorch's eager output in float32 and float64, and for the models whose imported network has the
  same layers as the PyTorch one, the float64 output after one SGD step on the mean squared error;
- for the small ResNet (state_dicts.py's TinyResNet: a conv-bn-relu stem, two BasicBlocks, the second with a strided
  1x1 conv + bn downsample, global average pool, linear; torch folds each eval-mode BatchNorm into its Conv when
  exporting), its float64 state_dict as a safetensors file, resnet_f64.safetensors, so that the test can load the same
  weights into NeuralNets' twin of the model, BatchNorms and all, and compare it with the ONNX import;
- files that the importer must refuse (branches joined by a product, no weights in the file, training mode, ...), named
  rejected_*.onnx.

Every weight comes from the Wave formula of tests/NeuralNets.Tests/Golden/GoldenInputs.cs (no random generator), so the
script writes the same bytes on every run; torch.onnx.export itself is deterministic (node names such as
"onnx::Gemm_12" come from the traced graph's numbering, and the file holds no date or path).

Rerun from the repository root:
    /usr/bin/python3 tests/PyTorchReference/onnx_models.py tests/NeuralNets.Tests/Interop/PyTorchFiles \
        tests/NeuralNets.Tests/Interop/PyTorchOnnxValues.cs
"""

import math
import os
import sys
import warnings

import torch
import torch.nn as nn
from golden import wave
from state_dicts import TinyResNet, write_safetensors

BATCH = 3
LEARNING_RATE = 0.1


class FlattenByView(nn.Module):
    """x.view(x.size(0), -1), the flatten most PyTorch tutorials write."""

    def forward(self, x):
        return x.view(x.size(0), -1)


class UnflattenByView(nn.Module):
    """x.view(x.size(0), *shape): nn.Unflatten has no ONNX export in PyTorch 1.13, so this is how a model unflattens."""

    def __init__(self, *shape):
        super().__init__()
        self.shape = shape

    def forward(self, x):
        return x.view(x.size(0), *self.shape)


class MnistExample(nn.Module):
    """pytorch/examples mnist/main.py's Net, scaled down (channels 32, 64 to 4, 8; 28x28 images to 12x12; Linear(9216, 128)
    to Linear(128, 16)) so that its files stay small, with every layer kind and the forward pass written as there."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 4, 3, 1)
        self.conv2 = nn.Conv2d(4, 8, 3, 1)
        self.dropout1 = nn.Dropout(0.25)
        self.dropout2 = nn.Dropout(0.5)
        self.fc1 = nn.Linear(8 * 4 * 4, 16)
        self.fc2 = nn.Linear(16, 10)

    def forward(self, x):
        x = nn.functional.relu(self.conv1(x))
        x = nn.functional.relu(self.conv2(x))
        x = nn.functional.max_pool2d(x, 2)
        x = self.dropout1(x)
        x = torch.flatten(x, 1)
        x = nn.functional.relu(self.fc1(x))
        x = self.dropout2(x)
        return nn.functional.log_softmax(self.fc2(x), dim=1)


class Residual(nn.Module):
    """x + f(x), the input first: a residual block whose Add lists the identity before the body."""

    def __init__(self):
        super().__init__()
        self.inner = nn.Linear(4, 4)

    def forward(self, x):
        return x + self.inner(x)


class Gated(nn.Module):
    """x * f(x): branches that join again in a product, which neither a Sequential nor a residual block holds."""

    def __init__(self):
        super().__init__()
        self.inner = nn.Linear(4, 4)

    def forward(self, x):
        return x * self.inner(x)


# name -> (sample shape, builder, whether the imported network has the PyTorch model's layers and parameters, so
# that one training step can be compared: no BatchNorm (fused into the Conv, or in training mode a different
# computation); PReLU imports as a learnt PReLU, with PyTorch's slopes).
MODELS = {
    "mlp_classic": ([4], lambda: nn.Sequential(
        nn.Linear(4, 6), nn.Sigmoid(), nn.Linear(6, 5), nn.Tanh(), nn.Dropout(0.3), nn.Linear(5, 3),
        nn.Softmax(dim=1)), True),
    "mlp_rectifiers": ([4], lambda: nn.Sequential(
        nn.Linear(4, 6), nn.ReLU(), nn.Linear(6, 6), nn.LeakyReLU(0.1), nn.Linear(6, 5), nn.ELU(alpha=0.5),
        nn.Linear(5, 3)), True),
    "mlp_smooth": ([4], lambda: nn.Sequential(
        nn.Linear(4, 5), nn.GELU(), nn.Linear(5, 5), nn.GELU(approximate="tanh"), nn.Linear(5, 5), nn.SiLU(),
        nn.Linear(5, 4), nn.Softplus(), nn.Linear(4, 3), nn.Softplus(beta=2)), True),
    "mlp_norm": ([4], lambda: nn.Sequential(
        nn.Linear(4, 6), nn.BatchNorm1d(6), nn.PReLU(), nn.Linear(6, 5, bias=False), nn.ReLU(), nn.Dropout(),
        nn.Linear(5, 3)), False),
    "cnn_pool": ([1, 8, 8], lambda: nn.Sequential(
        nn.Conv2d(1, 3, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(3, 4, 3, stride=2, padding=1), nn.Tanh(),
        nn.AvgPool2d(3, stride=1, padding=1), nn.Flatten(), nn.Linear(16, 3), nn.Softmax(dim=1)), True),
    "cnn_norm": ([2, 6, 6], lambda: nn.Sequential(
        nn.Conv2d(2, 3, 3), nn.BatchNorm2d(3), nn.ReLU(), nn.BatchNorm2d(3), nn.MaxPool2d(3, stride=2, padding=1),
        nn.Conv2d(3, 4, 1, bias=False), nn.PReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(4, 2)), False),
    "cnn_view": ([1, 6, 6], lambda: nn.Sequential(
        nn.Conv2d(1, 2, 3), nn.ReLU(), FlattenByView(), nn.Linear(32, 3)), True),
    "decoder": ([3], lambda: nn.Sequential(
        nn.Linear(3, 18), UnflattenByView(2, 3, 3), nn.ConvTranspose2d(2, 3, 3, stride=2, padding=1, output_padding=1),
        nn.Sigmoid(), nn.Conv2d(3, 1, 3, padding=1), nn.Flatten()), True),
    "gap_view": ([2, 5, 5], lambda: nn.Sequential(
        nn.Conv2d(2, 3, 3, padding=1), nn.ELU(), nn.AdaptiveAvgPool2d(1), FlattenByView(), nn.Linear(3, 2)), True),
    # ceil_mode and count_include_pad: 7×9 → 4×5 (last row and column partial) → 3×3 (a last row overhanging the padding,
    # padding not counted) → 2×2 (a last window that would start in the padding left out) → 2×2 (overhanging, padding counted).
    "cnn_ceil": ([2, 7, 9], lambda: nn.Sequential(
        nn.Conv2d(2, 3, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2, ceil_mode=True), nn.Conv2d(3, 4, 3, padding=1), nn.Tanh(),
        nn.AvgPool2d(3, stride=2, padding=1, ceil_mode=True, count_include_pad=False),
        nn.MaxPool2d(2, stride=2, padding=1, ceil_mode=True), nn.AvgPool2d(3, stride=2, padding=1, ceil_mode=True),
        nn.Flatten(), nn.Linear(16, 3)), True),
    "mnist_example": ([1, 12, 12], MnistExample, True),
    "mlp_prelu": ([4], lambda: nn.Sequential(
        nn.Linear(4, 6), nn.PReLU(6), nn.Linear(6, 5), nn.PReLU(), nn.Linear(5, 3)), True),
    "cnn_prelu": ([2, 6, 6], lambda: nn.Sequential(
        nn.Conv2d(2, 3, 3, padding=1), nn.PReLU(3), nn.MaxPool2d(2), nn.Conv2d(3, 4, 3), nn.PReLU(), nn.Flatten(),
        nn.Linear(4, 3)), True),
    "mlp_residual": ([4], lambda: nn.Sequential(nn.Linear(4, 4), nn.Tanh(), Residual(), nn.Linear(4, 3)), True),
    "resnet": ([2, 8, 8], TinyResNet, False),
    # A per-pixel classifier: log-probabilities over the channels of each pixel (LogSoftmax over axis 1).
    "segmentation": ([2, 5, 5], lambda: nn.Sequential(
        nn.Conv2d(2, 3, 3, padding=1), nn.ReLU(), nn.Conv2d(3, 3, 1), nn.LogSoftmax(dim=1)), True),
    # LayerNorm: LayerNormalization at opset 17, ReduceMean, Sub, Pow, ReduceMean, Add, Sqrt, Div (then Mul, Add) below.
    "mlp_layernorm": ([4], lambda: nn.Sequential(
        nn.Linear(4, 6), nn.LayerNorm(6), nn.Tanh(), nn.Linear(6, 3)), True),
    "cnn_layernorm": ([2, 6, 6], lambda: nn.Sequential(
        nn.Conv2d(2, 3, 3, padding=1), nn.LayerNorm([3, 6, 6]), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(3, 4, 2),
        nn.LayerNorm([2, 2]), nn.Flatten(), nn.Linear(16, 3)), True),
    "mlp_layernorm_plain": ([4], lambda: nn.Sequential(
        nn.Linear(4, 5), nn.LayerNorm(5, elementwise_affine=False), nn.Linear(5, 3)), True),
    # MobileNet's depthwise-separable block (depthwise 3×3 with groups = channels, then pointwise 1×1), a convolution in
    # two groups without a bias, and a depthwise one with two filters per channel.
    "cnn_depthwise": ([4, 6, 6], lambda: nn.Sequential(
        nn.Conv2d(4, 4, 3, padding=1, groups=4), nn.ReLU(), nn.Conv2d(4, 6, 1), nn.ReLU(),
        nn.Conv2d(6, 8, 3, stride=2, padding=1, groups=2, bias=False), nn.Tanh(), nn.Conv2d(8, 16, 3, groups=8), nn.Flatten(),
        nn.Linear(16, 3)), True),
    # Transposed convolutions in groups: two groups stride 2 with output padding, then two groups without a bias.
    "decoder_grouped": ([3], lambda: nn.Sequential(
        nn.Linear(3, 16), UnflattenByView(4, 2, 2),
        nn.ConvTranspose2d(4, 4, 3, stride=2, padding=1, output_padding=1, groups=2), nn.Sigmoid(),
        nn.ConvTranspose2d(4, 2, 3, padding=1, groups=2, bias=False), nn.Flatten()), True),
    # MobileNet's activations around a depthwise convolution: ReLU6 (Clip), Hardswish (HardSwish from opset 14, x times
    # HardSigmoid before), Hardsigmoid (HardSigmoid) and a Hardtanh with bounds of its own.
    "mobilenet_acts": ([3, 6, 6], lambda: nn.Sequential(
        nn.Conv2d(3, 6, 1), nn.ReLU6(), nn.Conv2d(6, 6, 3, padding=1, groups=6), nn.Hardswish(), nn.Conv2d(6, 4, 1),
        nn.Hardsigmoid(), nn.Flatten(), nn.Linear(144, 3), nn.Hardtanh(-0.5, 0.7)), True),
}

# The variants of a model that not every variant can express: before opset 10, ceil_mode is written as extra padding on
# the right, which the importer refuses (it pads both sides alike).
ONLY_VARIANTS = {"cnn_ceil": ["plain", "dynamic", "opset11", "opset13_unfolded", "opset17", "f64_plain"],
                 # Before opset 13 PyTorch writes a log-softmax over the channels between two Transposes, which the importer refuses.
                 "segmentation": ["plain", "dynamic", "opset13_unfolded", "opset17", "f64_plain", "f64_dynamic_unfolded"],
                 # torch 1.13 writes LayerNormalization without elementwise_affine with an empty Scale, which its own checker refuses.
                 "mlp_layernorm_plain": ["plain", "dynamic", "opset9", "opset11", "opset13_unfolded", "f64_plain", "f64_dynamic_unfolded"]}

DYNAMIC = dict(input_names=["input"], output_names=["output"],
               dynamic_axes={"input": {0: "batch"}, "output": {0: "batch"}})

# variant -> (dtype, export keyword arguments). "plain" is the call as a user first writes it.
VARIANTS = {
    "plain": (torch.float32, {}),
    "dynamic": (torch.float32, DYNAMIC),
    "opset9": (torch.float32, dict(opset_version=9, keep_initializers_as_inputs=True)),
    "opset11": (torch.float32, dict(opset_version=11, **DYNAMIC)),
    "opset13_unfolded": (torch.float32, dict(opset_version=13, do_constant_folding=False, **DYNAMIC)),
    "opset17": (torch.float32, dict(opset_version=17, **DYNAMIC)),
    "f64_plain": (torch.float64, {}),
    "f64_dynamic_unfolded": (torch.float64, dict(do_constant_folding=False, **DYNAMIC)),
}


def set_weights(model, seed):
    """Every parameter and running statistic from the Wave formula, each tensor at its own offset."""
    modules = dict(model.named_modules())
    with torch.no_grad():
        for index, (name, tensor) in enumerate(model.state_dict().items()):
            if name.endswith("num_batches_tracked"):
                continue
            module, kind = modules[name.rpartition(".")[0]], name.rpartition(".")[2]
            offset, count = 100 * seed + 17 * index, tensor.numel()
            if kind == "running_var":
                values = [0.5 + abs(v) for v in wave(count, offset, 0.8)]
            elif kind == "running_mean":
                values = wave(count, offset, 0.3)
            elif isinstance(module, nn.PReLU):
                # One slope 0.2; slopes per channel each their own, one of them negative.
                values = [0.2] if count == 1 else [0.1 + v for v in wave(count, offset, 0.3)]
            elif isinstance(module, (nn.modules.batchnorm._BatchNorm, nn.LayerNorm)) and kind == "weight":
                values = [1 + v for v in wave(count, offset, 0.2)]
            elif tensor.dim() == 1 or isinstance(module, nn.LayerNorm):
                values = wave(count, offset, 0.2)
            else:
                fan_in = count // tensor.shape[0]
                values = wave(count, offset, 1.5 / math.sqrt(fan_in))
            tensor.copy_(torch.tensor(values, dtype=torch.float64).reshape(tensor.shape))


def build(name, dtype):
    shape, builder, _ = MODELS[name]
    model = builder().to(dtype)
    set_weights(model, list(MODELS).index(name) + 1)
    return model.eval()


def sample_input(name, batch, dtype):
    """Wave values rounded to float32, so that the float and the double model see the same numbers."""
    shape = MODELS[name][0]
    count = batch * math.prod(shape)
    values = torch.tensor(wave(count, 1000 + 50 * list(MODELS).index(name), 1.5), dtype=torch.float32)
    return values.to(dtype).reshape(batch, *shape)


def export(model, example, path, **options):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(model, example, path, **options)


def after_one_step(name, x, target):
    """PyTorch's float64 output after one SGD step on the mean squared error (eval mode: no dropout)."""
    model = build(name, torch.float64)
    loss = nn.functional.mse_loss(model(x), target)
    loss.backward()
    with torch.no_grad():
        for p in model.parameters():
            p -= LEARNING_RATE * p.grad
        return model(x)


def rejected_files(directory):
    """Models the importer must refuse, each for a reason its test names."""
    def write(file, model, shape, **options):
        model = model.float()
        set_weights(model, 50)
        # Batch 2: training mode needs more than one value per channel.
        example = torch.tensor(wave(2 * math.prod(shape), 3000, 1.0), dtype=torch.float32).reshape(2, *shape)
        export(model.eval(), example, os.path.join(directory, file), **options)

    write("rejected_product.onnx", Gated(), [4])
    write("rejected_no_weights.onnx", nn.Sequential(nn.Linear(4, 3)), [4], export_params=False)
    write("rejected_training.onnx", nn.Sequential(nn.Linear(4, 3), nn.BatchNorm1d(3)), [4],
          training=torch.onnx.TrainingMode.TRAINING, opset_version=17)
    # A Pad then an AveragePool in ceil mode, which keeps a last window starting in the padding that AvgPool2d leaves out.
    write("rejected_ceil_mode_in_padding.onnx", nn.Sequential(nn.AvgPool2d(2, padding=1, ceil_mode=True)), [1, 5, 5])
    write("rejected_channel_softmax.onnx", nn.Sequential(nn.Conv2d(1, 2, 3), nn.Softmax(dim=1)), [1, 5, 5])
    write("rejected_asymmetric_pad.onnx", nn.Sequential(nn.ZeroPad2d((0, 1, 0, 1)), nn.Conv2d(1, 1, 2)), [1, 4, 4])


def values(tensor):
    return "[" + ", ".join(repr(float(v)) for v in tensor.detach().reshape(-1).tolist()) + "]"


def main(directory, csharp):
    torch.set_num_threads(1)
    os.makedirs(directory, exist_ok=True)
    lines = [
        "// <auto-generated>",
        "// Generated by tests/PyTorchReference/onnx_models.py from PyTorch " + torch.__version__.split("a")[0].split("+")[0]
        + "; do not edit by hand, rerun the script.",
        "// </auto-generated>",
        "namespace NeuralNets.Tests.Interop;",
        "",
        "/// <summary>The models of PyTorchFiles/: PyTorch's input, outputs and output after one SGD step (lr "
        + repr(LEARNING_RATE) + ", mean squared error).</summary>",
        "internal static class PyTorchOnnxValues",
        "{",
        "    public const double LearningRate = " + repr(LEARNING_RATE) + ";",
        "",
        "    /// <summary>Each file's name (without .onnx), its model's name and whether it holds float64.</summary>",
        "    public static readonly (string File, string Model, bool IsDouble)[] Files =",
        "    [",
    ]
    for name in MODELS:
        for variant, (dtype, options) in VARIANTS.items():
            if variant not in ONLY_VARIANTS.get(name, VARIANTS):
                continue
            file = name + "_" + variant
            model = build(name, dtype)
            export(model, sample_input(name, 1, dtype), os.path.join(directory, file + ".onnx"), **options)
            lines.append('        ("' + file + '", "' + name + '", ' + ("true" if dtype == torch.float64 else "false") + "),")
    lines += ["    ];", "", "    public static readonly PyTorchOnnxModel[] Models =", "    ["]
    for name, (shape, _, comparable) in MODELS.items():
        x64 = sample_input(name, BATCH, torch.float64)
        with torch.no_grad():
            out32 = build(name, torch.float32)(sample_input(name, BATCH, torch.float32))
            out64 = build(name, torch.float64)(x64)
        target = torch.tensor(wave(out64.numel(), 2000, 0.5), dtype=torch.float64).reshape(out64.shape)
        stepped = after_one_step(name, x64, target) if comparable else None
        lines.append('        new("' + name + '", [' + ", ".join(str(d) for d in shape) + "],")
        lines.append("            Input: " + values(x64) + ",")
        lines.append("            FloatOutput: " + values(out32) + ",")
        lines.append("            DoubleOutput: " + values(out64) + ",")
        lines.append("            Target: " + values(target) + ",")
        lines.append("            DoubleOutputAfterStep: " + (values(stepped) if stepped is not None else "null") + "),")
    lines += ["    ];", "}", ""]
    rejected_files(directory)
    with open(os.path.join(directory, "resnet_f64.safetensors"), "wb") as output:
        output.write(write_safetensors(build("resnet", torch.float64).state_dict(), {"format": "pt"}))
    with open(csharp, "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(lines))


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    torch.set_default_dtype(torch.float64)
    main(sys.argv[1], sys.argv[2])
