#!/bin/sh
# vmwcall-emu running open-vm-tools' own, unmodified programs.
. "$(dirname "$0")/emu_lib.sh"

if ! command -v vmware-rpctool >/dev/null 2>&1 && [ "$(id -u)" = 0 ] &&
   command -v apt-get >/dev/null 2>&1; then
	DEBIAN_FRONTEND=noninteractive apt-get install -y open-vm-tools >/dev/null 2>&1
fi
for p in vmware-rpctool vmware-checkvm vmware-toolbox-cmd; do
	command -v $p >/dev/null 2>&1 || { echo "1..0 # SKIP open-vm-tools not installed"; exit 0; }
done

chmod 755 "$D"

# checkvm: VmCheck (CPUID, the in probe) then GETVERSION.
out=$("$E" -- vmware-checkvm); rc=$?
ok "checkvm: '$out', exit $rc" eq "$out/$rc" "VMware software version 6 (good)/0"
for t in "2 ESX Server" "4 Workstation" "7 Unknown"; do
	out=$("$E" --type "${t%% *}" -- vmware-checkvm -p)
	ok "checkvm -p with --type ${t%% *}: $out" eq "$out" "${t#* }"
done
"$E" --host-version 5 -- vmware-checkvm >/dev/null 2>&1
ok "checkvm refuses --host-version 5" [ $? = 1 ]

out=$("$E" --machine-id 'id=42' -- vmware-rpctool machine.id.get)
ok "--machine-id answers machine.id.get: $out" eq "$out" "id=42"

# toolbox-cmd stat: GETMHZ and GETTIMEFULL.
out=$("$E" --mhz 1234 -- vmware-toolbox-cmd stat speed)
ok "stat speed: $out" eq "$out" "1234 MHz"
out=$("$E" -- vmware-toolbox-cmd stat hosttime)
ok "stat hosttime: $out" sh -c 'echo "$1" | grep -Eq "^[0-9]{1,2} [A-Z][a-z]{2} $2 [0-9]{2}:[0-9]{2}:[0-9]{2}$"' \
	- "$out" "$(date +%Y)"

# info-set then info-get of every size, in one sh under one vmwcall-emu.  The
# whole request "info-set guestinfo.x VALUE" may be 65536 bytes: 65515 of value.
head -c 1048576 /dev/urandom | od -An -tx1 -v | tr -d ' \n' | head -c 1048576 > "$D/big"
SIZES="0 1 2 3 4 5 4095 65515"
for s in $SIZES 65516; do head -c $s "$D/big" > "$D/v$s"; done
{
	for s in $SIZES; do
		echo "vmware-rpctool \"info-set guestinfo.x \$(cat v$s)\" > set$s || echo fail > set$s"
		echo "vmware-rpctool 'info-get guestinfo.x' > got$s"
	done
	echo "vmware-rpctool \"info-set guestinfo.x \$(cat v65516)\" 2> over.err; echo \$? > over.rc"
	echo "vmware-rpctool 'info-get guestinfo.x' > after"
	echo "vmware-rpctool 'info-get guestinfo.big' > bigout"
	echo "vmware-rpctool 'info-get guestinfo.missing' > miss.out 2> miss.err; echo \$? > miss.rc"
} > "$D/rt.sh"

roundtrip() {
	mode=$1; shift
	rm -f "$D"/got* "$D"/set* "$D"/over.* "$D"/after "$D"/bigout "$D"/miss.*
	(cd "$D" && "$E" "$@" --stats-json stats.json --set "guestinfo.big=@big" -- sh rt.sh)
	ok "$mode: vmwcall-emu exit 0" [ $? = 0 ]
	for s in $SIZES; do
		ok "$mode: $s-byte value round trip" \
			sh -c '! grep -q fail "$1/set$2" && (cat "$1/v$2"; echo) | cmp -s - "$1/got$2"' - "$D" $s
	done
	ok "$mode: 65516-byte value (65537-byte request) refused, exit $(cat "$D/over.rc")" \
		eq "$(cat "$D/over.rc")" 1
	ok "$mode: old value kept after the refused set" \
		sh -c '(cat "$1/v65515"; echo) | cmp -s - "$1/after"' - "$D"
	ok "$mode: 1 MiB value preset with --set @FILE read back exactly" \
		sh -c '(cat "$1/big"; echo) | cmp -s - "$1/bigout"' - "$D"
	ok "$mode: missing key: 'No value found', exit 1" \
		eq "$(cat "$D/miss.err")/$(cat "$D/miss.rc")/$(cat "$D/miss.out")" "No value found/1/"
}
hb() { grep -q '"hb_in": 0, "hb_out": 0' "$D/stats.json"; }
cpt() { ! grep -q '"checkpoints": 0,' "$D/stats.json"; }

roundtrip default
ok "default: HB transfers used" eval '! hb'
roundtrip no-hb --no-hb
ok "no-hb: no HB transfer at all" hb
roundtrip checkpoint-3 --checkpoint-every 3
ok "checkpoint-3: checkpoints were injected and survived" cpt

# A forking script: two processes, one store, one trace.
"$E" --trace-file "$D/trace" --stats-json "$D/s.json" -- sh -c \
	"vmware-rpctool 'info-set guestinfo.f forked' >/dev/null; vmware-rpctool 'info-get guestinfo.f'" > "$D/f.out"
ok "two rpctool processes share one store" eq "$(cat "$D/f.out")" forked
calls=$(sed 's/.*"hypercalls": \([0-9]*\).*/\1/' "$D/s.json")
ok "--stats-json hypercalls ($calls) = --trace-file lines" eq "$(wc -l < "$D/trace")" "$calls"
"$E" --trace --stats-json "$D/s2.json" -- vmware-checkvm 2> "$D/t2" > /dev/null
calls=$(sed 's/.*"hypercalls": \([0-9]*\).*/\1/' "$D/s2.json")
ok "--trace lines on stderr = $calls hypercalls" \
	eq "$(grep -cE '^(in|out|rep-insb|rep-outsb|vmcall|vmmcall|tdcall) ' "$D/t2")" "$calls"

# --dump writes .vmx that --vmx reads back, escapes included.
printf 'a"b|c' > "$D/q"
"$E" --set 'guestinfo.q=@'"$D/q" --dump "$D/d1.vmx" -- \
	vmware-rpctool "info-set guestinfo.w $(head -c 3000 "$D/big")" > /dev/null
ok "--dump escapes quote and pipe" grep -qx 'guestinfo.q = "a|22b|7Cc"' "$D/d1.vmx"
out=$("$E" --vmx "$D/d1.vmx" --dump "$D/d2.vmx" -- vmware-rpctool 'info-get guestinfo.q')
ok "--vmx reads --dump output: $out" eq "$out" 'a"b|c'
ok "dump of a reloaded dump is identical" cmp -s "$D/d1.vmx" "$D/d2.vmx"
printf 'guestinfo.ok = "1"\nguestinfo.bad = "x|zz"\n' > "$D/bad.vmx"
err=$("$E" --vmx "$D/bad.vmx" -- true 2>&1); rc=$?
ok "malformed .vmx: exit $rc, $err" eq "$rc/$err" "2/vmwcall-emu: $D/bad.vmx:2: bad |XX escape or bare quote in value"

# Faults that are not hypercalls, and exit statuses.
"$E" -- sh -c 'kill -SEGV $$'
ok "a SIGSEGV the program gets is still fatal: 128+11" [ $? = 139 ]
"$E" -- sh -c 'exit 7'
ok "exit status passes through" [ $? = 7 ]
"$E" -- sleep 30 & pid=$!
sleep 0.5; kill -TERM $pid; wait $pid
ok "SIGTERM to vmwcall-emu is passed on: 128+15" [ $? = 143 ]
want=$(sh -c 'kill -INT $$; echo alive'; echo $?)
got=$("$E" -- sh -c 'kill -INT $$; echo alive'; echo $?)
ok "the program keeps the SIGINT disposition it would have had" eq "$got" "$want"
"$E" --mhz 12x -- true 2>/dev/null
ok "bad number: exit 2" [ $? = 2 ]

# As an ordinary user: ptrace of one's own child needs no privilege.
if [ "$(id -u)" != 0 ]; then
	out=$("$E" -- vmware-checkvm)
	ok "as uid $(id -u): $out" eq "$out" "VMware software version 6 (good)"
elif command -v setpriv >/dev/null 2>&1 && setpriv --reuid=65534 --regid=65534 --clear-groups true 2>/dev/null; then
	out=$(cd / && setpriv --reuid=65534 --regid=65534 --clear-groups "$E" -- sh -c \
		"vmware-rpctool 'info-set guestinfo.u nobody' >/dev/null && vmware-rpctool 'info-get guestinfo.u'")
	ok "as nobody: info-set/info-get: $out" eq "$out" nobody
else
	n=$((n + 1)); echo "ok $n # SKIP cannot switch to an ordinary user"
fi

finish
