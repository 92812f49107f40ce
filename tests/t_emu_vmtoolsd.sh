#!/bin/sh
# open-vm-tools' tools service (vmtoolsd -n vmsvc), unmodified, under
# vmwcall-emu with no help: the host runs the tools handshake as a VMX
# does, --tclo commands reach the application they name, and what vmtoolsd
# publishes reads back exact through vmwcall, vmware-rpctool and VMware's
# Go client.
# vmtoolsd runs as uid 65534 (it could step the clock or power off) with
# power scripts that do nothing.
. "$(dirname "$0")/emu_lib.sh"

command -v vmtoolsd >/dev/null 2>&1 || { echo "1..0 # SKIP open-vm-tools not installed"; exit 0; }
need_nobody
chmod 755 "$D"
mkdir "$D/w" && chmod 777 "$D/w"
cat > "$D/tools.conf" <<CONF
[powerops]
poweron-script=/bin/true
poweroff-script=/bin/true
resume-script=/bin/true
suspend-script=/bin/true
[logging]
log = true
vmsvc.level = debug
vmsvc.handler = file
vmsvc.data = $D/w/vmsvc.log
CONF

# VMware's Go client, built once per build directory when Go and it are installed.
GO=$O/tests/guestinfo-go
if [ ! -x "$GO" ] && command -v go >/dev/null 2>&1 &&
   [ -d /usr/share/gocode/src/github.com/vmware/vmw-guestinfo ]; then
	GO111MODULE=off GOPATH=/usr/share/gocode GOCACHE="$D/gocache" \
		go build -o "$GO" "$(dirname "$0")/go/guestinfo.go" 2>/dev/null || rm -f "$GO"
fi

# Under one host: vmtoolsd in the background, the readers once it is up.
cat > "$D/run.sh" <<SCRIPT
cd /
setpriv --reuid=65534 --regid=65534 --clear-groups -- timeout 30 vmtoolsd -n vmsvc -c "$D/tools.conf" & pid=\$!
i=0
until grep -q "'bogus'" "$D/vmx.log" &&
      vmware-rpctool 'info-get guestinfo.vmtools.versionNumber' >/dev/null 2>&1; do
	i=\$((i + 1)); [ \$i -lt 200 ] || break; sleep 0.1
done
"$V" info get vmtools.versionString > "$D/v.out"
vmware-rpctool 'info-get guestinfo.vmtools.versionString' > "$D/r.out"
[ ! -x "$GO" ] || "$GO" vmtools.versionNumber > "$D/go.out"
kill \$pid; wait \$pid; echo \$? > "$D/tools.rc"
SCRIPT
"$E" --log-file "$D/vmx.log" --tclo ping --tclo 'toolbox-dnd:ping' \
	--tclo 'toolbox:Set_Option synctime 1' --tclo bogus -- sh "$D/run.sh"
ok "vmtoolsd ran until stopped: exit $(cat "$D/tools.rc")" [ "$(cat "$D/tools.rc")" = 0 ]
L=$D/vmx.log
ok "reset answered: the channel belongs to toolbox" grep -q 'TCLO: channel of application toolbox$' "$L"
ok "vmtoolsd went through the whole handshake" grep -q 'TCLO: toolbox: handshake done$' "$L"
ok "--tclo commands went out in order, each answer kept" eq "$(grep -o "TCLO: toolbox: '.*" "$L")" \
"TCLO: toolbox: 'ping' -> 'OK '
TCLO: toolbox: 'Set_Option synctime 1' -> 'OK '
TCLO: toolbox: 'bogus' -> 'ERROR Unknown Command'"
ok "its version log line is in the host's log" grep -q 'Guest: toolbox: Version: 12\.2\.0\.' "$L"
ok "tools.set.versiontype registered: 12352, install type 4 (open-vm-tools)" \
	grep -q 'TOOLS version 12352, install type 4$' "$L"
ok "capabilities registered in answer to Capabilities_Register" eq \
	"$(grep -o "TOOLS capability \(statechange\|softpowerop_retry\|features\) .*" "$L" | head -3)" \
"TOOLS capability statechange ''
TOOLS capability softpowerop_retry ''
TOOLS capability features '36=0'"
ok "vmx.capability.unified_loop toolbox" grep -q 'TOOLS unified loop for toolbox$' "$L"
ok "the toolbox-dnd command did not reach toolbox" eval '! grep -q "toolbox-dnd" "$L"'
ok "vmwcall info get vmtools.versionString: exact" eq "$(od -An -c "$D/v.out" | tr -s ' ')" " 1 2 . 2 . 0 \n"
ok "vmware-rpctool: the same" eq "$(cat "$D/r.out")" 12.2.0
if [ -x "$GO" ]; then
	ok "Go client: Int() of versionNumber is 12352" grep -q 'int=12352 interr=<nil>' "$D/go.out"
else
	skip "Go or github.com/vmware/vmw-guestinfo not installed"
fi
[ $fail = 0 ] || sed 's/^/#   /' "$L" | tail -30
finish
