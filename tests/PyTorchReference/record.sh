#!/usr/bin/env bash
# Reruns the recorders of PyTorch's reference values (the *.py beside this file) with Debian's PyTorch, writing the
# committed files the tests read. With --check it writes into a scratch folder instead and compares byte for byte, one
# line per recorder ("same: NAME" or "differs: NAME"), exiting 1 when any differs: the values the tests hold are the
# ones PyTorch gives today, not edited by hand.
# Needs /usr/bin/python3 with torch: apt-get install -y --no-install-recommends python3-torch (PyTorch 1.13, CPU).
set -uo pipefail
cd "$(dirname "$0")/../.."
export PYTHONDONTWRITEBYTECODE=1  # no __pycache__ beside the recorders
check=false
[ "${1:-}" = --check ] && check=true

# Each recorder and the outputs it takes as arguments, in its order (a folder or a file).
recorders=(
  "optimizers.py tests/NeuralNets.Tests/Golden/PyTorchOptimizerValues.cs"
  "schedules.py tests/NeuralNets.Tests/Schedules/PyTorchScheduleValues.cs"
  "losses.py tests/NeuralNets.Tests/Losses/PyTorchLossValues.cs"
  "pooling.py tests/NeuralNets.Tests/Layers/PyTorchPoolingValues.cs"
  "activations.py tests/NeuralNets.Tests/Layers/PyTorchActivationValues.cs"
  "layer_norm.py tests/NeuralNets.Tests/Layers/PyTorchLayerNormValues.cs"
  "onnx_models.py tests/NeuralNets.Tests/Interop/PyTorchFiles tests/NeuralNets.Tests/Interop/PyTorchOnnxValues.cs"
  "training_runs.py tests/NeuralNets.Tests/Integration/PyTorchTrainingValues.cs"
  "state_dicts.py tests/NeuralNets.Tests/Interop/PyTorchWeights tests/NeuralNets.Tests/Interop/PyTorchWeightValues.cs"
)

status=0
for recorder in "${recorders[@]}"; do
  read -r script outputs <<<"$recorder"
  read -r -a outputs <<<"$outputs"
  if ! $check; then
    /usr/bin/python3 "tests/PyTorchReference/$script" "${outputs[@]}" >/dev/null || { echo "failed: $script"; status=1; }
    continue
  fi
  scratch=$(mktemp -d)
  targets=()
  for output in "${outputs[@]}"; do targets+=("$scratch/$(basename "$output")"); done
  if /usr/bin/python3 "tests/PyTorchReference/$script" "${targets[@]}" >/dev/null; then
    same=true
    for i in "${!outputs[@]}"; do diff -r -q "${outputs[$i]}" "${targets[$i]}" || same=false; done
    if $same; then echo "same: $script"; else echo "differs: $script"; status=1; fi
  else
    echo "differs: $script (it failed)"; status=1
  fi
  rm -rf "$scratch"
done
exit $status
