#!/bin/sh
# A quiesce driven by the host (vmwcall-emu --ctl quiesce) against unmodified
# vmtoolsd, always as uid 65534, in a mount namespace where
# /etc/vmware-tools is a scratch directory holding freeze/thaw scripts that
# only record their argument.  The host asks for the scripts-only quiesce
# (no filesystem is frozen; as uid 65534 FIFREEZE would fail anyway).
. "$(dirname "$0")/emu_lib.sh"

command -v vmtoolsd >/dev/null 2>&1 || { echo "1..0 # SKIP open-vm-tools not installed"; exit 0; }
command -v unshare >/dev/null 2>&1 || { echo "1..0 # SKIP no unshare"; exit 0; }
need_nobody
unshare -m true 2>/dev/null || { echo "1..0 # SKIP no mount namespaces here"; exit 0; }

S=$D/s
EMU=
trap 'kill $EMU 2>/dev/null; rm -rf "$D"' EXIT
mkdir -p "$D/etc/backupScripts.d" "$D/out"
chmod 755 "$D" "$D/etc" "$D/etc/backupScripts.d"
chmod 777 "$D/out"
printf '#!/bin/sh\necho "$1" >> %s/out/marks\n' "$D" >"$D/etc/backupScripts.d/10-mark"
printf '#!/bin/sh\nexit 1\n' >"$D/power.sh"
chmod 755 "$D/etc/backupScripts.d/10-mark" "$D/power.sh"
cat >"$D/etc/tools.conf" <<CONF
[powerops]
poweroff-script=$D/power.sh
poweron-script=$D/power.sh
resume-script=$D/power.sh
suspend-script=$D/power.sh
[vmbackup]
enableSyncDriver=false
[logging]
log=false
CONF
chmod 644 "$D/etc/tools.conf"

# The service always as uid 65534, never as root.
timeout 90 "$E" --control "$S" -- unshare -m --propagation private sh -c \
	"mount --bind '$D/etc' /etc/vmware-tools &&
	exec setpriv --reuid=65534 --regid=65534 --clear-groups -- timeout 60 vmtoolsd -c /etc/vmware-tools/tools.conf -n vmsvc" &
EMU=$!
i=0
while [ ! -S "$S" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
ctl() { "$E" --ctl "$S" "$@"; }

ctl wait tools --timeout 30 >/dev/null
ok "the tools service is up" [ $? = 0 ]
out=$(ctl quiesce --timeout 30); rc=$?
ok "quiesce completes (exit $rc)" [ $rc = 0 ]
ok "the guest's events in order, then completed" eq "$out" "reset 0
prov.snapshotCommit 0
req.done 0
completed"
ok "the freeze script ran, then the thaw script" eq "$(cat "$D/out/marks" 2>&1)" "freeze
thaw"
: >"$D/out/marks"
out=$(ctl quiesce --abort --timeout 30); rc=$?
ok "an aborted quiesce exits 1 ($rc)" [ $rc = 1 ]
ok "... and reports the guest's abort, then aborted" eq "$out" "reset 0
prov.snapshotCommit 0
req.aborted 4 Quiesce canceled.
req.done 0
aborted"
ok "... after freeze, the freeze-fail scripts ran" eq "$(cat "$D/out/marks" 2>&1)" "freeze
freezeFail"
g=$(ctl guest)
ok "guest shows the last quiesce" eq "$(echo "$g" | python3 -c 'import json,sys; q=json.load(sys.stdin)["quiesce"]; print(q["state"], len(q["events"]))')" "aborted 4"
kill $EMU 2>/dev/null
wait $EMU
EMU=
finish
