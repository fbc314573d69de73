"""Loss values and input gradients of torch.nn.functional's losses, for tests/NeuralNets.Tests/Losses.

Records, in float64 with reduction 'mean' (the mean over every element, or over the batch weighted by the labels'
class weights: what NeuralNets' losses document), each loss's value and its gradient with respect to the input through
autograd, for:
  l1_loss                                     - L1Loss
  huber_loss(delta)                           - Huber(delta)
  binary_cross_entropy_with_logits            - BinaryCrossEntropyWithLogits (no weight or pos_weight: ours has neither)
  cross_entropy(weight, label_smoothing)      - CrossEntropy(classWeights, labelSmoothing), and SoftmaxCrossEntropy
                                                where there are neither
  nll_loss(weight)                            - NegativeLogLikelihood(classWeights)
  cross_entropy and nll_loss with ignore_index, and on K-dimensional inputs [N, C, d1, ...] against targets [N, d1, ...]
                                              - CrossEntropy and NegativeLogLikelihood with ignoreIndex, on such shapes
and, for the layer that comes before nll_loss, log_softmax(dim=1) - LogSoftmax (on [N, C] and over the channels of
[N, C, d1, ...]): its output and, through autograd, its input gradient for a given output gradient.
Inputs follow GoldenInputs.Wave (scale·sin(0.7·(i + offset) + 0.3)), some edited to reach edges (equal output and
target, |d| exactly δ, logits of ±40, ±745 and ±800); the file holds the inputs as recorded, so the tests need not
evaluate the sine again.

The value of binary_cross_entropy_with_logits is recorded as PyTorch defines it today, (1 − y)·z − log_sigmoid(z),
composed from torch 1.13's ops (1.13's fused kernel took (1 − y)·z + m + log(e^(−m) + e^(−z−m)), m = max(−z, 0)); the
two give the same bits on the main cases. Where the loss is far below its terms' parts (logits ±30…±40 on their target's
side, BCE_TINY) both lose digits, 3.1030e-14 today's and 3.1234e-14 1.13's for the exact 3.1271e-14: that case is
recorded apart, and the test checks ours against the exact loss there. The gradient, (σ(z) − y)/n, is the same in both
and is taken through autograd of the fused loss.

Recorded from PyTorch 1.13 (Debian's python3-torch). Rerun from the repository root with Debian's Python:
  /usr/bin/python3 tests/PyTorchReference/losses.py tests/NeuralNets.Tests/Losses/PyTorchLossValues.cs
The output is the same bytes on every run.
"""
import sys

import torch
import torch.nn.functional as F
from golden import array, wave, literal


def record(loss_of, output, target, shape):
    """The loss and its gradient with respect to `output`, both through torch."""
    z = torch.tensor(output).reshape(shape).requires_grad_(True)
    value = loss_of(z, torch.tensor(target).reshape(shape if len(target) == len(output) else [shape[0]]))
    value.backward()
    return value.item(), z.grad.reshape(-1).tolist()


def bce_with_logits_today(z, y):
    """PyTorch's current definition of the mean loss, (1 − y)·z − log_sigmoid(z), from 1.13's ops."""
    return ((1 - y) * z - F.logsigmoid(z)).mean()


def bce_with_logits(z, y):
    """The value as today's PyTorch defines it, the gradient from the fused loss's backward."""
    return F.binary_cross_entropy_with_logits(z, y) - F.binary_cross_entropy_with_logits(z, y).detach() \
        + bce_with_logits_today(z, y).detach()


def with_equal_pairs(output, target, every):
    """`target` with every `every`-th element set to the output's, so that the difference there is exactly 0."""
    return [o if i % every == 0 else t for i, (o, t) in enumerate(zip(output, target))]


L1 = [
    ("Wave(12, 1900, 2) against Wave(12, 1950, 1), every third pair equal, [3, 4]",
     wave(12, 1900, 2.0), with_equal_pairs(wave(12, 1900, 2.0), wave(12, 1950, 1.0), 3), [3, 4]),
    ("Wave(10, 1960, 1000) against Wave(10, 1970, 0.001), [2, 5]", wave(10, 1960, 1000.0), wave(10, 1970, 0.001), [2, 5]),
]

# (delta, description, output, target, shape)
HUBER = [
    (1.0, "Wave(12, 1980, 2) against Wave(12, 1990, 1), [3, 4]", wave(12, 1980, 2.0), wave(12, 1990, 1.0), [3, 4]),
    (0.3, "Wave(12, 1982, 2) against Wave(12, 1993, 1), [3, 4]", wave(12, 1982, 2.0), wave(12, 1993, 1.0), [3, 4]),
    (2.5, "Wave(12, 1984, 3) against Wave(12, 1996, 1), [3, 4]", wave(12, 1984, 3.0), wave(12, 1996, 1.0), [3, 4]),
    (0.5, "differences ±δ exactly, 0 and 4.5, [2, 3]",
     [0.75, 1.25, -0.5, 2.0, 0.125, 3.0], [0.25, 1.75, 0.0, 2.0, 0.625, -1.5], [2, 3]),
    (1.0, "Wave(8, 2000, 800) against Wave(8, 2010, 1), [2, 4]", wave(8, 2000, 800.0), wave(8, 2010, 1.0), [2, 4]),
]

BCE = [
    ("logits Wave(12, 2020, 6), targets 0.5 + Wave(12, 2030, 0.5), [3, 4]",
     wave(12, 2020, 6.0), [0.5 + v for v in wave(12, 2030, 0.5)], [3, 4]),
    ("logits Wave(8, 2040, 20), targets 0 and 1, [2, 4]", wave(8, 2040, 20.0), [0.0, 1.0, 1.0, 0.0, 1.0, 0.0, 0.0, 1.0], [2, 4]),
    ("logits ±40, ±800, ±745, ±720, −710, 0 and 36.7, hard and soft targets, [3, 5]",
     [40.0, -40.0, 800.0, -800.0, 40.0, -40.0, 800.0, -800.0, 0.0, 745.0, -745.0, 36.7, -720.0, 720.0, -710.0],
     [1.0, 0.0, 1.0, 0.0, 0.0, 1.0, 0.0, 1.0, 0.5, 0.3, 0.7, 1.0, 0.0, 1.0, 0.0], [3, 5]),
]

# Where the loss is far below its terms' parts, PyTorch's value loses digits (see the docstring): recorded apart.
BCE_TINY = [
    ("logits ±30, ±36, ±40 on their own side: a loss of 3e-14, [2, 3]",
     [40.0, -40.0, 36.0, -36.0, 30.0, -30.0], [1.0, 0.0, 1.0, 0.0, 1.0, 0.0], [2, 3]),
]

# (weights or None, label_smoothing, description, logits, labels, shape)
CROSS_ENTROPY = [
    (None, 0.0, "Wave(60, 2100, 4) as [6, 10], labels 0, 3, 9, 5, 5, 1", wave(60, 2100, 4.0), [0, 3, 9, 5, 5, 1], [6, 10]),
    (None, 0.0, "Wave(60, 2110, 4) as [3, 20], labels 19, 0, 7", wave(60, 2110, 4.0), [19, 0, 7], [3, 20]),
    (None, 0.0, "logits ±800, ±40 and rows of one value, [3, 4], labels 1, 2, 3",
     [800.0, -800.0, 0.0, 40.0, -800.0, -800.0, -800.0, -800.0, 40.0, -40.0, 800.0, 799.0], [1, 2, 3], [3, 4]),
    ([0.2, 1.5, 1.0, 3.0], 0.0, "Wave(24, 2050, 3) as [6, 4], labels 0, 1, 2, 3, 1, 3",
     wave(24, 2050, 3.0), [0, 1, 2, 3, 1, 3], [6, 4]),
    (None, 0.1, "Wave(24, 2052, 3) as [6, 4], labels 0, 1, 2, 3, 1, 3", wave(24, 2052, 3.0), [0, 1, 2, 3, 1, 3], [6, 4]),
    (None, 1.0, "Wave(24, 2054, 3) as [6, 4], labels 3, 1, 2, 0, 1, 3", wave(24, 2054, 3.0), [3, 1, 2, 0, 1, 3], [6, 4]),
    ([0.0, 1.0, 2.0, 0.5], 0.2, "Wave(24, 2060, 3) as [6, 4], labels 0, 1, 2, 3, 0, 2",
     wave(24, 2060, 3.0), [0, 1, 2, 3, 0, 2], [6, 4]),
    ([1.0, 2.0, 0.5], 0.05, "logits ±800 and ±40, [3, 3], labels 1, 0, 2",
     [800.0, -800.0, 0.0, -800.0, 800.0, 40.0, 40.0, -40.0, 800.0], [1, 0, 2], [3, 3]),
    ([0.3, 1.0, 2.0, 0.7, 1.1], 0.3, "Wave(5, 2070, 2) as [1, 5], label 4", wave(5, 2070, 2.0), [4], [1, 5]),
]

# Probabilities below the smallest normal double, which SoftmaxCrossEntropy's gradient flushes to 0: recorded apart.
CROSS_ENTROPY_SUBNORMAL = [
    (None, 0.0, "logits 0, −720, 5, −730 and −715, 2, −740, 0: probabilities below the smallest normal double, [2, 4], labels 2, 1",
     [0.0, -720.0, 5.0, -730.0, -715.0, 2.0, -740.0, 0.0], [2, 1], [2, 4]),
]


# (weights or None, description, log-probabilities or None to take log_softmax of the logits, logits, labels, shape)
NLL = [
    (None, "log_softmax of Wave(60, 2300, 4) as [6, 10], labels 0, 3, 9, 5, 5, 1", None, wave(60, 2300, 4.0), [0, 3, 9, 5, 5, 1], [6, 10]),
    (None, "Wave(24, 2310, 3) as [6, 4] taken as they are, labels 3, 1, 2, 0, 1, 3", wave(24, 2310, 3.0), None, [3, 1, 2, 0, 1, 3], [6, 4]),
    (None, "log_softmax of Wave(5, 2320, 2) as [1, 5], label 4", None, wave(5, 2320, 2.0), [4], [1, 5]),
    (None, "log_softmax of Wave(120, 2330, 5) as [40, 3], labels (7i + i // 3) mod 3", None, wave(120, 2330, 5.0),
     [(7 * i + i // 3) % 3 for i in range(40)], [40, 3]),
    ([0.5, 2.0, 1.0, 0.25], "log_softmax of Wave(24, 2340, 4) as [6, 4], weights 0.5, 2, 1, 0.25, labels 3, 1, 2, 0, 1, 3", None,
     wave(24, 2340, 4.0), [3, 1, 2, 0, 1, 3], [6, 4]),
    ([0.0, 1.5, 0.0], "Wave(15, 2350, 3) as [5, 3] taken as they are, weights 0, 1.5, 0 (two labels weigh nothing), labels 0, 1, 2, 1, 0",
     wave(15, 2350, 3.0), None, [0, 1, 2, 1, 0], [5, 3]),
]

# (loss, weights or None, label_smoothing, ignore_index or None, description, logits, labels, shape): cross_entropy ("ce") of
# the logits, or nll_loss ("nll") of their log_softmax over dim 1; labels shaped as the logits without dim 1.
DENSE = [
    ("ce", None, 0.0, -100, "Wave(24, 2500, 3) as [6, 4], labels 0, −100, 3, 1, −100, 2", wave(24, 2500, 3.0), [0, -100, 3, 1, -100, 2], [6, 4]),
    ("ce", [0.5, 2.0, 1.0, 0.25], 0.2, -100, "Wave(24, 2510, 3) as [6, 4], weights 0.5, 2, 1, 0.25, labels −100, 1, 2, 3, 0, −100",
     wave(24, 2510, 3.0), [-100, 1, 2, 3, 0, -100], [6, 4]),
    ("ce", None, 0.1, 1, "Wave(24, 2520, 3) as [6, 4], ignoring class 1, labels 0, 1, 2, 3, 1, 2", wave(24, 2520, 3.0), [0, 1, 2, 3, 1, 2], [6, 4]),
    ("ce", None, 0.0, None, "Wave(36, 2530, 3) as [2, 3, 2, 3], labels (i mod 3)", wave(36, 2530, 3.0), [i % 3 for i in range(12)], [2, 3, 2, 3]),
    ("ce", [0.5, 2.0, 1.0], 0.1, -100, "Wave(36, 2540, 3) as [2, 3, 2, 3], weights 0.5, 2, 1, every fifth label −100",
     wave(36, 2540, 3.0), [-100 if i % 5 == 0 else (7 * i) % 3 for i in range(12)], [2, 3, 2, 3]),
    ("ce", None, 0.0, 255, "Wave(40, 2550, 4) as [2, 4, 5], labels (3i mod 4), 255 at 2 and 7", wave(40, 2550, 4.0),
     [255 if i in (2, 7) else (3 * i) % 4 for i in range(10)], [2, 4, 5]),
    ("ce", [1.0, 0.5, 2.0], 0.3, None, "Wave(48, 2560, 2) as [1, 3, 4, 2, 2], weights 1, 0.5, 2", wave(48, 2560, 2.0),
     [(5 * i + 1) % 3 for i in range(16)], [1, 3, 4, 2, 2]),
    ("nll", None, 0.0, -100, "log_softmax of Wave(24, 2600, 3) as [6, 4], labels 3, −100, 0, 1, 2, −100", wave(24, 2600, 3.0),
     [3, -100, 0, 1, 2, -100], [6, 4]),
    ("nll", [0.5, 2.0, 1.0, 0.25], 0.0, 2, "log_softmax of Wave(24, 2610, 3) as [6, 4], weights 0.5, 2, 1, 0.25, ignoring class 2",
     wave(24, 2610, 3.0), [2, 1, 2, 3, 0, 1], [6, 4]),
    ("nll", None, 0.0, None, "log_softmax of Wave(36, 2620, 3) as [2, 3, 2, 3], labels (i mod 3)", wave(36, 2620, 3.0),
     [i % 3 for i in range(12)], [2, 3, 2, 3]),
    ("nll", [0.5, 2.0, 1.0], 0.0, -100, "log_softmax of Wave(24, 2630, 3) as [2, 3, 4], weights 0.5, 2, 1, labels −100 at 1 and 6",
     wave(24, 2630, 3.0), [-100 if i in (1, 6) else (2 * i) % 3 for i in range(8)], [2, 3, 4]),
]

# (description, logits, output gradient, shape)
LOG_SOFTMAX = [
    ("Wave(60, 2400, 4) as [6, 10], output gradient Wave(60, 2410, 1)", wave(60, 2400, 4.0), wave(60, 2410, 1.0), [6, 10]),
    ("Wave(60, 2420, 4) as [3, 20], output gradient Wave(60, 2430, 1)", wave(60, 2420, 4.0), wave(60, 2430, 1.0), [3, 20]),
    ("Wave(74, 2440, 2) as [2, 37], output gradient Wave(74, 2450, 0.5)", wave(74, 2440, 2.0), wave(74, 2450, 0.5), [2, 37]),
    ("Wave(5, 2460, 1) as [1, 5], output gradient nll_loss's for label 2", wave(5, 2460, 1.0), [0.0, 0.0, -1.0, 0.0, 0.0], [1, 5]),
    ("logits ±800, ±40 and rows of one value, [3, 4], output gradient Wave(12, 2470, 1)",
     [800.0, -800.0, 0.0, 40.0, -800.0, -800.0, -800.0, -800.0, 40.0, -40.0, 800.0, 799.0], wave(12, 2470, 1.0), [3, 4]),
    ("Wave(36, 2480, 4) as [2, 3, 2, 3] (over the channels), output gradient Wave(36, 2490, 1)", wave(36, 2480, 4.0),
     wave(36, 2490, 1.0), [2, 3, 2, 3]),
    ("Wave(40, 2700, 3) as [2, 4, 5] (over the channels), output gradient Wave(40, 2710, 1)", wave(40, 2700, 3.0),
     wave(40, 2710, 1.0), [2, 4, 5]),
]


def elementwise(description, output, target, shape, loss_of, indent="            "):
    value, gradient = record(loss_of, output, target, shape)
    return (f"new(\"{description}\", [{', '.join(str(d) for d in shape)}],\n{indent[:-4]}"
            + f",\n{indent[:-4]}".join(array(values, indent) for values in (output, target, [value], gradient)) + ")")


def section(record_type, name, comment, entries):
    body = "\n".join("        " + entry + "," for entry in entries)
    return f"    /// <summary>{comment}</summary>\n    public static readonly {record_type}[] {name} =\n    [\n{body}\n    ];\n"


def weights_literal(weights):
    return "null" if weights is None else "[" + ", ".join(literal(w) for w in weights) + "]"


def class_case(weights, smoothing, description, logits, labels, shape, indent="            "):
    weight = None if weights is None else torch.tensor(weights)
    value, gradient = record(lambda z, y: F.cross_entropy(z, y.long(), weight=weight, label_smoothing=smoothing),
                             logits, [float(label) for label in labels], shape)
    return (f"new(\"{description}\", {weights_literal(weights)}, {literal(smoothing)}, [{', '.join(str(n) for n in shape)}],\n{indent[:-4]}"
            + f",\n{indent[:-4]}".join(array(values, indent) for values in (logits, labels, [value], gradient)) + ")")


def nll_case(weights, description, log_probabilities, logits, labels, shape, indent="            "):
    if log_probabilities is None:
        log_probabilities = F.log_softmax(torch.tensor(logits).reshape(shape), dim=1).reshape(-1).tolist()
    weight = None if weights is None else torch.tensor(weights)
    value, gradient = record(lambda z, y: F.nll_loss(z, y.long(), weight=weight), log_probabilities,
                             [float(label) for label in labels], shape)
    return (f"new(\"{description}\", {weights_literal(weights)}, 0.0, [{', '.join(str(n) for n in shape)}],\n{indent[:-4]}"
            + f",\n{indent[:-4]}".join(array(values, indent) for values in (log_probabilities, labels, [value], gradient)) + ")")


def dense_case(loss, weights, smoothing, ignore_index, description, logits, labels, shape, indent="            "):
    weight = None if weights is None else torch.tensor(weights)
    ignore = -100 if ignore_index is None else ignore_index  # torch's default, which none of the labels here is
    if loss == "ce":
        output = logits
        loss_of = lambda z, y: F.cross_entropy(z, y, weight=weight, label_smoothing=smoothing, ignore_index=ignore)
    else:
        output = F.log_softmax(torch.tensor(logits).reshape(shape), dim=1).reshape(-1).tolist()
        loss_of = lambda z, y: F.nll_loss(z, y, weight=weight, ignore_index=ignore)
    label_shape = [shape[0]] + shape[2:]
    z = torch.tensor(output).reshape(shape).requires_grad_(True)
    value = loss_of(z, torch.tensor(labels, dtype=torch.long).reshape(label_shape))
    value.backward()
    values = (output, [float(label) for label in labels], [value.item()], z.grad.reshape(-1).tolist())
    ignored = "null" if ignore_index is None else str(ignore_index)
    return (f"new(\"{loss}\", \"{description}\", {weights_literal(weights)}, {literal(smoothing)}, {ignored}, "
            f"[{', '.join(str(n) for n in shape)}], [{', '.join(str(n) for n in label_shape)}],\n{indent[:-4]}"
            + f",\n{indent[:-4]}".join(array(v, indent) for v in values) + ")")


def log_softmax_case(description, logits, output_gradient, shape, indent="            "):
    z = torch.tensor(logits).reshape(shape).requires_grad_(True)
    y = F.log_softmax(z, dim=1)
    y.backward(torch.tensor(output_gradient).reshape(shape))
    values = (logits, output_gradient, y.detach().reshape(-1).tolist(), z.grad.reshape(-1).tolist())
    return (f"new(\"{description}\", [{', '.join(str(n) for n in shape)}],\n{indent[:-4]}"
            + f",\n{indent[:-4]}".join(array(v, indent) for v in values) + ")")


def main(path):
    torch.set_default_dtype(torch.float64)
    torch.set_num_threads(1)
    l1 = [elementwise(d, o, t, s, F.l1_loss) for d, o, t, s in L1]
    huber = ["new(" + literal(delta) + ", " + elementwise(d, o, t, s, lambda z, y, delta=delta: F.huber_loss(z, y, delta=delta),
                                                         indent="                ") + ")"
             for delta, d, o, t, s in HUBER]
    bce = [elementwise(d, o, t, s, bce_with_logits) for d, o, t, s in BCE]
    bce_tiny = [elementwise(d, o, t, s, bce_with_logits) for d, o, t, s in BCE_TINY]
    cross = [class_case(*entry) for entry in CROSS_ENTROPY]
    cross_subnormal = [class_case(*entry) for entry in CROSS_ENTROPY_SUBNORMAL]
    nll = [nll_case(*entry) for entry in NLL]
    log_softmax = [log_softmax_case(*entry) for entry in LOG_SOFTMAX]
    dense = [dense_case(*entry) for entry in DENSE]
    header = (
        "// <auto-generated>\n"
        "// Loss values and input gradients recorded from torch.nn.functional (PyTorch 1.13, float64, reduction 'mean') by\n"
        "//   /usr/bin/python3 tests/PyTorchReference/losses.py tests/NeuralNets.Tests/Losses/PyTorchLossValues.cs\n"
        "// binary_cross_entropy_with_logits's value is today's PyTorch definition, (1 − y)·z − log_sigmoid(z): see the script.\n"
        "// Do not edit by hand: regenerate.\n"
        "// </auto-generated>\n"
        "#nullable enable\n"
        "namespace NeuralNets.Tests.Losses;\n\n"
        "/// <summary>An elementwise loss's inputs (flattened, with their shape), and PyTorch's loss (one value) and gradient with respect to the output.</summary>\n"
        "internal sealed record ElementwiseLossCase(string Inputs, int[] Shape, double[] Output, double[] Target, double[] Loss, double[] Gradient);\n\n"
        "/// <summary>Huber's δ and the case recorded with it.</summary>\n"
        "internal sealed record HuberLossCase(double Delta, ElementwiseLossCase Recorded);\n\n"
        "/// <summary>cross_entropy's class weights (null for none) and label smoothing, its logits and labels, and PyTorch's loss and gradient.</summary>\n"
        "internal sealed record ClassLossCase(string Inputs, double[]? Weights, double LabelSmoothing, int[] Shape, double[] Output, double[] Labels, double[] Loss, double[] Gradient);\n\n"
        "/// <summary>cross_entropy (\"ce\") or nll_loss (\"nll\") with weights (null for none), label smoothing and ignore_index (null for none), on logits or log-probabilities [N, C, d1, …] against labels [N, d1, …], and PyTorch's loss and gradient.</summary>\n"
        "internal sealed record DenseClassLossCase(string Loss, string Inputs, double[]? Weights, double LabelSmoothing, int? IgnoreIndex, int[] Shape, int[] LabelShape, double[] Output, double[] Labels, double[] Value, double[] Gradient);\n\n"
        "/// <summary>log_softmax(dim=1)'s input (flattened, with its shape) and output gradient, and PyTorch's output and input gradient.</summary>\n"
        "internal sealed record LogSoftmaxCase(string Inputs, int[] Shape, double[] Input, double[] OutputGradient, double[] Output, double[] InputGradient);\n\n"
        "/// <summary>The recorded cases, one array per loss.</summary>\n"
        "internal static class PyTorchLossValues\n{\n"
    )
    sections = [
        section("ElementwiseLossCase", "L1Loss", "l1_loss.", l1),
        section("HuberLossCase", "HuberLoss", "huber_loss(delta).", huber),
        section("ElementwiseLossCase", "BceWithLogitsLoss",
                "binary_cross_entropy_with_logits: the value as (1 − y)·z − log_sigmoid(z), the gradient from its backward.", bce),
        section("ElementwiseLossCase", "BceWithLogitsTinyLoss",
                "binary_cross_entropy_with_logits where the loss is far below its terms' parts and PyTorch's value loses digits.",
                bce_tiny),
        section("ClassLossCase", "CrossEntropyLoss", "cross_entropy(weight, label_smoothing) against class indices.", cross),
        section("ClassLossCase", "CrossEntropySubnormalProbabilities",
                "cross_entropy where some probabilities, and so gradients, are below the smallest normal double.", cross_subnormal),
        section("ClassLossCase", "NllLoss", "nll_loss(weight) against class indices, of log-probabilities (log_softmax's, or any values).", nll),
        section("LogSoftmaxCase", "LogSoftmax", "log_softmax(dim=1) and its backward.", log_softmax),
        section("DenseClassLossCase", "IgnoredAndKDimensional",
                "cross_entropy and nll_loss with ignore_index, and on K-dimensional inputs.", dense),
    ]
    with open(path, "w", encoding="utf-8", newline="\n") as output:
        output.write(header + "\n".join(sections) + "}\n")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: losses.py OUTPUT.cs")
    main(sys.argv[1])
