#!/bin/sh
# open-vm-tools' own vmware-namespace-cmd, unmodified, against the namespace
# database of vmwcall-emu: a namespace exists only if the host created it
# (--namespace); set-key, get-value, compare-and-set (-o), delete-key, over
# vsock and over the backdoor (--no-vsock).
. "$(dirname "$0")/emu_lib.sh"

command -v vmware-namespace-cmd >/dev/null 2>&1 ||
	{ echo "1..0 # SKIP vmware-namespace-cmd (open-vm-tools) not installed"; exit 0; }

# Run under one vmwcall-emu; ns CMD ARGS... runs vmware-namespace-cmd once
# and leaves "stdout|stderr|status" in $out.
cat >"$D/script" <<'EOF'
ns() {
	vmware-namespace-cmd "$@" >"$D/o" 2>"$D/e"
	rc=$?
	out="$(cat "$D/o")|$(cat "$D/e")|$rc"
}
ns set-key NS -k K -v V;		echo "$out" >"$D/r1"
ns get-value NS -k K;			echo "$out" >"$D/r2"
ns set-key NS -k K -v W -o wrong;	echo "$out" >"$D/r3"
ns get-value NS -k K;			echo "$out" >"$D/r4"
ns set-key NS -k K -v W -o V;		echo "$out" >"$D/r5"
ns get-value NS -k K;			echo "$out" >"$D/r6"
ns delete-key NS -k K -o V;		echo "$out" >"$D/r7"
ns delete-key NS -k K -o W;		echo "$out" >"$D/r8"
ns get-value NS -k K;			echo "$out" >"$D/r9"
ns get-value NS -k never;		echo "$out" >"$D/r10"
ns set-key other -k K -v V;		echo "$out" >"$D/r11"
ns get-value other -k K;		echo "$out" >"$D/r12"
printf 'two\nlines\n' | ns set-key NS -k S -s
ns get-value NS -k S;			echo "$out" >"$D/r13"
# (12.2 also says "GLib-CRITICAL ... g_error_free" on stderr here: its own bug.)
ns set-key NS -k F -f "$D/16k";		echo "$(cat "$D/o")|$rc" >"$D/r14"
vmware-namespace-cmd get-value NS -k F >"$D/r15" 2>&1
ns set-key B -k K -v inB;		echo "$out" >"$D/r16"
ns get-value NS -k K;			echo "$out" >"$D/r17"
ns delete-key NS -k S;			echo "$out" >"$D/r18"
EOF
head -c 16384 /dev/zero | tr '\0' 'z' >"$D/16k"

for via in vsock backdoor; do
	flag= chan='1[0-9]{3}'
	[ $via = backdoor ] && flag=--no-vsock chan='[0-9]{1,3}'
	rm -f "$D"/r* "$D/log"
	D=$D "$E" $flag --rpc-log "$D/log" --namespace NS --namespace B -- sh "$D/script"
	ok "$via: the requests came over $via" \
		grep -Eq "\"chan\":$chan,\"request\":\"namespace-priv-set-keys NS\\\\u0000" "$D/log"
	ok "$via: set-key NS -k K -v V succeeds, prints nothing" eq "$(cat "$D/r1")" "||0"
	ok "$via: get-value prints V" eq "$(cat "$D/r2")" "V||0"
	ok "$via: set-key -o with the wrong old value fails" \
		eq "$(cat "$D/r3")" "|failure: Old value does not match|1"
	ok "$via: ... and changes nothing" eq "$(cat "$D/r4")" "V||0"
	ok "$via: set-key -o V with the right old value succeeds" eq "$(cat "$D/r5")" "||0"
	ok "$via: get-value prints W" eq "$(cat "$D/r6")" "W||0"
	ok "$via: delete-key -o V (stale) fails" \
		eq "$(cat "$D/r7")" "|failure: Old value does not match|1"
	ok "$via: delete-key -o W succeeds" eq "$(cat "$D/r8")" "||0"
	ok "$via: get-value of the deleted key fails" eq "$(cat "$D/r9")" "|failure: Key not found|1"
	ok "$via: get-value of a key never set fails" eq "$(cat "$D/r10")" "|failure: Key not found|1"
	ok "$via: set-key in a namespace the host did not create fails" \
		eq "$(cat "$D/r11")" "|failure: No such namespace|1"
	ok "$via: get-value there fails" eq "$(cat "$D/r12")" "|failure: No such namespace|1"
	ok "$via: a value from stdin (-s) reads back exactly" eq "$(cat "$D/r13")" "two
lines||0"
	ok "$via: a 16 KiB value from a file (-f) is stored" eq "$(cat "$D/r14")" "|0"
	ok "$via: ... and reads back exactly" cmp -s "$D/r15" "$D/16k"
	ok "$via: namespaces are separate: set in B" eq "$(cat "$D/r16")" "||0"
	ok "$via: ... K in NS still deleted" eq "$(cat "$D/r17")" "|failure: Key not found|1"
	ok "$via: delete-key without -o succeeds" eq "$(cat "$D/r18")" "||0"
done

# The control socket's ns verbs, driven from inside the guest so that each
# step follows the last: the host creates a namespace, sets, reads back.
cat >"$D/ctl" <<'EOF'
ctl() { "$E" --ctl "$D/sock" "$@"; }
vmware-namespace-cmd set-key late -k a -v 1 2>&1; echo "rc=$?"
ctl ns create late; echo "rc=$?"
vmware-namespace-cmd set-key late -k a -v 'from guest'; echo "rc=$?"
ctl ns get late a; echo "rc=$?"
ctl ns set late b 'from host'; echo "rc=$?"
vmware-namespace-cmd get-value late -k b; echo " rc=$?"
ctl ns set late a ''; echo "rc=$?"
vmware-namespace-cmd get-value late -k a 2>&1; echo "rc=$?"
ctl ns get late a 2>&1; echo "rc=$?"
ctl ns get nowhere a 2>&1; echo "rc=$?"
ctl ns create '' 2>&1; echo "rc=$?"
EOF
D=$D E=$E "$E" --control "$D/sock" -- sh "$D/ctl" >"$D/ctl.out" 2>&1
ok "control: ns create/set/get against the guest's vmware-namespace-cmd" eq "$(cat "$D/ctl.out")" \
"failure: No such namespace
rc=1
rc=0
rc=0
from guest
rc=0
rc=0
from host rc=0
rc=0
failure: Key not found
rc=1
vmwcall-emu: No such namespace or key
rc=1
vmwcall-emu: No such namespace or key
rc=1
vmwcall-emu: the name is empty or too long, or there are too many namespaces
rc=1"

"$E" --namespace '' -- true 2>"$D/err"
rc=$?
ok "--namespace '' is a usage error: $(cat "$D/err")" eq "$rc" 2
finish
