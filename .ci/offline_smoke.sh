#!/usr/bin/env bash
# CI check for issue 13: build the offline bundle, install it with no network into a fresh folder whose
# path has Japanese and a space, and smoke-test it; build the PyInstaller one-folder app from the same
# wheels and smoke-test that too (CLI, signed report, verify, tmux first paint, small-console message).
#
#   bash .ci/offline_smoke.sh            # current platform and Python only (what CI runs, ~2 min)
#   SELFCHECK_FULL_BUNDLE=1 bash .ci/offline_smoke.sh   # all six wheel sets (Windows x64 + Linux, 3.11-3.13)
#
# Why only the current platform in CI: the full build downloads ~150 MB of wheels for six targets and took
# 88-199 s here on top of everything else; the current target exercises the same code path end to end
# (resolve with uv, download with pip, checksums, offline install), and the full build also re-resolves
# every target from the bundle alone, so it fails loudly if a Windows wheel is missing. Needs network for
# PyPI (wheels, uv, pyinstaller), tmux, and unshare(1) to prove the install needs no network (skipped
# with a note where unshare is not permitted).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
export PYTHON_KEYRING_BACKEND=${PYTHON_KEYRING_BACKEND:-keyring.backends.fail.Keyring}
export PIP_DISABLE_PIP_VERSION_CHECK=1

t_start=$(date +%s.%N)
secs() { python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.1f}')" "$1" "$(date +%s.%N)"; }
fail() { echo "offline_smoke: FAILED: $*" >&2; exit 1; }
step() { echo "--- offline_smoke: $*"; }

work=$(mktemp -d /tmp/selfcheck-offline-XXXXXX)
tmux_sock="selfcheck-smoke-$$"
pyi_pid=
cleanup() {
  if [ -n "$pyi_pid" ]; then kill -- "-$pyi_pid" 2>/dev/null || true; wait "$pyi_pid" 2>/dev/null || true; fi
  tmux -L "$tmux_sock" kill-server 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

command -v tmux >/dev/null || fail "tmux is required (apt-get install tmux)"
offline=()
if unshare -n true 2>/dev/null; then offline=(unshare -n); else echo "note: unshare -n not permitted; the install runs with --no-index but the network is not cut"; fi

# 1. builder environment: uv resolves per target, pyinstaller builds the one-folder app
step "builder venv"
python3 -m venv "$work/build-venv"
bpy="$work/build-venv/bin/python"
"$bpy" -m pip install -q uv pyinstaller 2>&1 | grep -v "is ignored" || true
"$bpy" -c "import uv, PyInstaller" || fail "cannot install uv and pyinstaller into the builder venv"

# 2. the bundle
step "bundle"
scope=(--platforms current --pythons current)
[ "${SELFCHECK_FULL_BUNDLE:-0}" = "1" ] && scope=()
t0=$(date +%s.%N)
"$bpy" packaging/offline_bundle.py --out "$work/out" "${scope[@]}" || fail "offline_bundle.py"
t_bundle=$(secs "$t0")
zip=$(ls "$work"/out/selfcheck-*-offline.zip)
bundle_mb=$(python3 -c "import os, sys; print(f'{os.path.getsize(sys.argv[1]) / 1e6:.1f}')" "$zip")
# a hostile call gives one line and a non-zero exit, never a traceback
if err=$("$bpy" packaging/offline_bundle.py --out "$work/out" --platforms solaris 2>&1); then fail "bad --platforms accepted"; fi
case "$err" in *Traceback*) fail "traceback from offline_bundle.py: $err" ;; esac

dest="$work/導入 テスト"
mkdir -p "$dest"
python3 -m zipfile -e "$zip" "$dest"
bundle_dir=$(ls -d "$dest"/selfcheck-*-offline)

# 3. the one-folder app, built from the bundle's own wheels (no index), in the background: on 2 cores it
# overlaps the offline install and the bundle's smoke test below
step "pyinstaller one-folder build (background)"
ver=$("$bpy" -c "import json, sys; print(json.load(open(sys.argv[1], encoding='utf-8'))['version'])" "$bundle_dir/bundle.json")
cons=$(ls "$bundle_dir"/constraints/*.txt | head -1)
build_app() {
  local t0
  t0=$(date +%s.%N)
  "$bpy" -m pip install -q --no-index --find-links "$bundle_dir/wheels" -c "$cons" "selfcheck==$ver" || return 1
  # run from $work: `python -m` puts the current folder first on sys.path, and from the checkout the spec
  # would find the source tree instead of the selfcheck just installed from the bundle
  (cd "$work" && "$bpy" -m PyInstaller --noconfirm --log-level WARN --distpath "$work/dist" \
    --workpath "$work/pyi-build" "$repo/packaging/selfcheck.spec") || return 1
  secs "$t0" > "$work/pyinstaller.seconds"
}
set -m  # its own process group, so a failure below can stop the whole build (see cleanup)
build_app > "$work/pyinstaller.log" 2>&1 &
pyi_pid=$!
set +m

# 4. install the bundle offline into a folder with Japanese and a space in its path
step "offline install"
t0=$(date +%s.%N)
"${offline[@]}" sh "$bundle_dir/install.sh" || fail "install.sh"
t_install=$(secs "$t0")
app_cli=("${offline[@]}" sh "$bundle_dir/selfcheck.sh")
# policies as PDF and Word (made with the test suite's own helpers), read by the policy import's native
# readers (pypdfium2, python-docx, lxml): the parts most likely to miss a file in a frozen build
"$bundle_dir/venv/bin/python" - "$repo" "$work/policies" <<'EOF'
import importlib.util
import sys
from pathlib import Path

repo, out = Path(sys.argv[1]), Path(sys.argv[2])
out.mkdir()
spec = importlib.util.spec_from_file_location("formats", repo / "tests/policy_import/formats.py")
formats = importlib.util.module_from_spec(spec)
spec.loader.exec_module(formats)
text = (repo / "tests/data/policies/article-style.txt").read_text(encoding="utf-8")
(out / "基本方針 写し.pdf").write_bytes(formats.to_pdf(text))
(out / "基本方針 写し.docx").write_bytes(formats.to_docx(text))
EOF
cp "$repo/tests/data/policies/web-definitions.html" "$work/policies/例規 ページ.html"

smoke() {  # smoke NAME HOME COMMAND... : version, demo, keys, signed report, verify, encodings
  local name=$1 home=$2; shift 2
  local pp="$work/pass-$name.txt" pdf="$work/報告書 $name.pdf"
  "$@" --version | grep -q "selfcheck" || fail "$name: --version"
  local id
  id=$("$@" demo --data-dir "$home" --json | python3 -c 'import json, sys; print(json.load(sys.stdin)["inspection_id"])')
  [[ "$id" =~ ^[0-9]+$ ]] || fail "$name: demo --json gave no inspection id ('$id')"
  printf 'smoke-passphrase-%s\n' "$$" > "$pp"
  "$@" keys init --data-dir "$home" --name "試験 太郎" --passphrase-file "$pp" >/dev/null || fail "$name: keys init"
  "$@" report make "$id" -o "$pdf" --sign --passphrase-file "$pp" --data-dir "$home" >/dev/null || fail "$name: report make --sign"
  "$@" verify "$pdf" --data-dir "$home" | grep -q "有効 / VALID" || fail "$name: verify"
  if command -v pdfsig >/dev/null; then
    pdfsig "$pdf" | grep -q "Total document signed" || fail "$name: pdfsig"
  fi
  # the PostgreSQL driver is in the app: a server that is down gets the one-line message and exit 2
  local rc=0 msg
  msg=$("$@" --db "postgresql+psycopg://smoke@127.0.0.1:1/selfcheck" inspection list --data-dir "$home" 2>&1) || rc=$?
  [ "$rc" = 2 ] && [[ "$msg" == *接続できません* ]] || fail "$name: --db with the server down (rc=$rc): $msg"
  local doc
  for doc in "$work/policies"/*; do
    "$@" policy import "$doc" --dry-run --data-dir "$home" | grep -q "読み取り元" || fail "$name: policy import $doc"
  done
  # the Windows console cases, checked here: cp932 and an ASCII C locale end without a traceback
  # (the frozen app runs Python in isolated mode: it ignores PYTHONIOENCODING and stays UTF-8, also fine)
  local out
  out=$(PYTHONIOENCODING=cp932 "$@" checklist show abira-cho --data-dir "$home" 2>&1 | python3 -c '
import sys
data = sys.stdin.buffer.read()
for enc in ("utf-8", "cp932"):  # strict UTF-8 fails on cp932 Japanese bytes, not the reverse
    try:
        sys.stdout.write(data.decode(enc))
        break
    except UnicodeDecodeError:
        continue
') || fail "$name: cp932 checklist show"
  case "$out" in *安平町*) ;; *) fail "$name: cp932 output lost the Japanese text" ;; esac
  case "$out" in *Traceback*|*予期しないエラー*) fail "$name: cp932 checklist show: $out" ;; esac
  out=$(LANG=C LC_ALL=C PYTHONUTF8=0 PYTHONCOERCECLOCALE=0 "$@" --help 2>&1) || fail "$name: C-locale --help"
  case "$out" in *Traceback*|*UnicodeEncodeError*) fail "$name: C-locale --help: $out" ;; esac
}
step "smoke: installed bundle"
smoke bundle "$work/home-bundle" "${app_cli[@]}"

step "waiting for the one-folder build"
wait "$pyi_pid" || { pyi_pid=; grep -v "is ignored" "$work/pyinstaller.log" | tail -20; fail "pyinstaller"; }
pyi_pid=
grep -q "site-packages/selfcheck/cli/__init__.py" "$work/pyi-build/selfcheck/Analysis-00.toc" \
  || fail "pyinstaller took selfcheck from somewhere else than the wheel installed from the bundle"
t_pyi=$(cat "$work/pyinstaller.seconds")
app="$work/dist/selfcheck/selfcheck"
[ -x "$app" ] || fail "dist/selfcheck/selfcheck missing"
app_mb=$(du -sm "$work/dist/selfcheck" | cut -f1)
step "smoke: one-folder app"
home_app="$work/home-app"
smoke app "$home_app" "$app"

# 5. tmux: the home screen paints (body and name chosen first), and a 70x20 console gets the message
step "tmux first paint"
"$bundle_dir/venv/bin/python" - "$home_app" <<'EOF'
import sys
from selfcheck import orgs, settings
from selfcheck.workspace import open_workspace
ws = open_workspace(sys.argv[1], actor="試験 太郎")
orgs.choose_org(ws, "shunan-eisei")
settings.set_(ws, "actor", "試験 太郎")
ws.close()
EOF
wait_for() {  # wait_for SESSION TEXT SECONDS
  local i=0 limit=$(( $3 * 20 ))
  while [ $i -lt $limit ]; do
    tmux -L "$tmux_sock" capture-pane -p -t "$1" 2>/dev/null | grep -qF "$2" && return 0
    sleep 0.05; i=$((i + 1))
  done
  tmux -L "$tmux_sock" capture-pane -p -t "$1" 2>/dev/null | head -30 >&2 || true
  return 1
}
t0=$(date +%s.%N)
tmux -L "$tmux_sock" new-session -d -s paint -x 100 -y 30 "env SELFCHECK_HOME='$home_app' '$app'"
wait_for paint "として記録します" 30 || fail "home screen did not appear in tmux"
t_paint=$(secs "$t0")
tmux -L "$tmux_sock" capture-pane -p -t paint | grep -qF "Traceback" && fail "traceback on the home screen"
tmux -L "$tmux_sock" send-keys -t paint C-q
tmux -L "$tmux_sock" new-session -d -s small -x 70 -y 20 "env SELFCHECK_HOME='$home_app' '$app'"
wait_for small "画面が小さすぎます" 30 || fail "70x20: no small-console message"
tmux -L "$tmux_sock" send-keys -t small C-q

t_total=$(secs "$t_start")
echo "offline_smoke: OK  bundle ${bundle_mb} MB built in ${t_bundle} s (${scope[*]:-all targets}); offline install ${t_install} s (alongside the app build);" \
  "one-folder app ${app_mb} MB built in ${t_pyi} s; home screen in tmux ${t_paint} s; total ${t_total} s"
