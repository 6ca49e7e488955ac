#!/usr/bin/env bash
# Runs the end-to-end tests against the real app: a virtual display (Xvfb), tauri-driver (which
# launches WebKitWebDriver and, per WebDriver session, the app), then `node --test`.
#
#   bash tests/e2e/run.sh                     # every *.test.mjs
#   bash tests/e2e/run.sh tests/e2e/journey.test.mjs
#   bash tests/e2e/run.sh -- node tests/e2e/screenshots.mjs   # any command, in the same environment
#
# Needs: Xvfb, WebKitWebDriver, xdotool and GTK for Python (Debian: xvfb xauth webkit2gtk-driver
# xdotool python3-gi gir1.2-gtk-3.0 imagemagick poppler-utils), tauri-driver
# (cargo install tauri-driver --version '^2' --locked), node >= 20, and the built app
# (target/debug/evidence-tracker, or $EVIDENCE_APP). A missing display or driver is a failure, never a
# skip. The exit status is the tests'.
#
# Environment: DISPLAY_NUM (default 99), WEBDRIVER_PORT (default 4444; WebKitWebDriver gets the next), EVIDENCE_APP, EVIDENCE_CLI
# (the `evidence` command, for the perf test's data), E2E_KEEP=1 (keep the test portfolios).
# Logs: target/e2e-logs/; a failing step leaves a screenshot and the page's HTML in target/e2e-artifacts/.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
cd "$repo"

die() { echo "e2e: $*" >&2; exit 1; }

export PATH="$PATH:$HOME/.cargo/bin"
for tool in Xvfb WebKitWebDriver tauri-driver node xdotool import pdftotext; do
  command -v "$tool" >/dev/null 2>&1 || die "$tool is missing (see tests/e2e/README.md); refusing to skip"
done
/usr/bin/python3 -c 'import gi; gi.require_version("Gtk", "3.0"); from gi.repository import Gtk' 2>/dev/null ||
  die "GTK for Python (python3-gi, gir1.2-gtk-3.0) is missing (see tests/e2e/README.md); refusing to skip"


export EVIDENCE_APP="${EVIDENCE_APP:-$repo/target/debug/evidence-tracker}"
[[ -x "$EVIDENCE_APP" ]] || die "the app $EVIDENCE_APP is not built: (cd ui && npm ci && npm run build) && cargo build -p evidence-app"

display_num="${DISPLAY_NUM:-99}"
port="${WEBDRIVER_PORT:-4444}"
logs="$repo/target/e2e-logs"
work="$(mktemp -d "${TMPDIR:-/tmp}/evidence-e2e-run.XXXXXX")"
mkdir -p "$logs"

xvfb_pid=""
driver_pid=""
child_pid=""
cleanup() {
  local status=$?
  if [[ -n "$child_pid" ]] && kill -0 "$child_pid" 2>/dev/null; then
    kill -TERM -- "-$child_pid" 2>/dev/null || kill -TERM "$child_pid" 2>/dev/null || true
    wait "$child_pid" 2>/dev/null || true
  fi
  if [[ -n "$driver_pid" ]] && kill -0 "$driver_pid" 2>/dev/null; then
    # tauri-driver's children (WebKitWebDriver, any app still open) are in its process group.
    kill -TERM -- "-$driver_pid" 2>/dev/null || kill -TERM "$driver_pid" 2>/dev/null || true
    wait "$driver_pid" 2>/dev/null || true
  fi
  if [[ -n "$xvfb_pid" ]] && kill -0 "$xvfb_pid" 2>/dev/null; then
    kill -TERM "$xvfb_pid" 2>/dev/null || true
    wait "$xvfb_pid" 2>/dev/null || true
  fi
  if [[ -n "${E2E_KEEP:-}" ]]; then
    echo "e2e: kept the portfolios in $work" >&2
  else
    rm -rf "$work"
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# A virtual display, unless one is already serving this number.
lock="/tmp/.X$display_num-lock"
if [[ -e "$lock" ]] && kill -0 "$(tr -dc 0-9 <"$lock")" 2>/dev/null; then
  die "display :$display_num is already in use (see $lock); set DISPLAY_NUM to a free one"
fi
Xvfb ":$display_num" -screen 0 1280x800x24 -nolisten tcp >"$logs/xvfb.log" 2>&1 &
xvfb_pid=$!
for _ in $(seq 50); do
  [[ -e "/tmp/.X11-unix/X$display_num" ]] && break
  kill -0 "$xvfb_pid" 2>/dev/null || die "Xvfb exited at start (see $logs/xvfb.log)"
  sleep 0.1
done
[[ -e "/tmp/.X11-unix/X$display_num" ]] || die "Xvfb did not open display :$display_num (see $logs/xvfb.log)"
sleep 0.2
kill -0 "$xvfb_pid" 2>/dev/null || die "Xvfb exited at start (see $logs/xvfb.log)"
export DISPLAY=":$display_num"

# The file the "Attach files…" command picks instead of opening the native dialog (which WebDriver
# cannot drive). tauri-driver launches the app, so the variable must be in tauri-driver's
# environment; the journey test writes a real PNG at this path before it attaches.
export EVIDENCE_E2E_PICK_FILE="$work/meeting-photo.png"
# Likewise the framework file "Choose a file…" on the Frameworks page reads (the frameworks test writes it).
export EVIDENCE_E2E_FRAMEWORK_FILE="$work/framework-file.toml"
# Likewise the folder the report export's save dialog "chooses" (the file keeps its suggested name).
export EVIDENCE_E2E_SAVE_DIR="$work/exports"
mkdir -p "$EVIDENCE_E2E_SAVE_DIR"
# The system's opener (what hands a link to the web browser) is a stand-in that writes down the
# address it was given, one per line, so the links test can see what the app asked to open.
mkdir -p "$work/bin"
export EVIDENCE_E2E_OPENED_LINKS="$work/opened-links.txt"
cat >"$work/bin/xdg-open" <<'OPENER'
#!/bin/sh
printf '%s\n' "$*" >>"$EVIDENCE_E2E_OPENED_LINKS"
OPENER
chmod +x "$work/bin/xdg-open"
export PATH="$work/bin:$PATH"
# The app must not find a user's portfolio by accident: every session passes --data-dir, and
# anything else lands in this run's own directory.
export EVIDENCE_DATA_DIR="$work/default-data"
export XDG_DATA_HOME="$work/xdg-data"
# The tests' portfolios go here too (removed afterwards unless E2E_KEEP is set).
export E2E_TMP="$work"

# tauri-driver in its own process group, so cleanup reaches WebKitWebDriver and the app too.
setsid tauri-driver --port "$port" --native-port "$((port + 1))" >"$logs/tauri-driver.log" 2>&1 &
driver_pid=$!
export WEBDRIVER_URL="http://127.0.0.1:$port"
ready=""
for _ in $(seq 100); do
  kill -0 "$driver_pid" 2>/dev/null || die "tauri-driver exited at start (see $logs/tauri-driver.log)"
  if node -e "fetch(process.argv[1]).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))" "$WEBDRIVER_URL/status"; then
    ready=1
    break
  fi
  sleep 0.1
done
[[ -n "$ready" ]] || die "tauri-driver did not answer on port $port (see $logs/tauri-driver.log)"

echo "e2e: app $EVIDENCE_APP, display $DISPLAY, tauri-driver on $port (logs in $logs)"
# The command runs in the background, in its own process group, and this script waits for it: so a
# signal (Ctrl-C, a CI timeout) reaches the traps at once, and cleanup can stop the whole command.
run() {
  setsid "$@" &
  child_pid=$!
  local code=0
  wait "$child_pid" || code=$?
  child_pid=""
  return "$code"
}
status=0
if [[ "${1:-}" == "--" ]]; then
  # Any other command in the same environment, e.g. `run.sh -- node tests/e2e/screenshots.mjs`.
  shift
  run "$@" || status=$?
else
  if [[ $# -gt 0 ]]; then
    tests=("$@")
  else
    tests=("$here"/*.test.mjs)
  fi
  # One file at a time: tauri-driver runs one app session at a time.
  run node --test --test-concurrency=1 "${tests[@]}" || status=$?
fi
exit "$status"
