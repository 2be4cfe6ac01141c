#!/bin/sh
# Starts selfcheck from the virtual environment that install.sh made next to this file.
here=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd) || exit 2
if [ ! -x "$here/venv/bin/selfcheck" ]; then
  echo "先に sh install.sh を実行してください / run sh install.sh first" >&2
  exit 2
fi
exec "$here/venv/bin/selfcheck" "$@"
