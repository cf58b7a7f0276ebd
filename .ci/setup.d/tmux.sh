#!/usr/bin/env bash
# tmux for the desk walk (scripts/desk_walk.py, tests/tui/test_desk_walk.py): the real desk in a
# real terminal of a fixed size, typed into with send-keys as a clerk would. Idempotent.
set -euo pipefail
if ! command -v tmux >/dev/null 2>&1; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends tmux >/dev/null
fi
echo "tmux ready: $(tmux -V)"
