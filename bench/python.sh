#!/bin/sh
# bench/python.py under vmwcall-emu with guestinfo.k0..k9 preset.
set -eu
O=${O:?O is the build directory}
set --
for i in 0 1 2 3 4 5 6 7 8 9; do set -- "$@" --set "guestinfo.k$i=v$i"; done
cd "$(dirname "$0")/.."
VMWCALL_LIB=$O/libvmwcall.so.0 PYTHONPATH=python PYTHONDONTWRITEBYTECODE=1 \
	exec "$O/vmwcall-emu" "$@" -- "${PYTHON:-python3}" bench/python.py
