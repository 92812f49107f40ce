#!/bin/sh
# vmwcall-emu --control driving unmodified open-vm-tools' service, always as
# uid 65534 (its plugins can power off or step the clock of this machine),
# with power scripts that only record that they ran (the halt script fails),
# and, in a mount namespace of its own, every shutdown command replaced by a
# stub that only records: powerOps runs "shutdown -h now" after a halt
# script it believes succeeded (services/plugins/powerOps/powerOps.c).
. "$(dirname "$0")/emu_lib.sh"

command -v vmtoolsd >/dev/null 2>&1 || { echo "1..0 # SKIP open-vm-tools not installed"; exit 0; }
need_nobody
unshare --mount --propagation private true 2>/dev/null ||
	{ echo "1..0 # SKIP no mount namespace to stub the shutdown commands in"; exit 0; }

S=$D/s
EMU=
trap 'kill $EMU 2>/dev/null; rm -rf "$D"' EXIT
chmod 755 "$D"
# The scripts only record.  The halt script (poweroff) exits 1 so that
# vmtoolsd never goes on to shut down; resume succeeds, suspend fails.
for s in poweroff poweron resume suspend shutdown; do
	printf '#!/bin/sh\necho "%s $*" >> %s/power.out\nexit %d\n' $s "$D" \
		$([ $s = resume ] && echo 0 || echo 1) >"$D/$s.sh"
	chmod 755 "$D/$s.sh"
done
: >"$D/power.out"
chmod 666 "$D/power.out"
cat >"$D/tools.conf" <<CONF
[powerops]
poweroff-script=$D/poweroff.sh
poweron-script=$D/poweron.sh
resume-script=$D/resume.sh
suspend-script=$D/suspend.sh
[guestinfo]
poll-interval=1
[logging]
log=false
CONF
chmod 644 "$D/tools.conf"
# Never the default scripts: every power script is ours (halt and reboot run
# poweroff-script), or vmtoolsd does not start.
for s in poweroff poweron resume suspend; do
	grep -qx "$s-script=$D/$s.sh" "$D/tools.conf" && [ -x "$D/$s.sh" ] ||
		{ echo "Bail out! tools.conf does not point $s-script at $D/$s.sh"; exit 1; }
done
# The service, in its own mount namespace where every shutdown command is
# the recording stub, as uid 65534.
cat >"$D/guard.sh" <<GUARD
for f in /sbin/shutdown /sbin/halt /sbin/poweroff /sbin/reboot /usr/sbin/shutdown \\
	/usr/sbin/halt /usr/sbin/poweroff /usr/sbin/reboot /bin/systemctl /usr/bin/systemctl; do
	[ -e "\$f" ] || continue
	mount --bind "$D/shutdown.sh" "\$(readlink -f "\$f")" || exit 99
	cmp -s "$D/shutdown.sh" "\$f" || exit 98
done
exec setpriv --reuid=65534 --regid=65534 --clear-groups -- timeout 90 vmtoolsd -c "$D/tools.conf" -n vmsvc
GUARD

# No --tclo: the host starts the handshake on the tools' new TCLO channel.
timeout 120 "$E" --control "$S" --rpc-log "$D/log.jsonl" -- \
	unshare --mount --propagation private sh "$D/guard.sh" &
EMU=$!
i=0
while [ ! -S "$S" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
ctl() { "$E" --ctl "$S" "$@"; }

out=$(ctl wait tools --timeout 30); rc=$?
ok "wait tools returns once the host's handshake with vmtoolsd is over (exit $rc)" [ $rc = 0 ]
# The guest's report comes with its first gather, a second or so later.
i=0
while ! ctl guest | grep -q '"nics"' && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
g=$(ctl guest)
ok "guest: tools running" has "$g" '"tools_running_status":"guestToolsRunning"'
ok "guest: version 12352" has "$g" '"tools_version":12352'
ok "guest: the host name" has "$g" "\"host_name\":\"$(hostname)\""
ok "guest: the OS name" has "$g" '"os_name":"'
ip=$(ip -o -4 addr show scope global 2>/dev/null | awk '{print $4; exit}')
if [ -n "$ip" ]; then
	ok "guest: an IP address this machine has ($ip)" has "$g" "\"$ip\""
else
	ip=$(ip -o -6 addr show 2>/dev/null | awk '$2 != "lo" {print $4; exit}')
	ok "guest: an IP address this machine has ($ip)" has "$g" "\"$ip\""
fi
ok "guest: uptime and heartbeat" sh -c 'echo "$1" | grep -q "\"uptime_seconds\":[0-9]" && echo "$1" | grep -q "\"last_heartbeat_ms_ago\":[0-9]"' - "$g"
ok "guest: the disks of SetGuestDiskInfo" has "$g" '"fstype":"'
ok "guest: capabilities registered in the handshake" has "$g" '"statechange"'
ok "guest: one JSON object" python3 -c 'import json,sys; json.loads(sys.argv[1])' "$g"
out=$(ctl tclo ping --timeout 20); rc=$?
ok "tclo ping prints the guest's reply: '$out'" [ "$out/$rc" = "OK /0" ]
out=$(ctl tclo No_Such_Command --timeout 20); rc=$?
ok "tclo of an unknown command: '$out', exit $rc" [ "$out/$rc" = "ERROR Unknown Command/1" ]
# A state change that powerOps refuses as "State change already in
# progress" (the last one's status is sent before it is done) has not run:
# ask again.
power() {
	i=0
	while out=$(ctl power "$1" --timeout 40)
		[ "$out" = "ERROR State change already in progress" ] && [ $i -lt 20 ]; do
		sleep 0.2; i=$((i + 1))
	done
	echo $out
}
# Alternating, each report is the script's own result: powerOps takes a
# state change that failed the time before as done.  Several rounds: how
# vmtoolsd learns a script's exit under the runner once depended on a race.
rounds=4 got= want=
for k in $(seq $rounds); do
	got="$got$(power suspend);$(power resume);"
	want="${want}OK 0 5;OK 1 4;"
done
ok "suspend (its script fails) and resume (succeeds), $rounds times: each reports the script's result" \
	eq "$got" "$want"
ok "the suspend and resume scripts ran" \
	eq "$(grep -c "^suspend" "$D/power.out") $(grep -c "^resume" "$D/power.out")" "$rounds $rounds"
# Halt once only: a second would be taken as done and shut down (the stub).
halt=$(power halt)
ok "power halt: the guest reports that the halt script failed ('$halt')" eq "$halt" "OK 0 1"
ok "power halt reached the configured script" grep -q "^poweroff" "$D/power.out"
kill $EMU 2>/dev/null
wait $EMU
EMU=

# What vmtoolsd saw of each script, from its log lines, in order: glib's
# child watch (2.74) reads the exit through a pidfd, woken at the exit; a
# zombie we still traced was not its to reap yet and it took status 0.
seen=$(grep -o '"text":"Script exit code: [0-9]*' "$D/log.jsonl" | sed 's/.*: //' | tr '\n' ' ')
ok "vmtoolsd saw each script's exit code: 1 for suspend and halt, 0 for resume" \
	eq "$seen" "$(for k in $(seq $rounds); do printf '1 0 '; done)1 "
ok "halt: the shutdown stub did not run" sh -c '! grep -q "^shutdown" "$1"' - "$D/power.out"
ok "a state change reaches only our scripts" \
	sh -c '! grep -qv "^resume\|^suspend\|^poweroff\|^shutdown" "$1"' - "$D/power.out"
finish
