#!/usr/bin/env bash
# Measures how long a local EVM node takes from launch to its first JSON-RPC answer
# (anvil from its npm platform package vs Hardhat's node), 3 runs each, on 127.0.0.1.
# Usage (from contracts/): bash scripts/node-startup.sh [port]
set -euo pipefail
cd "$(dirname "$0")/.."
port="${1:-18777}"
anvil=node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil
ready() {
  curl -s -o /dev/null -X POST -H 'content-type: application/json' \
    --data '{"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":[]}' "127.0.0.1:$port"
}
measure() { # name, command...
  local name="$1"; shift
  for i in 1 2 3; do
    local start end pid
    start=$(date +%s.%N)
    "$@" >/dev/null 2>&1 &
    pid=$!
    until ready; do sleep 0.01; done
    end=$(date +%s.%N)
    printf '%s run %d: %.2f s\n' "$name" "$i" "$(echo "$end - $start" | bc)"
    kill "$pid"; wait "$pid" 2>/dev/null || true
  done
}
measure anvil "$anvil" --host 127.0.0.1 --port "$port" --silent
measure "hardhat node" node node_modules/hardhat/internal/cli/cli.js node --hostname 127.0.0.1 --port "$port"
