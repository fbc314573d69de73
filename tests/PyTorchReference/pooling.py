"""Outputs and input gradients of nn.MaxPool2d and nn.AvgPool2d with ceil_mode and count_include_pad, for
tests/NeuralNets.Tests/Layers.

Records, in float64, each pool's output and the gradient with respect to its input through autograd (the output's
gradient given), for windows that reach every edge of ceil mode: a last window overhanging the input with and without
padding, one that would start in the right padding and is left out (with and without padding), a stride larger than the
kernel, rectangular kernels, a kernel larger than the input, and count_include_pad=False with and without ceil mode.
Inputs follow GoldenInputs.Wave (scale·sin(0.7·(i + offset) + 0.3)); the file holds them as recorded.

Recorded from PyTorch 1.13 (Debian's python3-torch). Rerun from the repository root with Debian's Python:
  /usr/bin/python3 tests/PyTorchReference/pooling.py tests/NeuralNets.Tests/Layers/PyTorchPoolingValues.cs
The output is the same bytes on every run.
"""
import sys

import torch
from golden import array, wave

# (description, max or avg, kernel, stride, padding, ceil_mode, count_include_pad, input shape)
CASES = [
    ("2×2 stride 2, odd height and width: last windows overhang", "max", (2, 2), (2, 2), (0, 0), True, True, [2, 3, 5, 7]),
    ("3×3 stride 2 padding 1 on 6×6: the last window overhangs the padding", "max", (3, 3), (2, 2), (1, 1), True, True, [1, 2, 6, 6]),
    ("2×2 stride 2 padding 1 on 5×5: a last window would start in the padding", "max", (2, 2), (2, 2), (1, 1), True, True, [1, 2, 5, 5]),
    ("3×3 stride 3 padding 1 on 5×7: a window starting in the padding left out", "max", (3, 3), (3, 3), (1, 1), True, True, [1, 1, 5, 7]),
    ("1×1 stride 3 on 5×7: stride beyond the kernel, a window past the input left out", "max", (1, 1), (3, 3), (0, 0), True, True, [1, 2, 5, 7]),
    ("2×2 stride 3 on 7×8: stride beyond the kernel, overhanging", "max", (2, 2), (3, 3), (0, 0), True, True, [1, 2, 7, 8]),
    ("3×2 stride 2×1 padding 1×0 on 6×5: rectangular", "max", (3, 2), (2, 1), (1, 0), True, True, [2, 1, 6, 5]),
    ("3×3 stride 2 on 2×4: a kernel larger than the input", "max", (3, 3), (2, 2), (0, 0), True, True, [1, 2, 2, 4]),
    ("2×2 stride 2, odd height and width: last windows overhang", "avg", (2, 2), (2, 2), (0, 0), True, True, [2, 3, 5, 7]),
    ("2×2 stride 2, odd height and width, padding not counted", "avg", (2, 2), (2, 2), (0, 0), True, False, [2, 3, 5, 7]),
    ("3×3 stride 2 padding 1 on 6×6: the last window overhangs the padding", "avg", (3, 3), (2, 2), (1, 1), True, True, [1, 2, 6, 6]),
    ("3×3 stride 2 padding 1 on 6×6, padding not counted", "avg", (3, 3), (2, 2), (1, 1), True, False, [1, 2, 6, 6]),
    ("2×2 stride 2 padding 1 on 5×5: a last window would start in the padding", "avg", (2, 2), (2, 2), (1, 1), True, True, [1, 2, 5, 5]),
    ("3×3 stride 3 padding 1 on 5×7, padding not counted", "avg", (3, 3), (3, 3), (1, 1), True, False, [1, 1, 5, 7]),
    ("1×1 stride 3 on 5×7: stride beyond the kernel, a window past the input left out", "avg", (1, 1), (3, 3), (0, 0), True, True, [1, 2, 5, 7]),
    ("2×2 stride 3 on 7×8: stride beyond the kernel, overhanging", "avg", (2, 2), (3, 3), (0, 0), True, True, [1, 2, 7, 8]),
    ("3×2 stride 2×1 padding 1×0 on 6×5: rectangular", "avg", (3, 2), (2, 1), (1, 0), True, True, [2, 1, 6, 5]),
    ("3×2 stride 2×1 padding 1×0 on 6×5: rectangular, padding not counted", "avg", (3, 2), (2, 1), (1, 0), True, False, [2, 1, 6, 5]),
    ("3×3 stride 2 on 2×4: a kernel larger than the input", "avg", (3, 3), (2, 2), (0, 0), True, True, [1, 2, 2, 4]),
    ("3×3 stride 2 padding 1 on 7×8, rounding down, padding not counted", "avg", (3, 3), (2, 2), (1, 1), False, False, [2, 2, 7, 8]),
    ("5×3 stride 1×2 padding 2×1 on 6×5, rounding down, padding not counted", "avg", (5, 3), (1, 2), (2, 1), False, False, [1, 2, 6, 5]),
]


def record(kind, kernel, stride, padding, ceil_mode, count_include_pad, shape, values, gradient_of):
    """The pool's output and the input gradient that an output gradient from `gradient_of(count)` gives."""
    x = torch.tensor(values).reshape(shape).requires_grad_(True)
    if kind == "max":
        pool = torch.nn.MaxPool2d(kernel, stride, padding, ceil_mode=ceil_mode)
    else:
        pool = torch.nn.AvgPool2d(kernel, stride, padding, ceil_mode=ceil_mode, count_include_pad=count_include_pad)
    y = pool(x)
    dy = gradient_of(y.numel())
    y.backward(torch.tensor(dy).reshape(y.shape))
    return list(y.shape), y.reshape(-1).tolist(), dy, x.grad.reshape(-1).tolist()


def ints(values):
    return "[" + ", ".join(str(v) for v in values) + "]"


def case(index, description, kind, kernel, stride, padding, ceil_mode, count_include_pad, shape, indent="            "):
    count = 1
    for n in shape:
        count *= n
    values = wave(count, 2200 + 37 * index, 3.0)
    output_shape, output, dy, dx = record(kind, kernel, stride, padding, ceil_mode, count_include_pad, shape, values,
                                          lambda n: wave(n, 2400 + 37 * index, 1.5))
    head = (f"new(\"{description}\", {'true' if kind == 'max' else 'false'}, {ints(kernel)}, {ints(stride)}, {ints(padding)}, "
            f"{'true' if ceil_mode else 'false'}, {'true' if count_include_pad else 'false'}, {ints(shape)}, {ints(output_shape)}")
    return head + ",\n" + indent[:-4] + f",\n{indent[:-4]}".join(array(v, indent) for v in (values, output, dy, dx)) + ")"


def main(path):
    torch.set_default_dtype(torch.float64)
    torch.set_num_threads(1)
    entries = [case(i, *entry) for i, entry in enumerate(CASES)]
    body = "\n".join("        " + entry + "," for entry in entries)
    text = (
        "// <auto-generated>\n"
        "// Outputs and input gradients of nn.MaxPool2d and nn.AvgPool2d (PyTorch 1.13, float64) with ceil_mode and count_include_pad, by\n"
        "//   /usr/bin/python3 tests/PyTorchReference/pooling.py tests/NeuralNets.Tests/Layers/PyTorchPoolingValues.cs\n"
        "// Do not edit by hand: regenerate.\n"
        "// </auto-generated>\n"
        "#nullable enable\n"
        "namespace NeuralNets.Tests.Layers;\n\n"
        "/// <summary>\n"
        "/// A pool (max or average), its window (as [height, width]), ceil_mode and count_include_pad, its input's shape and\n"
        "/// PyTorch's output shape, and the input, PyTorch's output, the output's gradient and PyTorch's input gradient, flattened.\n"
        "/// </summary>\n"
        "internal sealed record PoolingCase(string Window, bool Max, int[] Kernel, int[] Stride, int[] Padding, bool CeilMode, bool CountIncludePad,\n"
        "    int[] Shape, int[] OutputShape, double[] Input, double[] Output, double[] OutputGradient, double[] InputGradient);\n\n"
        "/// <summary>The recorded cases.</summary>\n"
        "internal static class PyTorchPoolingValues\n{\n"
        "    /// <summary>MaxPool2d and AvgPool2d with ceil_mode, count_include_pad or both.</summary>\n"
        "    public static readonly PoolingCase[] Cases =\n    [\n" + body + "\n    ];\n}\n"
    )
    with open(path, "w", encoding="utf-8", newline="\n") as output:
        output.write(text)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: pooling.py OUTPUT.cs")
    main(sys.argv[1])
