#!/bin/sh
# The vsock GuestRPC channel under vmwcall-emu: our client, unmodified
# open-vm-tools, the secure-RPC policy (--rpc-auth), and a guest's raw
# AF_VSOCK calls (Python's socket module), hostile ones included.
. "$(dirname "$0")/emu_lib.sh"
[ "$(uname -m)" = x86_64 ] || { echo "1..0 # SKIP the vsock service serves x86-64 guests"; exit 0; }
chmod 755 "$D"	# the unprivileged guests read their scripts here

skip() { n=$((n + 1)); echo "ok $n # SKIP $1"; }

# As an unprivileged user: root drops to uid 65534, others already are one.
NOBODY=
unpriv=$([ "$(id -u)" != 0 ] && echo yes)
if [ -z "$unpriv" ] && command -v setpriv >/dev/null; then
	NOBODY="setpriv --reuid=65534 --regid=65534 --clear-groups --"
	unpriv=yes
fi
priv=$([ "$(id -u)" = 0 ] && echo true || echo false)

chan() { echo "$1" | grep -o '"channels":{[^}]*}'; }
out=$("$E" -- "$V" --json detect)
ok "detect: backdoor and vsock answer, privileged as $(id -un)" eq "$(chan "$out")" \
	"\"channels\":{\"backdoor\":true,\"vsock\":true,\"vsock_privileged\":$priv}"
out=$("$E" -- $NOBODY "$V" --json detect)
ok "detect as nobody: vsock unprivileged" eq "$(chan "$out")" \
	'"channels":{"backdoor":true,"vsock":true,"vsock_privileged":false}'
out=$("$E" --no-vsock -- "$V" --json detect)
ok "--no-vsock: only the backdoor" eq "$(chan "$out")" \
	'"channels":{"backdoor":true,"vsock":false,"vsock_privileged":false}'

# One host behind both channels.
out=$("$E" -- sh -c "'$V' --channel vsock info set k 'over vsock' &&
	'$V' --channel backdoor info get k && '$V' --channel backdoor info set k back &&
	'$V' --channel vsock info get k")
ok "set over vsock, read over the backdoor, and back" eq "$out" "over vsock
back"
head -c 60000 /dev/urandom | base64 -w0 | head -c 60000 >"$D/big"
(cat "$D/big"; echo) >"$D/big.nl"
out=$("$E" -- sh -c "'$V' --channel vsock info set big - <'$D/big' &&
	'$V' --channel vsock info get big" | cmp - "$D/big.nl" 2>&1)
ok "a 60000-byte value round-trips over vsock (framing across reads)" eq "$out" ""

# Secure RPC: guarded keys only on a privileged vsock connection.
A="--rpc-auth guestinfo.secret* --set guestinfo.secret=s3 --set guestinfo.open=o"
if [ "$priv" = true ]; then
	ok "--rpc-auth: root over vsock reads the guarded key" \
		eq "$("$E" $A -- "$V" info get secret 2>&1)" s3
else
	skip "privileged vsock needs root"
fi
out=$("$E" $A -- "$V" --channel backdoor info get secret 2>&1; echo "rc=$?")
ok "--rpc-auth: the backdoor is refused" eq "$out" \
	"vmwcall: info get guestinfo.secret: Permission denied
rc=1"
out=$("$E" $A -- $NOBODY "$V" info get secret 2>&1; echo "rc=$?")
ok "--rpc-auth: unprivileged vsock is refused" eq "$out" \
	"vmwcall: info get guestinfo.secret: Permission denied
rc=1"
out=$("$E" $A -- $NOBODY "$V" info set secret stolen 2>&1; echo "rc=$?")
ok "--rpc-auth: info-set of a guarded key is refused too" eq "$out" \
	"vmwcall: info set guestinfo.secret: The host refused the request
rc=1"
ok "--rpc-auth: other keys answer everyone" \
	eq "$("$E" $A -- $NOBODY "$V" --channel backdoor info get open)" o

if command -v vmware-rpctool >/dev/null; then
	out=$("$E" $A -- vmware-rpctool 'info-get guestinfo.secret' 2>&1; echo "rc=$?")
	ok "unmodified vmware-rpctool (backdoor only) gets the refusal" eq "$out" \
		"Permission denied
rc=1"
else
	skip "vmware-rpctool not installed"
fi
if command -v vmtoolsd >/dev/null && [ "$priv" = true ]; then
	out=$("$E" $A -- vmtoolsd --cmd 'info-get guestinfo.secret' 2>&1)
	ok "unmodified vmtoolsd --cmd reads the guarded key over privileged vsock" eq "$out" s3
	out=$("$E" $A --no-vsock -- vmtoolsd --cmd 'info-get guestinfo.secret' 2>&1)
	ok "... and is refused when the host has no vsock" eq "$out" "Permission denied"
else
	skip "vmtoolsd not installed, or not root"
	skip "vmtoolsd not installed, or not root"
fi

# vmtoolsd's service, unprivileged (never as root: its plugins can power off or
# step the clock of this machine), sends its RPCI over vsock instead of falling back.
if command -v vmtoolsd >/dev/null && [ "$(id -u)" = 0 ] && [ -n "$NOBODY" ]; then
	mkdir -p "$D/conf" && chmod 755 "$D/conf"
	printf '[logging]\nlog = false\n[powerops]\npoweron-script = /bin/true\npoweroff-script = /bin/true\nresume-script = /bin/true\nsuspend-script = /bin/true\n' >"$D/conf/tools.conf"
	chmod 644 "$D/conf/tools.conf"
	(cd "$D" && timeout 30 "$E" --stats-json "$D/s.json" --tclo reset --tclo ping \
		--tclo Capabilities_Register -- setpriv --reuid=65534 --regid=65534 --clear-groups -- timeout 5 vmtoolsd -n vmsvc \
		-c "$D/conf/tools.conf" >/dev/null 2>&1)
	v=$(sed -n 's/.*"vsock_rpcs": \([0-9]*\).*/\1/p' "$D/s.json" 2>/dev/null)
	ok "vmtoolsd -n vmsvc (uid 65534) sends its RPCI over vsock (${v:-0} requests)" \
		[ "${v:-0}" -gt 0 ]
else
	skip "vmtoolsd not installed, or no root and setpriv to run it as uid 65534"
fi

# A guest's own AF_VSOCK calls, as the kernel of a VMware guest answers them.
# The system's interpreter: one an unprivileged user can run too.
PY=/usr/bin/python3
[ -x "$PY" ] || PY=$(command -v python3 || echo)
if [ -n "$PY" ]; then
	cat >"$D/raw.py" <<'EOF'
import errno, socket, struct, sys
AF, CID_ANY = socket.AF_VSOCK, socket.VMADDR_CID_ANY
def pkt(payload, fields=None):
    body = struct.pack(">iiII", 1, 1, 1, 0) + struct.pack(">iiI", 2, 2, len(payload)) + payload
    return struct.pack(">I", len(body)) + body
def rpc(s, req):
    s.sendall(pkt(req))
    n = struct.unpack(">I", s.recv(4, socket.MSG_WAITALL))[0]
    body = s.recv(n, socket.MSG_WAITALL)
    i = body.index(struct.pack(">ii", 2, 2))
    ln = struct.unpack(">I", body[i + 8:i + 12])[0]
    return body[i + 12:i + 12 + ln]
def conn(port=None):
    s = socket.socket(AF, socket.SOCK_STREAM)
    if port is not None:
        s.bind((CID_ANY, port))
    s.connect((0, 976))
    return s
def refused(port):
    s = socket.socket(AF, socket.SOCK_STREAM)
    try:
        s.connect((0, port))
    except OSError as e:
        return e.errno
    return 0
what = sys.argv[1]
if what == "names":
    s = conn()
    print(s.getpeername(), s.getsockname()[1] >= 1024)
elif what == "bind":
    s = socket.socket(AF, socket.SOCK_STREAM)
    try:
        s.bind((CID_ANY, 1000))
        print("bound")
    except OSError as e:
        print(errno.errorcode[e.errno])
elif what == "inuse":
    a = conn(1023)
    b = socket.socket(AF, socket.SOCK_STREAM)
    try:
        b.bind((CID_ANY, 1023))
        print("bound twice")
    except OSError as e:
        print(errno.errorcode[e.errno])
elif what == "refused":
    print(errno.errorcode.get(refused(975)), errno.errorcode.get(refused(977)))
elif what == "hostile":
    out = []
    for bad in (struct.pack(">I", 0x7FFFFFFF) + b"x" * 64,       # length past any limit
                struct.pack(">I", 8) + struct.pack(">ii", 9, 1),   # unknown field type
                struct.pack(">I", 12) + struct.pack(">iiI", 2, 2, 0),  # empty string, no TYPE
                pkt(b"x")[:20]):                                   # cut short, then EOF
        s = conn()
        s.sendall(bad)
        if len(bad) == 20:
            s.shutdown(socket.SHUT_WR)
        s.settimeout(5)
        try:
            out.append(s.recv(1) == b"")
        except ConnectionResetError:
            out.append(True)
    s = conn()
    out.append(rpc(s, b"info-get guestinfo.x") == b"1 alive")
    print(out)
elif what == "cstring":
    s = conn()
    print(rpc(s, b"info-get guestinfo.x\0"), rpc(s, b"info-set guestinfo.y v\0"),
          rpc(s, b"info-get guestinfo.y"))
EOF
	r() { "$E" --set guestinfo.x=alive -- "$PY" "$D/raw.py" "$@" 2>&1; }
	ok "getpeername: the hypervisor's port 976; getsockname: an ephemeral port" \
		eq "$(r names)" "(0, 976) True"
	if [ "$priv" = true ]; then
		ok "bind below 1024 as root" eq "$(r bind)" bound
		ok "bind below 1024 as nobody: EACCES" \
			eq "$("$E" -- $NOBODY "$PY" "$D/raw.py" bind 2>&1)" EACCES
		ok "a bound privileged port is in use" eq "$(r inuse)" EADDRINUSE
	else
		ok "bind below 1024 without CAP_NET_BIND_SERVICE: EACCES" eq "$(r bind)" EACCES
		skip "needs root"
		skip "needs root"
	fi
	ok "TCLO (975) and other ports are refused" eq "$(r refused)" "ECONNREFUSED ECONNREFUSED"
	ok "malformed packets drop their connection; the host serves the next one" \
		eq "$(r hostile)" "[True, True, True, True, True]"
	ok "vsock RPCI is read as a C string, as the backdoor's" \
		eq "$(r cstring)" "b'1 alive' b'1 ' b'1 v'"
else
	for i in 1 2 3 4 5 6 7; do skip "python3 not installed"; done
fi

echo "1..$n"
exit $fail
