#!/bin/sh
# selfcheck offline installer for Linux: finds Python 3.11-3.13 and runs install.py next to this file.
here=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd) || exit 2
for py in python3.13 python3.12 python3.11 python3; do
  if command -v "$py" >/dev/null 2>&1 &&
     "$py" -c 'import sys; sys.exit(0 if (3, 11) <= sys.version_info[:2] <= (3, 13) else 1)' >/dev/null 2>&1; then
    exec "$py" "$here/install.py" "$@"
  fi
done
echo "エラー: Python 3.11〜3.13 が見つかりません（例: sudo apt install python3 python3-venv） / error: Python 3.11 to 3.13 not found" >&2
exit 2
