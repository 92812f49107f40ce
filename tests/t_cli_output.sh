#!/bin/sh
# vmwcall's output under the emulator (issue 15): every lost write is an
# error (exit 1 and a message), and --json is valid JSON for any bytes:
# UTF-8 as is, anything else in base64 under NAME_base64.
. "$(dirname "$0")/emu_lib.sh"
command -v python3 >/dev/null || { echo "1..0 # SKIP no python3"; exit 0; }

# --- Write errors (item 10) -------------------------------------------------
# lost NAME CMD...: CMD under the emulator with stdout on /dev/full must exit 1
# and say "write error"; the same with stdout closed.
lost() {
	what=$1; shift
	"$E" --set guestinfo.x=hello -- "$@" >/dev/full 2>"$D/err"
	rc=$?
	ok "$what >/dev/full: exit 1" eq "$rc" 1
	ok "$what >/dev/full: says so" grep -q 'write error' "$D/err"
	"$E" --set guestinfo.x=hello -- "$@" >&- 2>"$D/err"
	rc=$?
	ok "$what, stdout closed: exit 1" eq "$rc" 1
	ok "$what, stdout closed: says so" grep -q 'write error' "$D/err"
}
lost "info get" "$V" info get x
lost "--json info get" "$V" --json info get x
lost "--json detect" "$V" --json detect
lost "detect" "$V" detect
lost "stat speed" "$V" stat speed
lost "--json stat hz" "$V" --json stat hz
lost "rpc" "$V" rpc 'info-get guestinfo.x'
lost "call" "$V" call 10
lost "vmware-rpctool" "$D/vmware-rpctool" 'info-get guestinfo.x'
lost "vmware-checkvm" "$D/vmware-checkvm"
"$E" -- "$V" info set y v >&- 2>"$D/err"
ok "nothing written: a closed stdout is no error (info set)" eq "$?:$(cat "$D/err")" "0:"

# --- JSON for any bytes (item 11) ------------------------------------------
# Values: every byte 0x80-0xFF, invalid sequences, and valid UTF-8 of 2, 3, 4 bytes.
printf 'caf\303\251 \342\234\223 \360\235\204\236 "q" \\ \t\001' >"$D/utf8"
python3 -c 'import sys; sys.stdout.buffer.write(bytes(range(0x80, 0x100)))' >"$D/high"
printf '\300\200|\355\240\200|\342\202|\365\200\200\200|\370|ok' >"$D/bad"
printf 'ascii' >"$D/ascii"
check() {
	# check FILE: vmwcall --json info get prints valid JSON that gives FILE's bytes back.
	"$E" --set "guestinfo.k=@$1" -- "$V" --json info get k >"$D/json"
	python3 -c 'import base64, json, sys
d = json.load(open(sys.argv[1]))
want = open(sys.argv[2], "rb").read()
v = d["value"].encode("utf-8") if "value" in d else base64.b64decode(d["value_base64"], validate=True)
assert v == want, (v, want)
assert ("value" in d) == (sys.argv[3] == "text"), d.keys()' "$D/json" "$1" "$2" 2>"$D/err" ||
		{ sed 's/^/#   /' "$D/err" | tail -3; return 1; }
}
ok "valid UTF-8 (2-, 3-, 4-byte, escapes) passes through as \"value\"" check "$D/utf8" text
ok "ASCII as \"value\"" check "$D/ascii" text
ok "bytes 0x80-0xFF: valid JSON, \"value_base64\" decodes to them" check "$D/high" base64
ok "overlong, surrogate, truncated, out of range: \"value_base64\"" check "$D/bad" base64
"$E" -- "$V" --json info set "$(printf 'k\377')" v >"$D/json"
ok "a non-UTF-8 key: \"key_base64\"" python3 -c 'import base64, json, sys
d = json.load(open(sys.argv[1])); assert base64.b64decode(d["key_base64"]) == b"guestinfo.k\xff"' "$D/json"
ok "--json detect is JSON" sh -c "'$E' -- '$V' --json detect | python3 -c 'import json, sys; json.load(sys.stdin)'"

echo "1..$n"
exit $fail
