"""Real torch.nn models' state_dict()s as safetensors files, for tests/NeuralNets.Tests/Interop/PyTorchWeightsTests.cs.

Records the models PyTorch users build, the ways they build them: nn.Sequential (an MLP; a CNN of Conv2d, BatchNorm2d,
ReLU, MaxPool2d, Flatten, Linear), nn.Modules with named attributes (fc1/bn1/fc2; conv1/bn1/conv2/bn2/fc1/fc2 used
through torch.nn.functional), a module holding nn.Sequentials (features.0.weight, classifier.2.weight), nn.Sequentials
inside an nn.Sequential (0.0.weight, 1.1.running_mean), Conv2d and Linear without bias, grouped and depthwise Conv2d, BatchNorm with and without
affine, PReLU with one slope and one per channel (act1.weight, 1.weight), LayerNorm over features and over [C, H, W]
(ln1.weight, 1.bias; one without elementwise_affine, which holds no tensor), in float32 and float64, and one model
converted to float16 and to bfloat16. Weights are PyTorch's own initialisation under torch.manual_seed; BatchNorm's and
LayerNorm's weight and bias and PReLU's slopes are drawn apart (they start as ones, zeros and 0.25), and its running_mean,
running_var and num_batches_tracked (int64) come from three training-mode forward passes. Each model then predicts an
input batch (GoldenInputs.Wave, scale·sin(0.7·(i + offset) + 0.3)) in eval mode.

Writes, into the folder given:
  NAME.safetensors   the model's state_dict(), as Hugging Face's safetensors writer lays it out (see write_safetensors);
                     PyPI's safetensors package is not on this machine and torch 1.13 cannot write the format, so the
                     writer and the reader here are this script's own, from the format's published description
and the C# file given: each model's input, its output in its own dtype, and its output in float64 from the same
(rounded) weights, which is what a double network that loads the file must predict. Besides, NAME_partial.safetensors
for the PARTIAL files (a model's state_dict with tensors taken out and others put in) and what torch's
load_state_dict(strict=False) reports for each: its missing_keys and unexpected_keys, which
SafetensorsFile.LoadParameters(strict: false) must report too (PyTorchPartialWeightsTests).

With --check-ours DIR it reads the files NeuralNets.Tests wrote with SafetensorsFile.Save (PyTorchWeightsTests saves
each model it loaded into its output folder, PyTorchWeightsSaved/), loads each into a freshly seeded torch model with
load_state_dict(strict=True), and checks that every tensor is the recorded model's, bit for bit, that the model
predicts the same, and that the file's bytes are the ones write_safetensors writes. One line per file; exit 1 on any
difference.

Recorded from PyTorch 1.13 (Debian's python3-torch). Rerun from the repository root with Debian's Python:
  /usr/bin/python3 tests/PyTorchReference/state_dicts.py tests/NeuralNets.Tests/Interop/PyTorchWeights tests/NeuralNets.Tests/Interop/PyTorchWeightValues.cs
  /usr/bin/python3 tests/PyTorchReference/state_dicts.py --check-ours tests/NeuralNets.Tests/bin/Release/net10.0/PyTorchWeightsSaved
The output is the same bytes on every run.
"""
import copy
import json
import math
import os
import struct
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F
from golden import array, wave

# The format's element types this script writes and reads: torch's dtype and, for the bytes, a torch integer type of
# the same width (tensor.view(int type) gives the raw bits, which numpy can then write little-endian).
DTYPES = {
    "F64": (torch.float64, torch.int64, "<i8"),
    "F32": (torch.float32, torch.int32, "<i4"),
    "F16": (torch.float16, torch.int16, "<i2"),
    "BF16": (torch.bfloat16, torch.int16, "<i2"),
    "I64": (torch.int64, torch.int64, "<i8"),
}
NAME_OF_DTYPE = {torch_type: name for name, (torch_type, _, _) in DTYPES.items()}

# Hugging Face's writer orders the tensors by element type, in the reverse of the order its Dtype enum declares them
# (that enum runs ... F16, BF16, I32, U32, F32, C64, F64, I64, U64: "increasing alignment"), then by name, byte by byte.
WRITE_ORDER = ["I64", "F64", "F32", "BF16", "F16"]


def tensor_bytes(tensor):
    """The values of `tensor`, row-major and little-endian, as the format stores them."""
    _, bits, layout = DTYPES[NAME_OF_DTYPE[tensor.dtype]]
    return tensor.detach().contiguous().view(bits).numpy().astype(layout).tobytes()


def write_safetensors(tensors, metadata):
    """The bytes of a safetensors file of `tensors` (name -> tensor) laid out as Hugging Face's writer lays them out.

    An 8-byte little-endian header length; the JSON header, compact, "__metadata__" first (none when `metadata` is
    None) and then one entry per tensor
    ("dtype", "shape", "data_offsets" in that order) in WRITE_ORDER; spaces after the JSON up to a multiple of 8 bytes,
    so that the data starts aligned; then every tensor's bytes, one after the other with no gap, in header order.
    """
    ordered = sorted(tensors.items(), key=lambda item: (WRITE_ORDER.index(NAME_OF_DTYPE[item[1].dtype]), item[0].encode("utf-8")))
    header, data, offset = {} if metadata is None else {"__metadata__": dict(metadata)}, [], 0
    for name, tensor in ordered:
        values = tensor_bytes(tensor)
        header[name] = {"dtype": NAME_OF_DTYPE[tensor.dtype], "shape": list(tensor.shape), "data_offsets": [offset, offset + len(values)]}
        data.append(values)
        offset += len(values)
    text = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    text += b" " * (-len(text) % 8)
    return struct.pack("<Q", len(text)) + text + b"".join(data)


def read_safetensors(content):
    """The tensors (name -> tensor) and metadata (None when absent) of a safetensors file's bytes, checked as the format asks."""
    if len(content) < 8:
        raise ValueError("shorter than the 8-byte header length")
    (length,) = struct.unpack("<Q", content[:8])
    if length > len(content) - 8:
        raise ValueError(f"header length {length} beyond the file")
    header_text = content[8:8 + length]
    if not header_text.startswith(b"{"):
        raise ValueError("the header does not start with '{'")
    header = json.loads(header_text.decode("utf-8"), object_pairs_hook=no_duplicate_names)
    data = content[8 + length:]
    metadata = header.pop("__metadata__", None)
    tensors, spans = {}, []
    for name, entry in header.items():
        if set(entry) != {"dtype", "shape", "data_offsets"}:
            raise ValueError(f"{name}: entry {entry}")
        torch_type = DTYPES[entry["dtype"]][0]
        begin, end = entry["data_offsets"]
        count = math.prod(entry["shape"])
        if not 0 <= begin <= end <= len(data) or end - begin != count * torch.tensor([], dtype=torch_type).element_size():
            raise ValueError(f"{name}: data_offsets {entry['data_offsets']} do not fit shape {entry['shape']} in {len(data)} bytes")
        spans.append((begin, end, name))
        values = torch.frombuffer(bytearray(data[begin:end]), dtype=torch_type) if count > 0 else torch.empty(0, dtype=torch_type)
        tensors[name] = values.reshape(entry["shape"]).clone()
    position = 0
    for begin, end, name in sorted(spans):
        if begin != position:
            raise ValueError(f"{name}: the data has a hole or an overlap at byte {position}")
        position = end
    if position != len(data):
        raise ValueError(f"{len(data) - position} bytes after the last tensor")
    return tensors, metadata


def no_duplicate_names(pairs):
    names = [name for name, _ in pairs]
    if len(names) != len(set(names)):
        raise ValueError(f"a name appears twice in {names}")
    return dict(pairs)


class ModuleMlp(nn.Module):
    """Named attributes, as tutorials write them: fc1, bn1, fc2."""

    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(6, 10)
        self.bn1 = nn.BatchNorm1d(10)
        self.fc2 = nn.Linear(10, 4)

    def forward(self, x):
        return self.fc2(F.relu(self.bn1(self.fc1(x))))


class ModuleCnn(nn.Module):
    """The tutorial CNN: conv1, bn1, conv2, bn2 (affine=False), fc1, fc2, with F.relu, F.max_pool2d, torch.flatten."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(2, 4, 3)
        self.bn1 = nn.BatchNorm2d(4)
        self.conv2 = nn.Conv2d(4, 6, 3, padding=1)
        self.bn2 = nn.BatchNorm2d(6, affine=False)
        self.fc1 = nn.Linear(6 * 2 * 2, 8)
        self.fc2 = nn.Linear(8, 3)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.bn1(self.conv1(x))), 2)
        x = F.max_pool2d(F.relu(self.bn2(self.conv2(x))), 2)
        return self.fc2(F.relu(self.fc1(torch.flatten(x, 1))))


class ModuleNested(nn.Module):
    """nn.Sequentials held by a module: features.0.weight, features.1.running_mean, classifier.2.weight."""

    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(1, 3, 3), nn.BatchNorm2d(3), nn.ReLU(), nn.MaxPool2d(2))
        self.classifier = nn.Sequential(nn.Flatten(), nn.Dropout(0.25), nn.Linear(3 * 3 * 3, 4))

    def forward(self, x):
        return self.classifier(self.features(x))


class ModulePrelu(nn.Module):
    """PReLU as named attributes: one slope per feature (act1.weight of 8) and one for all (act2.weight of 1)."""

    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(5, 8)
        self.act1 = nn.PReLU(8)
        self.fc2 = nn.Linear(8, 6)
        self.act2 = nn.PReLU()
        self.fc3 = nn.Linear(6, 3)

    def forward(self, x):
        return self.fc3(self.act2(self.fc2(self.act1(self.fc1(x)))))


class BasicBlock(nn.Module):
    """torchvision's BasicBlock: conv1, bn1, relu, conv2, bn2, plus the input (or downsample(input)), then relu."""

    def __init__(self, inplanes, planes, stride=1):
        super().__init__()
        self.conv1 = nn.Conv2d(inplanes, planes, 3, stride=stride, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.relu = nn.ReLU(inplace=True)
        self.conv2 = nn.Conv2d(planes, planes, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.downsample = None
        if stride != 1 or inplanes != planes:
            self.downsample = nn.Sequential(nn.Conv2d(inplanes, planes, 1, stride=stride, bias=False), nn.BatchNorm2d(planes))

    def forward(self, x):
        identity = x if self.downsample is None else self.downsample(x)
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return self.relu(out + identity)


class TinyResNet(nn.Module):
    """A CIFAR-style ResNet in miniature, named as torchvision's: conv1, bn1, layer1.0 (identity), layer2.0 (downsample), fc."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(2, 4, 3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(4)
        self.relu = nn.ReLU(inplace=True)
        self.layer1 = nn.Sequential(BasicBlock(4, 4))
        self.layer2 = nn.Sequential(BasicBlock(4, 6, stride=2))
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(6, 3)

    def forward(self, x):
        x = self.layer2(self.layer1(self.relu(self.bn1(self.conv1(x)))))
        return self.fc(torch.flatten(self.avgpool(x), 1))


class ModuleLayerNorm(nn.Module):
    """LayerNorm as a named attribute (ln1.weight and ln1.bias of 8) between two Linear layers."""

    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(5, 8)
        self.ln1 = nn.LayerNorm(8)
        self.fc2 = nn.Linear(8, 3)

    def forward(self, x):
        return self.fc2(torch.tanh(self.ln1(self.fc1(x))))


def mlp_sequential():
    return nn.Sequential(nn.Linear(5, 8), nn.Tanh(), nn.Linear(8, 6), nn.ReLU(), nn.Linear(6, 3))


def cnn_sequential():
    return nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.BatchNorm2d(4), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Conv2d(4, 6, 3), nn.BatchNorm2d(6), nn.ReLU(), nn.Flatten(), nn.Linear(6 * 2 * 2, 5))


def sequential_nested():
    return nn.Sequential(nn.Sequential(nn.Linear(3, 4), nn.ReLU()),
                         nn.Sequential(nn.Linear(4, 5), nn.BatchNorm1d(5, affine=False)), nn.Linear(5, 2))


def no_bias():
    return nn.Sequential(nn.Conv2d(1, 4, 3, bias=False), nn.BatchNorm2d(4), nn.ReLU(), nn.Flatten(), nn.Linear(4 * 4 * 4, 3, bias=False))


def layer_norm_cnn():
    return nn.Sequential(nn.Conv2d(1, 3, 3), nn.LayerNorm([3, 6, 6]), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(3 * 3 * 3, 4),
                         nn.LayerNorm(4, elementwise_affine=False))


def depthwise_separable():
    """MobileNet's block: a depthwise 3×3 (groups = channels) and a pointwise 1×1, each before a BatchNorm; then a
    convolution in two groups."""
    return nn.Sequential(nn.Conv2d(2, 4, 3, padding=1), nn.BatchNorm2d(4), nn.ReLU(),
                         nn.Conv2d(4, 4, 3, padding=1, groups=4, bias=False), nn.BatchNorm2d(4), nn.ReLU(),
                         nn.Conv2d(4, 8, 1, bias=False), nn.BatchNorm2d(8), nn.ReLU(),
                         nn.Conv2d(8, 8, 3, stride=2, groups=2), nn.ReLU(), nn.Flatten(), nn.Linear(8 * 3 * 3, 3))


def prelu_cnn():
    return nn.Sequential(nn.Conv2d(1, 3, 3), nn.PReLU(3), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(3 * 3 * 3, 4), nn.PReLU())


# (name, builder, seed, dtype, input shape, input offset); the training passes take offset + 100, + 200, + 300. The
# float16 and bfloat16 files hold ModuleMlp converted after recording (model.half(), model.bfloat16()), as a user
# shrinks a trained model.
MODELS = [
    ("mlp_sequential_f64", mlp_sequential, 11, torch.float64, [4, 5], 3000),
    ("mlp_sequential_f32", mlp_sequential, 11, torch.float32, [4, 5], 3050),
    ("cnn_sequential_f32", cnn_sequential, 12, torch.float32, [3, 1, 8, 8], 3100),
    ("cnn_sequential_f64", cnn_sequential, 12, torch.float64, [3, 1, 8, 8], 3150),
    ("module_mlp_f32", ModuleMlp, 13, torch.float32, [5, 6], 3300),
    ("module_mlp_f16", ModuleMlp, 13, torch.float16, [5, 6], 3330),
    ("module_mlp_bf16", ModuleMlp, 13, torch.bfloat16, [5, 6], 3360),
    ("module_cnn_f64", ModuleCnn, 14, torch.float64, [3, 2, 10, 10], 3400),
    ("module_nested_f32", ModuleNested, 15, torch.float32, [2, 1, 8, 8], 4100),
    ("sequential_nested_f64", sequential_nested, 16, torch.float64, [4, 3], 4300),
    ("no_bias_f64", no_bias, 17, torch.float64, [2, 1, 6, 6], 4400),
    ("module_prelu_f64", ModulePrelu, 18, torch.float64, [4, 5], 4500),
    ("prelu_cnn_f32", prelu_cnn, 19, torch.float32, [2, 1, 8, 8], 4600),
    ("tiny_resnet_f64", TinyResNet, 20, torch.float64, [3, 2, 8, 8], 4700),
    ("tiny_resnet_f32", TinyResNet, 20, torch.float32, [3, 2, 8, 8], 4750),
    ("module_layer_norm_f64", ModuleLayerNorm, 21, torch.float64, [4, 5], 4800),
    ("layer_norm_cnn_f32", layer_norm_cnn, 22, torch.float32, [2, 1, 8, 8], 4900),
    ("depthwise_separable_f64", depthwise_separable, 23, torch.float64, [3, 2, 8, 8], 5000),
    ("depthwise_separable_f32", depthwise_separable, 23, torch.float32, [3, 2, 8, 8], 5050),
]

# The models that PyTorchWeightsTests loads and saves again with SafetensorsFile.Save, for --check-ours: every model it
# can hold in its own dtype (not float16 or bfloat16, which NeuralNets keeps as float). The one without biases loads into
# layers built with bias: false, which save no bias either.
SAVED_BY_NEURALNETS = [name for name, _, _, dtype, _, _ in MODELS if dtype in (torch.float32, torch.float64)]

# Files that differ from a recorded model's state_dict, for load_state_dict(strict=False): (name, model, the names taken
# out, the tensors put in). torch reports what it could not fill (missing_keys) and what it had no place for
# (unexpected_keys), and leaves the model's own values where the file gave none. Taken out: a running statistic beside
# the other one, a num_batches_tracked (which torch 1.13 fills with 0 itself for a dict without version metadata, so
# never reports), a bias beside its weight and a weight beside its bias. Put in: a tensor under a module that holds none
# (a ReLU's), under an index or a name no module has, and an int64 buffer of a BatchNorm (as a mask or position_ids).
PARTIAL = [
    ("cnn_sequential_f64_partial", "cnn_sequential_f64", ["1.running_var", "1.num_batches_tracked", "4.bias", "8.weight"],
     {"2.weight": torch.ones(3, dtype=torch.float64), "9.weight": torch.zeros(2, 2, dtype=torch.float64),
      "5.position_ids": torch.arange(6, dtype=torch.int64)}),
    ("module_mlp_f32_partial", "module_mlp_f32", ["fc1.weight", "bn1.running_mean", "fc2.bias"],
     {"fc3.weight": torch.ones(2, 4, dtype=torch.float32), "fc3.bias": torch.zeros(2, dtype=torch.float32),
      "bn1.mask": torch.tensor([1, 0, 1], dtype=torch.int64)}),
]


def wave_tensor(shape, offset, dtype):
    return torch.tensor(wave(math.prod(shape), offset, 1.0)).reshape(shape).to(dtype)


def build(builder, seed, dtype, input_shape, offset):
    """The model as recorded: PyTorch's initialisation, BatchNorm's γ and β drawn, three training passes, eval mode."""
    torch.manual_seed(seed)
    working_type = torch.float64 if dtype in (torch.float16, torch.bfloat16) else dtype
    model = builder().to(working_type)
    with torch.no_grad():
        for module in model.modules():
            if isinstance(module, nn.modules.batchnorm._BatchNorm) and module.affine:
                nn.init.uniform_(module.weight, 0.5, 1.5)
                nn.init.uniform_(module.bias, -0.5, 0.5)
            # PReLU's slopes start all at 0.25: drawn apart, each its own, some negative.
            if isinstance(module, nn.PReLU):
                nn.init.uniform_(module.weight, -0.3, 0.6)
            if isinstance(module, nn.LayerNorm) and module.elementwise_affine:
                nn.init.uniform_(module.weight, 0.5, 1.5)
                nn.init.uniform_(module.bias, -0.5, 0.5)
        model.train()
        for step in range(3):
            model(wave_tensor(input_shape, offset + 100 * (step + 1), working_type) * (1.5 + step))
    model.eval()
    return model.to(dtype)


def fresh(builder, dtype):
    """The same architecture with other weights, as a model before load_state_dict."""
    torch.manual_seed(99)
    return builder().to(dtype).eval()


def outputs(model, dtype, input_shape, offset):
    """The input (in the model's dtype; float64 for float16 and bfloat16 weights), the output in that dtype (None for
    float16 and bfloat16, which torch 1.13's CPU kernels lack) and the output in float64 from the same weights."""
    computes = dtype in (torch.float32, torch.float64)
    x = wave_tensor(input_shape, offset, dtype if computes else torch.float64)
    with torch.no_grad():
        own = model(x).reshape(-1).tolist() if computes else None
        exact = fresh_copy_in_float64(model)(x.double()).reshape(-1).tolist()
    return x.double().reshape(-1).tolist(), own, exact


def fresh_copy_in_float64(model):
    return copy.deepcopy(model).double().eval()


def case(name, dtype, input_shape, x, own, exact):
    indent = "            "
    shape = ", ".join(str(d) for d in input_shape)
    own_text = "null" if own is None else array(own, indent)
    return (f"        new(\"{name}\", \"{NAME_OF_DTYPE[dtype]}\", [{shape}],\n        "
            + f",\n        ".join([array(x, indent), own_text, array(exact, indent)]) + "),")


def partial(name, source, removed, added):
    """The partial file's bytes and its C# case: the names taken out, torch's missing_keys and unexpected_keys, in torch's order."""
    builder, seed, dtype, input_shape, offset = next(m[1:] for m in MODELS if m[0] == source)
    tensors = build(builder, seed, dtype, input_shape, offset).state_dict()
    for key in removed:
        del tensors[key]
    tensors.update(added)
    missing, unexpected = fresh(builder, dtype).load_state_dict(dict(tensors), strict=False)
    names = lambda keys: "[" + ", ".join(f"\"{key}\"" for key in keys) + "]"
    return (write_safetensors(tensors, {"format": "pt"}),
            f"        new(\"{name}\", \"{source}\", {names(removed)}, {names(missing)}, {names(unexpected)}),")


def record(folder, cs_path):
    os.makedirs(folder, exist_ok=True)
    cases = []
    for name, builder, seed, dtype, input_shape, offset in MODELS:
        model = build(builder, seed, dtype, input_shape, offset)
        with open(os.path.join(folder, name + ".safetensors"), "wb") as output:
            output.write(write_safetensors(model.state_dict(), {"format": "pt"}))
        cases.append(case(name, dtype, input_shape, *outputs(model, dtype, input_shape, offset)))
    partial_cases = []
    for name, source, removed, added in PARTIAL:
        content, line = partial(name, source, removed, added)
        with open(os.path.join(folder, name + ".safetensors"), "wb") as output:
            output.write(content)
        partial_cases.append(line)
    header = (
        "// <auto-generated>\n"
        "// Inputs and eval-mode outputs of the torch.nn models whose state_dict()s are in PyTorchWeights/*.safetensors,\n"
        "// recorded from PyTorch 1.13 by\n"
        "//   /usr/bin/python3 tests/PyTorchReference/state_dicts.py tests/NeuralNets.Tests/Interop/PyTorchWeights tests/NeuralNets.Tests/Interop/PyTorchWeightValues.cs\n"
        "// Do not edit by hand: regenerate.\n"
        "// </auto-generated>\n"
        "#nullable enable\n"
        "namespace NeuralNets.Tests.Interop;\n\n"
        "/// <summary>\n"
        "/// One recorded model: its file (PyTorchWeights/{Name}.safetensors), the file's element type, the input batch, torch's\n"
        "/// output in that type (null for F16 and BF16, which torch 1.13 does not compute on the CPU) and torch's output in\n"
        "/// float64 from the same weights, each flattened.\n"
        "/// </summary>\n"
        "internal sealed record PyTorchWeightsCase(string Name, string DType, int[] InputShape, double[] Input, double[]? Output, double[] Float64Output);\n\n"
        "/// <summary>\n"
        "/// A file (PyTorchWeights/{Name}.safetensors) that is the recorded model {Source}'s state_dict with the tensors Removed\n"
        "/// taken out and others put in, and what torch's load_state_dict(strict=False) reported loading it: missing_keys and\n"
        "/// unexpected_keys, in torch's order.\n"
        "/// </summary>\n"
        "internal sealed record PyTorchPartialCase(string Name, string Source, string[] Removed, string[] Missing, string[] Unexpected);\n\n"
        "/// <summary>The recorded models, by name.</summary>\n"
        "internal static class PyTorchWeightValues\n{\n"
        "    /// <summary>Every recorded model.</summary>\n"
        "    public static readonly PyTorchWeightsCase[] Cases =\n    [\n"
    )
    partial_header = (
        "\n    ];\n\n"
        "    /// <summary>Every recorded partial file.</summary>\n"
        "    public static readonly PyTorchPartialCase[] PartialCases =\n    [\n"
    )
    with open(cs_path, "w", encoding="utf-8", newline="\n") as output:
        output.write(header + "\n".join(cases) + partial_header + "\n".join(partial_cases) + "\n    ];\n}\n")


def check_ours(folder):
    """Loads NeuralNets' files into torch models (strict) and compares them with the recorded models; 0 when all agree."""
    failures = 0
    by_name = {name: (builder, seed, dtype, shape, offset) for name, builder, seed, dtype, shape, offset in MODELS}
    for name in SAVED_BY_NEURALNETS:
        builder, seed, dtype, input_shape, offset = by_name[name]
        path = os.path.join(folder, name + ".safetensors")
        try:
            with open(path, "rb") as file:
                content = file.read()
            tensors, metadata = read_safetensors(content)
            recorded = build(builder, seed, dtype, input_shape, offset)
            model = fresh(builder, dtype)
            model.load_state_dict(tensors, strict=True)
            expected = recorded.state_dict()
            problems = [key for key, value in model.state_dict().items()
                        if value.dtype != expected[key].dtype or not torch.equal(value, expected[key])]
            x = wave_tensor(input_shape, offset, dtype)
            with torch.no_grad():
                if not torch.equal(model(x), recorded(x)):
                    problems.append("the predictions")
            if content != write_safetensors(tensors, metadata):
                problems.append("the bytes (not as the reference writer lays them out)")
        except Exception as error:  # a file that is missing or unreadable is one more difference
            problems = [f"{type(error).__name__}: {error}"]
        print(("same: " if not problems else "differs: ") + name + ("" if not problems else " in " + ", ".join(problems)))
        failures += bool(problems)
    return 1 if failures else 0


def main(arguments):
    torch.set_default_dtype(torch.float64)
    torch.set_num_threads(1)
    if len(arguments) == 2 and arguments[0] == "--check-ours":
        return check_ours(arguments[1])
    if len(arguments) == 2 and not arguments[0].startswith("-"):
        record(arguments[0], arguments[1])
        return 0
    sys.exit("usage: state_dicts.py FOLDER OUTPUT.cs | state_dicts.py --check-ours FOLDER")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
