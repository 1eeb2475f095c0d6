#!/usr/bin/env bash
# SpikeFlux's offline simulation against the dense PyTorch simulation, side by side: the
# benchmark of the engine-core issue (T = 64, ANN-norm max thresholds from 256 training images,
# Poisson inputs, 2 threads each). Each model's PyTorch run comes right before its SpikeFlux run,
# because this kind of machine changes speed by a third within minutes: only ratios measured
# together mean something. Prints a Markdown table.
#
#   benchmarks/side-by-side.sh [--limit N] [--pytorch-images N] [--rounds N] [MODEL ...]
#
# MODEL is lenet, vgg or resnet (all three by default). Needs Debian's python3-torch and
# python3-onnx (for /usr/bin/python3) and the Fashion-MNIST test set.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
limit=2000
pytorch_images=1000
rounds=1
models=()
usage() { sed -n '8,11p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
while [[ $# -gt 0 ]]; do
  case "$1" in
    --limit) limit="${2:?}"; shift 2 ;;
    --pytorch-images) pytorch_images="${2:?}"; shift 2 ;;
    --rounds) rounds="${2:?}"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    lenet|vgg|resnet) models+=("$1"); shift ;;
    *) echo "side-by-side: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
  esac
done
[[ ${#models[@]} -gt 0 ]] || models=(lenet vgg resnet)
python=/usr/bin/python3
if ! "$python" -c 'import torch, onnx' 2>/dev/null; then
  echo "side-by-side: $python cannot import torch and onnx; install Debian's python3-torch and python3-onnx" >&2
  exit 1
fi
work="$here/benchmarks/target/side-by-side"
mkdir -p "$work"
for m in "${models[@]}"; do
  snn="$work/$m-max.snn"
  if [[ ! -f "$snn" ]]; then
    echo "side-by-side: calibrating $m (ann-max, 256 training images) into $snn" >&2
    "$here/spikeflux" calibrate --model "$here/models/fmnist_$m.onnx" --method ann-max \
        --calibration-samples 256 --out "$snn" >&2
  fi
done
echo "| model | round | SpikeFlux wall / simulation alone | dense PyTorch | ratio (wall / simulation) |"
echo "|---|---|---|---|---|"
for ((r = 1; r <= rounds; r++)); do
  for m in "${models[@]}"; do
    echo "side-by-side: round $r, $m: PyTorch on $pytorch_images images, then SpikeFlux on $limit" >&2
    # a failed run leaves its rate empty (|| true: set -e would end the script without a word)
    torch_rate=$("$python" "$here/benchmarks/python/dense_snn_reference.py" "$here/models/fmnist_$m.onnx" \
        --images "$pytorch_images" --steps 64 --threads 2 2>"$work/$m-pytorch.log" \
        | sed -n 's/.* = \([0-9,]*\) image-steps\/s.*/\1/p' | tr -d ,) || true
    # "wall 3.2 s, 39931 image-steps/s; the simulation alone 3.0 s, 43369 image-steps/s"
    wall='' sim=''
    read -r wall sim < <("$here/spikeflux" evaluate --model "$work/$m-max.snn" --timesteps 64 \
        --limit "$limit" --threads 2 2>"$work/$m-evaluate.log" | awk '/^wall / {print $4, $11}') || true
    if [[ -z "$torch_rate" || -z "$wall" ]]; then
      echo "side-by-side: a run of $m printed no rate; see $work/$m-pytorch.log and $m-evaluate.log" >&2
      exit 1
    fi
    awk -v m="fmnist_$m" -v r="$r" -v w="$wall" -v s="$sim" -v t="$torch_rate" 'BEGIN {
      printf "| %s | %d | %d / %d | %d | %.1fx / %.1fx |\n", m, r, w, s, t, w / t, s / t }'
  done
done
