#!/bin/sh
# Runs the vitest suite; gpu.js needs an X server for headless-gl, so without DISPLAY the run
# goes through xvfb-run. With PROJ_GPUJS_REQUIRE_GL=1 (CI) a CPU fallback fails the suite.
set -e
cd "$(dirname "$0")/.."
if [ -z "$DISPLAY" ] && command -v xvfb-run >/dev/null 2>&1; then
  exec xvfb-run -a vitest run "$@"
fi
exec vitest run "$@"
