#!/bin/sh
# vmwcall --record and vmwcall-emu --replay: a transcript from the client and
# one from --rpc-log answer the same commands (vmwcall's and open-vm-tools'
# vmware-rpctool) the same way; a changed reply, a request off the script or
# one never sent is a divergence (exit 123, said with both texts); bad
# transcripts and lost records are errors.
. "$(dirname "$0")/emu_lib.sh"

# The open-vm-tools tool where installed, else our persona (same requests).
RT=$(command -v vmware-rpctool || echo "$D/vmware-rpctool")
echo "# vmware-rpctool: $RT"

# The guest's script: a later request depends on an earlier reply.  $1 runs
# vmwcall, $2 runs vmware-rpctool's commands; every output and status shows.
script() {
	cat <<-SH
	v=\$($1 info get x); echo "get: \$? \$v"
	$1 info set y "got \$v"; echo "set: \$?"
	$2 'info-get guestinfo.y'; echo "rpctool: \$?"
	$1 rpc machine.id.get; echo "machine.id: \$?"
	$1 info get nokey; echo "nokey: \$?"
	printf 'a\377\n' | $1 info set bin -; echo "bin: \$?"
	$1 info get bin | od -An -c; echo "bin get: \$?"
	SH
}
PRESET="--set guestinfo.x=hello --machine-id m-1 --no-vsock"
script "$V" "$RT" >"$D/plain.sh"
# Recording: every command through vmwcall --record, rpctool's as vmwcall rpc.
script "$V --record $D/rec.jsonl" "$V --record $D/rec.jsonl rpc" >"$D/rec.sh"

"$E" $PRESET --rpc-log "$D/log.jsonl" -- sh "$D/plain.sh" >"$D/want" 2>&1
ok "the script runs under the emulator (exit $?)" [ $? = 0 ]
"$E" $PRESET -- sh "$D/rec.sh" >"$D/rec.out" 2>&1
ok "recorded, the same outputs" cmp -s "$D/want" "$D/rec.out"
grep -q 'got hello' "$D/want" && grep -q "m-1" "$D/want"
ok "the outputs carry the host's answers" [ $? = 0 ]

# Both transcripts: the same requests and replies, in the same order.
reqs() {
	python3 -c 'import json,sys
for l in open(sys.argv[1]):
    e = json.loads(l)
    if e["event"] == "rpc":
        print(repr(e.get("request", e.get("request_base64"))), repr(e.get("reply", e.get("reply_base64"))))' "$1"
}
reqs "$D/log.jsonl" >"$D/log.reqs"; reqs "$D/rec.jsonl" >"$D/rec.reqs"
ok "the client's transcript is the host's ($(wc -l <"$D/rec.reqs") rpcs)" \
	sh -c '[ -s "$1" ] && cmp -s "$1" "$2"' - "$D/log.reqs" "$D/rec.reqs"

# --- replay: no guestinfo preset, the answers come from the transcript ---------
for t in log rec; do
	"$E" --no-vsock --replay "$D/$t.jsonl" -- sh "$D/plain.sh" >"$D/$t.replay" 2>&1
	rc=$?
	ok "replay of the $t transcript: exit $rc, no report" \
		sh -c '[ "$1" = 0 ] && ! grep -q vmwcall-emu "$2"' - $rc "$D/$t.replay"
	ok "replay of the $t transcript: vmwcall and vmware-rpctool print the same" \
		cmp -s "$D/want" "$D/$t.replay"
done
# Over vsock as well (the tools' first choice): the same requests.
"$E" --replay "$D/rec.jsonl" -- sh "$D/plain.sh" >"$D/vs.replay" 2>&1
ok "replay over vsock: exit $?, same outputs" sh -c '[ "$1" = 0 ] && cmp -s "$2" "$3"' - $? \
	"$D/want" "$D/vs.replay"

# --- a changed reply: the guest's next request departs ---------------------------
for t in log rec; do
	sed 's/"reply":"1 hello"/"reply":"1 HELLO"/' "$D/$t.jsonl" >"$D/$t.changed"
	"$E" --no-vsock --replay "$D/$t.changed" -- sh "$D/plain.sh" >/dev/null 2>"$D/err"; rc=$?
	err=$(cat "$D/err")
	ok "changed reply in the $t transcript: exit 123 (got $rc)" eq "$rc" 123
	ok "... the divergence names request 2 and its line" \
		has "$err" "replay diverged at request 2 of 7 (transcript line"
	ok "... expected and got, escaped" sh -c 'has() { case $1 in *"$2"*) ;; *) return 1;; esac; }
		has "$1" "expected: \"info-set guestinfo.y got hello\"" &&
		has "$1" "got:      \"info-set guestinfo.y got HELLO\""' - "$err"
done

# --- a request never sent, one too many, a binary request -------------------------
"$E" --no-vsock --replay "$D/rec.jsonl" -- "$V" info get x >/dev/null 2>"$D/err"; rc=$?
ok "a guest that stops early: exit 123 (got $rc)" eq "$rc" 123
ok "... the first missing request is named" \
	has "$(cat "$D/err")" 'sent 1 of the transcript'"'"'s 7 requests; missing from request 2'
"$E" --no-vsock --replay "$D/rec.jsonl" -- sh -c "sh $D/plain.sh >/dev/null 2>&1; $V info get x" \
	>"$D/out" 2>"$D/err"; rc=$?
ok "one request too many: exit 123 (got $rc), answered as documented" \
	sh -c '[ "$1" = 123 ] && grep -q "past the transcript" "$2" && [ ! -s "$3" ]' - $rc "$D/err" "$D/out"
"$E" --no-vsock --replay "$D/rec.jsonl" -- sh -c "$V info get x >/dev/null
	printf 'b\001\n' | $V info set y -" >/dev/null 2>"$D/err"; rc=$?
ok "a different binary request: exit 123, bytes escaped" \
	sh -c '[ "$1" = 123 ] && grep -q "got:      \"info-set guestinfo.y b\\\\x01\\\\n\"" "$2"' - $rc "$D/err"

# --- bad transcripts: an error naming the line, the program never runs -------------
bad() {
	d=$1 want=$2
	"$E" --replay "$D/bad.jsonl" -- touch "$D/ran" 2>"$D/err"; rc=$?
	ok "$d: exit 2 (got $rc), not run" sh -c '[ "$1" = 2 ] && [ ! -e "$2" ]' - $rc "$D/ran"
	ok "... says: $want" has "$(cat "$D/err")" "$want"
}
{ head -n 3 "$D/rec.jsonl"; echo '{"event":"rpc","request":"x",'; } >"$D/bad.jsonl"
bad "a truncated line" "line 4:"
printf '{"event":"rpc","request":"x"}\n' >"$D/bad.jsonl"
bad "no reply" "line 1: no reply and no error"
printf '{"event":"rpc","request":"x","request_len":9000,"reply":"1 "}\n' >"$D/bad.jsonl"
bad "a cut text (a control client's stream)" "line 1: a text was cut"
printf '{"event":"rpc","request_base64":"!!","reply":"1 "}\n' >"$D/bad.jsonl"
bad "bad base64" "line 1: malformed request"
printf '\n' >"$D/bad.jsonl"
bad "an empty line" "line 1:"
python3 -c 'import sys; sys.stdout.write("{\"event\":\"rpc\",\"request\":\"" + "a" * (9 << 20) + "\",\"reply\":\"1 \"}\n")' \
	>"$D/bad.jsonl"
bad "a 9 MiB line" "line 1: longer than 8388608 bytes"
rm -f "$D/bad.jsonl"
bad "a missing file" "--replay $D/bad.jsonl: No such file"
# Other events are skipped, failed calls too.
printf '%s\n' '{"event":"open","chan":0}' '{"event":"rpc","request":"a","error":"x"}' \
	'{"event":"rpc","request":"info-get guestinfo.q","reply":"1 \u0000\u00e9"}' >"$D/ok.jsonl"
"$E" --no-vsock --replay "$D/ok.jsonl" -- "$V" --json info get q >"$D/out" 2>&1
ok "other events and failed calls are skipped; \\u escapes decode (exit $?)" \
	eq "$(cat "$D/out")" "$(printf '{"key":"guestinfo.q","value":"\\u0000\303\251"}')"

# --- recording: failures are recorded, write errors reported ----------------------
rm -f "$D/f.jsonl"
"$E" --no-vsock --stop-at 1 -- "$V" --record "$D/f.jsonl" info get x 2>/dev/null
ok "a failing RPC: exit 1 (got $?), recorded with its error" \
	grep -q '"request":"info-get guestinfo.x","error":"' "$D/f.jsonl"
"$E" --no-vsock $PRESET -- "$V" --record /dev/full info get x >"$D/out" 2>"$D/err"; rc=$?
ok "--record /dev/full: exit 1 (got $rc), the value still printed, the loss said" \
	sh -c '[ "$1" = 1 ] && [ "$(cat "$2")" = hello ] && grep -q "record /dev/full: write error" "$3"' \
	- $rc "$D/out" "$D/err"
"$V" --record "$D/no/such" info get x 2>"$D/err"; rc=$?
ok "--record into a missing directory: exit 2 (got $rc)" \
	sh -c '[ "$1" = 2 ] && grep -q "record $2" "$3"' - $rc "$D/no/such" "$D/err"

echo "1..$n"
exit $fail
