#!/usr/bin/env bash
# Makes the README's pictures from real runs: a conversion report of the bundled LeNet (three
# methods, 1,000 test images), a picture of the bundled DVXplorer recording, and the live web view
# while four cameras replay the bundled N-MNIST recordings into the engine (the browser test's
# screenshot). Needs Debian's chromium and chromium-driver (./run-tests installs them).
set -euo pipefail
cd "$(dirname "$0")/.."
out=docs/img
mkdir -p "$out"
chrome_flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking
              --disable-component-update --disable-sync --hide-scrollbars)

./spikeflux compare --model models/fmnist_lenet.onnx --methods ann-max,ann-p99.9,spike-norm \
    --calibration-samples 64 --calibration-steps 256 --limit 1000 --timesteps 64 --report "$out/lenet-report.html"
profile=$(mktemp -d)
chromium "${chrome_flags[@]}" --user-data-dir="$profile" --window-size=1280,1500 \
    --screenshot="$out/report.png" "file://$PWD/$out/lenet-report.html" 2>/dev/null
rm -rf "$profile" "$out/lenet-report.html"

./spikeflux info io-aer/src/test/resources/events/dvxplorer_lite_sample.aedat4 --png "$out/recording.png" \
    --from-ms 200 --window-ms 20

mvn -B -ntp -q -pl view -am install -DskipTests
mvn -B -ntp -q -pl view test -Dtest=LiveViewBrowserTest -Dsurefire.failIfNoSpecifiedTests=false
cp view/target/browser/live-running.png "$out/live.png"
echo "pictures in $out: report.png recording.png live.png"
