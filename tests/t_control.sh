#!/bin/sh
# vmwcall-emu --control: the socket, the --ctl client's verbs, the raw
# protocol through socat, bad input, events and --rpc-log.
. "$(dirname "$0")/emu_lib.sh"
command -v socat >/dev/null 2>&1 || { echo "1..0 # SKIP socat not installed"; exit 0; }

S=$D/s
EMU=
trap 'kill $EMU 2>/dev/null; rm -rf "$D"' EXIT

ctl() { "$E" --ctl "$S" "$@"; }
raw() { printf '%s\n' "$1" | socat -t 2 - "UNIX-CONNECT:$S"; }

# start [OPTION]... -- PROGRAM...: an emulator in the background, once its socket is up.
start() {
	rm -f "$D/go"
	timeout 60 "$E" --control "$S" "$@" &
	EMU=$!
	i=0
	while [ ! -S "$S" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
}
finish() { wait $EMU; rc=$?; EMU=; return $rc; }
# A guest that stays up until told to stop.
IDLE="while [ ! -e $D/stop ]; do sleep 0.05; done"
stop_guest() { touch "$D/stop"; finish; s=$?; rm -f "$D/stop"; return $s; }

# --- the issue's first scenario: the guest waits for guestinfo.go -----------
start -- sh -c "while ! $V info get go >/dev/null 2>&1; do sleep 0.05; done
	$V info set answer \"got \$($V info get go)\""
ok "socket is a socket, mode 0600" eq "$(stat -c %F/%a "$S")" "socket/600"
ctl info set go 42
ok "info set go: exit $?" [ $? = 0 ]
out=$(ctl wait info answer "got 42" --timeout 20); rc=$?
ok "wait info answer 'got 42': exit $rc" eq "$rc" 0
finish
ok "the guest script ended well" [ $? = 0 ]
ok "the socket is removed at the end" [ ! -e "$S" ]

# --- socket path rules ------------------------------------------------------
echo keep >"$S"
"$E" --control "$S" -- true 2>"$D/err"; rc=$?
ok "an existing file is refused (exit $rc) and left alone" \
	sh -c '[ "$1" = 2 ] && [ "$(cat "$2")" = keep ] && grep -q "not a socket" "$3"' - $rc "$S" "$D/err"
rm -f "$S"
python3 -c 'import socket,sys; s=socket.socket(socket.AF_UNIX); s.bind(sys.argv[1])' "$S"
"$E" --control "$S" -- true; rc=$?
ok "a stale socket is replaced (exit $rc)" sh -c '[ "$1" = 0 ] && [ ! -e "$2" ]' - $rc "$S"
start -- sh -c "$IDLE"
"$E" --control "$S" -- true 2>"$D/err"; rc=$?
ok "a live emulator's socket is refused (exit $rc)" \
	sh -c '[ "$1" = 2 ] && grep -q "in use" "$2" && [ -S "$3" ]' - $rc "$D/err" "$S"

# --- info verbs: byte-exact both ways ----------------------------------------
printf 'line one\nline two\n\ttab \\ "q" \001\377end' >"$D/bin"
ctl info set guestinfo.bin - <"$D/bin"
ok "info set - (stdin): exit $?" [ $? = 0 ]
ctl info get bin >"$D/bin.got"
ok "info get returns the bytes exactly, plus a newline" \
	sh -c '(cat "$1"; echo) | cmp -s - "$2"' - "$D/bin" "$D/bin.got"
stop_guest
start --set guestinfo.pre=x -- sh -c "$V info set fromguest 'a b  c'
	until $V info get plain > $D/plain.got 2>/dev/null; do sleep 0.05; done
	$IDLE"
ctl info set plain 'hello world'
ctl wait info fromguest --timeout 20 >"$D/fg"
ok "wait info KEY (any value) prints the value" eq "$(cat "$D/fg")" "a b  c"
ok "info get of what the guest set" eq "$(ctl info get guestinfo.fromguest)" "a b  c"
ok "info list" eq "$(ctl info list | tr '\n' ' ')" "guestinfo.fromguest guestinfo.plain guestinfo.pre "
ctl info del pre
ok "info del: exit $?" [ $? = 0 ]
out=$(ctl info get pre 2>&1); rc=$?
ok "info get after del: exit 1, No value found" sh -c '[ "$1" = 1 ] && echo "$2" | grep -q "No value found"' - $rc "$out"
ctl info del pre 2>/dev/null
ok "info del of a missing key: exit 1" [ $? = 1 ]
out=$(ctl wait info nothere --timeout 0.2 2>&1); rc=$?
ok "wait info times out: exit 1" sh -c '[ "$1" = 1 ] && echo "$2" | grep -q "timed out"' - $rc "$out"
ctl bogus >/dev/null 2>&1
ok "unknown verb: usage, exit 2" [ $? = 2 ]
ctl stats >"$D/stats"
ok "stats: the --stats-json counts" sh -c 'grep -q "\"hypercalls\": [1-9]" "$1" && grep -q "\"rpcs\": " "$1"' - "$D/stats"

# --- the raw protocol over socat, and bad input -------------------------------
out=$(raw '{"op":"info.get","key":"plain","id":7}')
ok "socat: info.get with an id" eq "$out" '{"id":7,"ok":true,"value":"hello world"}'
out=$(raw '{"op":"info.set","key":"b","value_base64":"AP8K"}')
ok "socat: info.set value_base64" eq "$out" '{"ok":true}'
out=$(raw '{"op":"info.get","key":"b"}')
ok "a value that is not UTF-8 comes back as value_base64" eq "$out" '{"ok":true,"value_base64":"AP8K"}'
before=$(ctl info list | tr '\n' ' ')
for bad in '{"op":"info.set","key":"x","value":"y"' 'not json' '{"op":"info.set","key":"x"}' \
	'{"op":"nope"}' '{"op":"info.set","key":"x","value":"y","extra":1}' \
	'{"op":"info.set","key":"x","value":"y","value":"z"}' '{"op":"info.set","key":"","value":"y"}' \
	'{"op":"info.set","key":"x","value":"\ud800"}' '[1]' '{"op":"info.set","key":"x","value_base64":"@@@@"}' \
	'{"op":"wait.info","key":"x","timeout_ms":-1}' '{"op":"info.set","key":"x\u0000y","value":"v"}'; do
	out=$(raw "$bad")
	ok "bad request refused: $(printf '%.50s' "$bad")" has "$out" '"ok":false,"error":'
done
head -c 5000000 /dev/zero | tr '\0' 'a' >"$D/huge"
out=$( (printf '{"op":"info.set","key":"x","value":"'; cat "$D/huge"; printf '"}\n{"op":"info.get","key":"plain"}\n') |
	socat -t 5 - "UNIX-CONNECT:$S")
ok "a request over 4 MiB is refused; the next line is served" \
	eq "$out" '{"ok":false,"error":"request longer than 4194304 bytes"}
{"ok":true,"value":"hello world"}'
printf '{"op":"info.set","key":"x","val' | socat -t 1 - "UNIX-CONNECT:$S" >/dev/null
ok "nothing changed by bad requests or a client leaving mid-line" \
	eq "$(ctl info list | tr '\n' ' ')" "$before"
stop_guest
ok "the guest read what --ctl set: $(cat "$D/plain.got")" eq "$(cat "$D/plain.got")" "hello world"

# --- events and --rpc-log ------------------------------------------------------
start --rpc-log "$D/log" -- sh -c "while [ ! -e $D/go ]; do sleep 0.05; done
	$V info set ev 'x y'; $V rpc 'log hello from the guest' >/dev/null"
ctl events >"$D/ev" &
CL=$!
# The subscription is in place once events flows (a control info set is one).
i=0
while ! grep -q '"key":"guestinfo.mark"' "$D/ev" 2>/dev/null && [ $i -lt 100 ]; do
	ctl info set mark 1; sleep 0.05; i=$((i + 1))
done
touch "$D/go"
finish
ok "emulator with --rpc-log ends well" [ $? = 0 ]
wait $CL
ok "events ends with the emulator, exit $?" [ $? = 0 ]
ev=$(cat "$D/ev")
ok "events: the guest's RPC and its reply" has "$ev" '"request":"info-set guestinfo.ev x y","reply":"1 "}'
ok "events: the guestinfo change" has "$ev" '"key":"guestinfo.ev","value":"x y"}'
ok "events: the log line" has "$ev" '"event":"log"'
ok "events: channel open and close" sh -c 'echo "$1" | grep -q "\"event\":\"open\".*\"proto\":\"rpci\"" && echo "$1" | grep -q "\"event\":\"close\""' - "$ev"
ok "events: process start, exec and exit" sh -c 'echo "$1" | grep -q "\"event\":\"start\"" && echo "$1" | grep -q "\"event\":\"exec\".*vmwcall\"" && echo "$1" | grep -q "\"event\":\"exit\""' - "$ev"
log=$(cat "$D/log")
ok "--rpc-log has the whole run, the root process's exec included" \
	sh -c 'echo "$1" | head -1 | grep -q "\"event\":\"exec\"" && echo "$1" | grep -q "info-set guestinfo.ev x y"' - "$log"
ok "every --rpc-log line is a JSON object" \
	python3 -c 'import json,sys; [json.loads(l) for l in open(sys.argv[1])]' "$D/log"

# --- a subscriber that does not read: the guest goes on, drops are told ------
# 250 RPCs of 4000 bytes fill its queue; the guest then waits quietly (no
# event follows), and the notice of what was dropped must still come.
mkfifo "$D/quiet"
big=$(head -c 4000 /dev/zero | tr '\0' b)
start -- sh -c "while [ ! -e $D/go ]; do sleep 0.05; done
	for i in \$(seq 250); do $V --channel backdoor info set k $big || exit 1; done
	touch $D/done; read x <$D/quiet"
python3 - "$S" "$D" >"$D/slow" <<'PY' &
import json, os, socket, sys, time
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
s.sendall(b'{"op":"events"}\n')
end = time.time() + 50
while not os.path.exists(sys.argv[2] + "/done") and time.time() < end:
	time.sleep(0.05)
s.settimeout(1.5)
data = b""
try:
	while True:
		b = s.recv(1 << 16)
		if not b:
			break
		data += b
except socket.timeout:
	pass
lines = [json.loads(l) for l in data.decode().splitlines() if l]
sets = sum(1 for l in lines if l.get("event") == "rpc" and l.get("request", "").startswith("info-set guestinfo.k "))
dropped = sum(l["count"] for l in lines if l.get("event") == "dropped")
print(os.path.exists(sys.argv[2] + "/done"), sets, dropped)
PY
CL=$!
sleep 0.3
touch "$D/go"
wait $CL
set -- $(cat "$D/slow") x x x
ok "the guest went on while a subscriber did not read (done: $1)" eq "$1" True
ok "its queue filled and it was told: $3 events dropped" [ "${3:-0}" -gt 0 ] 2>/dev/null
ok "each of the guest's 250 RPCs reached it or is counted as dropped ($2 + $3)" \
	[ $(($2 + $3)) -ge 250 ] 2>/dev/null
echo >"$D/quiet"
finish
ok "the emulator ends well" [ $? = 0 ]

echo "1..$n"
exit $fail
