#!/bin/sh
# vmwcall-emu stopped from outside and writing its results (issue 15):
# TERM/HUP/INT reach every guest, survivors are killed after --kill-after,
# --dump and --stats-json are always written, atomically, with every key;
# a broken trace stream never takes the guests down.
. "$(dirname "$0")/emu_lib.sh"
# Wait (at most 60 s: a guard against hangs, not a timing) for files to exist.
await() {
	i=0
	for f; do
		while [ ! -e "$f" ]; do
			i=$((i + 1)); [ $i -lt 600 ] || return 1
			sleep 0.1
		done
	done
}
# Has process $1 ended?  Orphans may stay zombies here (pid 1 need not reap).
ended() { [ ! -e "/proc/$1" ] || [ "$(sed 's/.*) \(.\).*/\1/' "/proc/$1/stat" 2>/dev/null)" = Z ]; }
gone() { for p; do ended "$p" || { echo "#   $p still runs"; return 1; }; done; }
# The emulator in the background; finish waits at most 60 s (a guard against
# a hang, not a timing), then kills it.  Not timeout(1): it signals its whole
# process group, guests included, which would hide what is tested.
# Guests start with SIGINT at its default, as from a terminal (a shell's
# background job would inherit it ignored).
start() {
	python3 -c 'import os, signal, sys
signal.signal(signal.SIGINT, signal.SIG_DFL)
os.execv(sys.argv[1], sys.argv[1:])' "$E" "$@" >"$D/out" 2>"$D/err" &
	epid=$!
}
finish() {
	i=0
	while ! ended "$epid" && [ $i -lt 600 ]; do sleep 0.1; i=$((i + 1)); done
	ended "$epid" || kill -KILL "$epid"
	wait "$epid"
	echo $? >"$D/rc"
}
has() { grep -qF -- "$2" "$1" || { echo "#   $1 lacks '$2'"; sed 's/^/#   /' "$1" | head -5; return 1; }; }

# --- Stopping (item 7) ------------------------------------------------------
# The first program exits at once; two background guests keep running.
cat >"$D/bg.sh" <<END
'$V' info set bgK\$1 v && echo \$\$ >'$D/bg'\$1 && exec sleep 100
END
start --kill-after 5 --dump "$D/bg.vmx" --stats-json "$D/bg.json" -- \
	sh -c "sh '$D/bg.sh' 1 & sh '$D/bg.sh' 2 & '$V' info set fg v"
ok "background guests started" await "$D/bg1" "$D/bg2"
kill -TERM "$epid"
finish
ok "TERM after the first program exited stops the emulator with its status 0" \
	eq "$(cat "$D/rc")" 0
ok "the background guests got TERM" gone "$(cat "$D/bg1")" "$(cat "$D/bg2")"
ok "the dump has every guest's key" \
	sh -c "grep -q bgK1 '$D/bg.vmx' && grep -q bgK2 '$D/bg.vmx' && grep -q 'guestinfo.fg ' '$D/bg.vmx'"
ok "the stats are written" has "$D/bg.json" '"rpcs": 3'

# A guest that ignores TERM is killed after --kill-after.
start --kill-after 1 --dump "$D/ig.vmx" -- \
	sh -c "trap '' TERM; '$V' info set ig v; echo \$\$ >'$D/ig'; exec sleep 100"
ok "TERM-ignoring guest started" await "$D/ig"
kill -TERM "$epid"
finish
ok "it is killed after the grace time: 128+9" eq "$(cat "$D/rc")" 137
ok "and the dump is written" has "$D/ig.vmx" "guestinfo.ig "

# A shell's foreground child gets the signal too, not only the shell.
for s in TERM:143 HUP:129 INT:130; do
	sig=${s%:*}
	rm -f "$D/fgc"
	start -- sh -c "'$V' info set x v; sh -c 'echo \$\$ >$D/fgc; exec sleep 100'; echo after"
	ok "$sig: foreground child started" await "$D/fgc"
	kill -"$sig" "$epid"
	finish
	ok "$sig: the shell and its foreground child end, status ${s#*:}" \
		eval '[ "$(cat "$D/rc")" = ${s#*:} ] && gone "$(cat "$D/fgc")" && ! grep -q after "$D/out"'
done

# --- A broken trace stream (item 8) ----------------------------------------
# stderr is a pipe nobody reads: no SIGPIPE death, the guests finish, the dump is written.
python3 -c 'import os, sys
r, w = os.pipe(); os.close(r); os.dup2(w, 2)
os.execv(sys.argv[1], sys.argv[1:])' "$E" --trace --dump "$D/tp.vmx" -- \
	sh -c "'$V' info set t1 v && '$V' info set t2 v" >/dev/null
ok "--trace into a closed pipe: the guests finish, exit 0" eq "$?" 0
ok "and the dump is written" has "$D/tp.vmx" "guestinfo.t2 "
"$E" --trace-file "$D/tr" --stats-json "$D/tr.json" -- "$V" info set q v
ok "a trace file that works: exit 0" eq "$?" 0
ok "its lines match the stats" has "$D/tr.json" "\"hypercalls\": $(wc -l <"$D/tr"),"
"$E" --trace-file /dev/full --dump "$D/tf.vmx" -- \
	sh -c "'$V' info set t1 v && '$V' info set t2 v" >/dev/null 2>"$D/err"
ok "--trace-file on a full disk: output lost, exit 125" eq "$?" 125
ok "one message says tracing stopped" \
	eq "$(grep -c 'tracing stopped, the guests go on' "$D/err")" 1
ok "the guests went on" has "$D/tf.vmx" "guestinfo.t2 "

# --- --dump (item 9) --------------------------------------------------------
"$E" --dump "$D/no/such/dir/x.vmx" -- sh -c "touch '$D/ran'" 2>"$D/err"
ok "unwritable --dump path: exit 2 before the program runs" \
	sh -c "[ $? = 2 ] && [ ! -e '$D/ran' ]"
ok "with a message" has "$D/err" "no/such/dir/x.vmx"
"$E" --dump "$D" -- true 2>/dev/null
ok "--dump naming a directory: exit 2" eq "$?" 2
echo 'guestinfo.old = "kept"' >"$D/at.vmx"
"$E" --dump "$D/at.vmx" -- sh -c "'$V' info set new v; rm -f '$D'/.at.vmx.*; exit 3" 2>"$D/err"
ok "a dump that fails at the end: exit 125 even though the program exited 3" eq "$?" 125
ok "the program's status is reported" has "$D/err" "exited with status 3"
ok "the previous dump is intact" eq "$(cat "$D/at.vmx")" 'guestinfo.old = "kept"'
ok "no temporary file is left" eq "$(ls -A "$D" | grep -c '^\.at')" 0
"$E" --dump "$D/keys.vmx" -- sh -c "'$V' info set 'café' 1 && '$V' info set 'a=b' 2 && '$V' info set 'k|x' 3" 2>"$D/err"
ok "keys café, a=b, k|x: dump exit 0, no warning" sh -c "[ $? = 0 ] && [ ! -s '$D/err' ]"
got=$("$E" --vmx "$D/keys.vmx" -- sh -c "'$V' info get café; '$V' info get 'a=b'; '$V' info get 'k|x'")
ok "every key reads back through --vmx" eq "$got" "1
2
3"

echo "1..$n"
exit $fail
