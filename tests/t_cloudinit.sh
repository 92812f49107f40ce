#!/bin/sh
# cloud-init 22.4's own VMware data sources, unmodified, under vmwcall-emu:
# DataSourceVMware finds its metadata and userdata in guestinfo once the
# DMI says VMware, and DataSourceOVF reads vApp properties (--ovf-prop)
# from guestinfo.ovfEnv.  Both read guestinfo through the real
# vmware-rpctool (open-vm-tools), as does guest customization reporting
# its state (deployPkg.update.state).
. "$(dirname "$0")/emu_lib.sh"
[ "$(uname -m)" = x86_64 ] || { echo "1..0 # SKIP DMI is served to x86-64 guests"; exit 0; }
PY=/usr/bin/python3
"$PY" -c 'import cloudinit.sources.DataSourceVMware' 2>/dev/null ||
	{ echo "1..0 # SKIP no cloud-init for $PY (tools/deps.sh installs it)"; exit 0; }
command -v vmware-rpctool >/dev/null ||
	{ echo "1..0 # SKIP no vmware-rpctool (open-vm-tools)"; exit 0; }
DS=$(dirname "$0")/cloudinit_ds.py

MD=$(printf '{"instance-id": "i-emu", "local-hostname": "vm1"}' | base64 -w0)
UD=$(printf '#cloud-config\nhostname: vm1\n' | gzip -c | base64 -w0)
G="--set guestinfo.metadata=$MD --set guestinfo.metadata.encoding=base64
   --set guestinfo.userdata=$UD --set guestinfo.userdata.encoding=gzip+base64"
ok "DataSourceVMware: _get_data() True over guestinfo, metadata and userdata decoded" \
	eq "$("$E" $G -- "$PY" "$DS" vmware 2>&1)" 'True guestinfo
{"instance-id": "i-emu", "local-hostname": "vm1"}
#cloud-config
hostname: vm1'
ok "... and False without the DMI (--no-dmi): no VMware platform" \
	eq "$("$E" --no-dmi $G -- "$PY" "$DS" vmware 2>&1 | head -1)" "False None"

UD64=$(printf '#cloud-config\nhostname: vm1\n' | base64 -w0)
ok "DataSourceOVF: vApp properties from --ovf-prop over guestinfo.ovfEnv" \
	eq "$("$E" --ovf-prop hostname=vm1 --ovf-prop instance-id=i-ovf \
		--ovf-prop "user-data=$UD64" -- "$PY" "$DS" ovf 2>&1)" 'True com.vmware.guestInfo
{"instance-id": "i-ovf", "local-hostname": "vm1"}
b'"'"'#cloud-config\nhostname: vm1\n'"'"
printf '%s\n' '<?xml version="1.0" encoding="UTF-8"?>' \
	'<Environment xmlns="http://schemas.dmtf.org/ovf/environment/1"' \
	' xmlns:oe="http://schemas.dmtf.org/ovf/environment/1">' \
	'<PropertySection><Property oe:key="instance-id" oe:value="i-file"/></PropertySection>' \
	'</Environment>' >"$D/env.xml"
ok "DataSourceOVF: --ovf-env FILE as the document" \
	eq "$("$E" --ovf-env "$D/env.xml" -- "$PY" "$DS" ovf 2>&1 | sed -n 2p)" '{"instance-id": "i-file"}'
# Guest customization's reports (deployPkg.update.state), as the host sees
# them: the control socket's guest object.
S=$D/s
EMU=
trap 'kill $EMU 2>/dev/null; rm -rf "$D"' EXIT
timeout 60 "$E" --control "$S" -- sh -c "timeout 20 $PY $DS deploypkg >$D/dp 2>&1
	touch $D/dp.done; while [ ! -e $D/stop ]; do sleep 0.05; done" &
EMU=$!
i=0
while [ ! -e "$D/dp.done" ] && [ $i -lt 400 ]; do sleep 0.05; i=$((i + 1)); done
ok "guest customization: the NIC handshake answered as vSphere does" \
	eq "$(cat "$D/dp")" 'queryNicsSupported
connected'
g=$("$E" --ctl "$S" guest)
touch "$D/stop"
wait $EMU
ok "the host keeps the final state: done, no error, the log file" \
	eq "$(printf '%s' "$g" | "$PY" -c 'import json,sys; print(json.load(sys.stdin)["customization"])')" \
	"{'state': 'done', 'error': 0, 'message': '/var/log/cloud-init.log'}"
finish
