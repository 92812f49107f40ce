#!/bin/sh
# make soak: t_fault and t_load again and again, each round with a new fault
# seed and checkpoint interval, until SOAK_SECONDS have passed.  Any
# failed check stops it with the round's seed, so the round can be rerun.
set -u
O=${O:?O is the build directory}
end=$(($(date +%s) + ${SOAK_SECONDS:-60}))
round=0
writes=0
rpcs=0
while [ "$(date +%s)" -lt "$end" ]; do
	round=$((round + 1))
	seed=$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')
	every=$((seed % 9 + 2))
	for t in t_fault t_load; do
		out=$(VMWCALL_FAULT_SEED=$seed VMWCALL_LOAD_CPT=$every O=$O "$O/tests/$t" 2>&1)
		rc=$?
		if [ $rc -ne 0 ] || echo "$out" | grep -q '^not ok'; then
			echo "$out" | grep -v '^ok'
			echo "soak: round $round failed: VMWCALL_FAULT_SEED=$seed VMWCALL_LOAD_CPT=$every O=$O $O/tests/$t"
			exit 1
		fi
		echo "$out" | sed -n "s/^# /round $round ($t, seed $seed, cpt every $every): /p"
	done
	writes=$((writes + 10000))
	rpcs=$((rpcs + 32000))
done
echo "soak: $round rounds clean: $writes faulted guestinfo writes, $rpcs RPCs under load"
