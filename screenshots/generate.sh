#!/usr/bin/env bash
# Regenerates the PNG screenshots in this folder from the real binary in a real terminal:
# tmux runs linkj at a fixed size, `capture-pane -e` keeps the colours, ansi2html.py lays
# the cells out on an exact grid, and headless Chromium takes the picture.
# Usage: screenshots/generate.sh   (installs tmux, Chromium and fonts with apt if missing)
#        LINKJ_BIN=target/debug/linkj screenshots/generate.sh   (a binary already built:
#        no release build; the screens are the same)
set -euo pipefail
cd "$(dirname "$0")/.."
here=screenshots

need=()
command -v tmux >/dev/null || need+=(tmux)
command -v chromium >/dev/null || need+=(chromium)
command -v python3 >/dev/null || need+=(python3)
fc-list 2>/dev/null | grep -qi "Noto Sans Mono CJK" || need+=(fonts-noto-cjk)
fc-list 2>/dev/null | grep -qi "DejaVu Sans Mono" || need+=(fonts-dejavu-core)
if ((${#need[@]})); then
    echo "installing: ${need[*]}"
    apt-get update -qq && apt-get install -y -qq "${need[@]}" >/dev/null
fi

if [[ -n "${LINKJ_BIN:-}" ]]; then
    bin=$(realpath "$LINKJ_BIN")
else
    cargo build --release --quiet
    bin="$PWD/target/release/linkj"
fi
tmp=$(mktemp -d)
sock="linkj-shots-$$"
trap 'tmux -L "$sock" kill-server 2>/dev/null || true; rm -rf "$tmp"' EXIT

# shot NAME COLS ROWS KEYS...: start linkj, type KEYS (tmux key names), capture, render.
shot() {
    local name=$1 cols=$2 rows=$3
    shift 3
    tmux -L "$sock" kill-server 2>/dev/null || true
    sleep 0.3
    tmux -L "$sock" -f /dev/null new-session -d -s s -x "$cols" -y "$rows" \
        "env TERM=xterm-256color LANG=C.UTF-8 LINKJ_CONFIG=/dev/null ${run:-$bin}; sleep 60"
    tmux -L "$sock" set-option -g status off
    sleep 0.8
    for k in "$@"; do
        tmux -L "$sock" send-keys -t s "$k"
        sleep 0.15
    done
    sleep 0.5
    tmux -L "$sock" capture-pane -e -p -t s > "$tmp/$name.ans"
    python3 "$here/ansi2html.py" "$cols" "$rows" "linkj $name" < "$tmp/$name.ans" > "$tmp/$name.html"
    local w=$((cols * 9 + 24)) h=$((rows * 19 + 24))
    chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --hide-scrollbars --force-device-scale-factor=1 --user-data-dir="$tmp/chrome" \
        --window-size="$w,$h" --screenshot="$PWD/$here/$name.png" "file://$tmp/$name.html" \
        >/dev/null 2>&1
    echo "$here/$name.png"
}

# linkj starts in the search bar: keys type the query, Escape (on the empty query) gives
# the single-letter keys of the timeline.
shot start 120 40
shot search 120 40 o s a k a
shot region-filter 120 40 Escape r r r
shot help 120 40 F1
shot japanese 120 40 Escape L / 横 浜
shot narrow 80 30 Escape j j j Tab
shot stats 120 40 Escape s j j j j j j j j
shot map 120 40 Escape j j j j j j j j j m
shot present 120 40 Escape j j j j j j j j j p
shot palette 120 40 Escape : s t a t
shot marks 120 40 Escape j j j Space j j j Space j j j j Space

# A visitor of `linkj serve`, through the OpenSSH client, in Japanese.
serve_dir="$tmp/serve"
mkdir -p "$serve_dir"
"$bin" serve --listen 127.0.0.1:0 --host-key "$serve_dir/key" > "$serve_dir/ready" 2>/dev/null &
serve_pid=$!
for _ in $(seq 50); do grep -q listening "$serve_dir/ready" 2>/dev/null && break; sleep 0.1; done
port=$(sed -n 's/.*127\.0\.0\.1:\([0-9]*\),.*/\1/p' "$serve_dir/ready")
run="ssh -F /dev/null -tt -p $port -o UserKnownHostsFile=$serve_dir/known_hosts -o StrictHostKeyChecking=accept-new -o LogLevel=ERROR -o IdentityAgent=none -o PubkeyAuthentication=no -o SetEnv=LANG=ja_JP.UTF-8 127.0.0.1"
shot serve 100 30 神 戸
unset run
kill "$serve_pid"
