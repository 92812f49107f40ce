#!/bin/sh
# /sys/class/dmi/id under vmwcall-emu: VMware's values read by cat, Python and
# stat, the root-only files, --dmi, --uuid, --no-dmi, and paths left alone.
. "$(dirname "$0")/emu_lib.sh"
[ "$(uname -m)" = x86_64 ] || { echo "1..0 # SKIP the seccomp supervisor serves x86-64 guests"; exit 0; }
chmod 755 "$D"

skip() { n=$((n + 1)); echo "ok $n # SKIP $1"; }
NOBODY=
if [ "$(id -u)" != 0 ]; then
	NOBODY=" "
elif command -v setpriv >/dev/null; then
	NOBODY="setpriv --reuid=65534 --regid=65534 --clear-groups --"
fi
PY=/usr/bin/python3
[ -x "$PY" ] || PY=$(command -v python3 || echo)
I=/sys/class/dmi/id
U="--uuid 4230a827-f9a3-cf54-e2a3-101dfdb821d0"

ok "cat sys_vendor" eq "$("$E" -- cat $I/sys_vendor 2>&1)" "VMware, Inc."
ok "the directory the link resolves to" eq "$("$E" -- cat /sys/devices/virtual/dmi/id/product_name \
	/sys/devices/virtual/dmi/id/board_name 2>&1)" "VMware20,1
440BX Desktop Reference Platform"
if [ "$(id -u)" = 0 ]; then
	ok "root reads the serial and UUID derived from --uuid" eq \
		"$("$E" $U -- cat $I/product_serial $I/product_uuid 2>&1)" \
		"VMware-42 30 a8 27 f9 a3 cf 54-e2 a3 10 1d fd b8 21 d0
4230a827-f9a3-cf54-e2a3-101dfdb821d0"
else
	skip "reading product_serial needs root"
fi
if [ -n "$NOBODY" ]; then
	out=$("$E" $U -- $NOBODY cat $I/product_serial $I/sys_vendor 2>&1; echo "rc=$?")
	ok "uid 65534: product_serial EACCES, sys_vendor readable" eq "$out" \
		"cat: $I/product_serial: Permission denied
VMware, Inc.
rc=1"
else
	skip "no way to run unprivileged (setpriv)"
fi
ok "stat (statx): modes and size as sysfs" eq \
	"$("$E" -- stat -c '%a %s %u %F' $I/product_uuid $I/sys_vendor 2>&1)" "400 4096 0 regular file
444 4096 0 regular file"
out=$("$E" -- sh -c "echo x >$I/sys_vendor" 2>&1; echo "rc=$?")
ok "writing is refused (sysfs attributes are read-only)" eq "${out##*: }" "Permission denied
rc=2"
ok "--dmi overrides, adds and removes files" eq "$("$E" --dmi product_name=Other \
	--dmi product_family=Fam --dmi sys_vendor= -- sh -c \
	"cat $I/product_name $I/product_family; test -e $I/sys_vendor || echo gone" 2>&1)" "Other
Fam
gone"
out=$("$E" --dmi bogus=1 -- true 2>&1; echo "rc=$?")
ok "--dmi with an unknown file is a usage error" eq "$out" \
	"vmwcall-emu: --dmi: 'bogus=1' is not KEY=VALUE with KEY a /sys/class/dmi/id file (sys_vendor, product_name, ...)
rc=2"
mine=$(cat $I/sys_vendor 2>&1; echo "rc=$?")
ok "--no-dmi: the machine's own" eq "$("$E" --no-dmi -- cat $I/sys_vendor 2>&1; echo "rc=$?")" "$mine"
ok "other paths untouched" eq "$("$E" -- sh -c "cat /proc/self/comm; cat $I/uevent_x" 2>&1)" \
	"$(sh -c "cat /proc/self/comm; cat $I/uevent_x" 2>&1)"

if [ -n "$PY" ]; then
	cat >"$D/dmi.py" <<'PYEOF'
import os, sys
I = "/sys/class/dmi/id/"
print(os.path.exists(I + "product_name"), os.path.isfile(I + "sys_vendor"),
      oct(os.stat(I + "product_serial").st_mode), oct(os.lstat(I + "chassis_type").st_mode))
a, b = open(I + "product_name", "rb"), open(I + "product_name")
print(repr(a.read(6)), repr(b.read()), repr(a.read()))
print(os.access(I + "product_uuid", os.R_OK), os.access(I + "sys_vendor", os.X_OK))
try:
    print(open(I + "product_serial").read().strip())
except PermissionError as e:
    print("PermissionError", e.errno)
PYEOF
	if [ "$(id -u)" = 0 ]; then
		ok "python as root: exists, stat, own offsets, access, the serial" eq \
			"$("$E" $U -- "$PY" "$D/dmi.py" 2>&1)" "True True 0o100400 0o100444
b'VMware' 'VMware20,1\n' b'20,1\n'
True False
VMware-42 30 a8 27 f9 a3 cf 54-e2 a3 10 1d fd b8 21 d0"
	fi
	if [ -n "$NOBODY" ]; then
		ok "python as uid 65534: access and open of the serial refused" eq \
			"$("$E" $U -- $NOBODY "$PY" "$D/dmi.py" 2>&1 | tail -2)" "False False
PermissionError 13"
	fi
else
	skip "no python3"
fi
echo "1..$n"
exit $fail
