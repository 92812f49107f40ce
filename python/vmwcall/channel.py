# SPDX-License-Identifier: MIT
"""GuestRPC (rpc.h): a kept Channel, and one-shot calls on a fresh one."""

import ctypes
import threading

from ._lib import lib, take
from .errors import EINVAL, Error, check

PROTO_RPCI = 0x49435052
PROTO_TCLO = 0x4F4C4354
VIA_AUTO, VIA_BACKDOOR, VIA_VSOCK, VIA_PRIV = 0, 1, 2, 4


def _bytes(s):
    return s.encode() if isinstance(s, str) else bytes(s)


def _rpci(chan, req):
    req = _bytes(req)
    out, n = ctypes.c_void_p(), ctypes.c_size_t()
    rc = lib.vmw_rpci_call(chan, req, len(req), ctypes.byref(out), ctypes.byref(n))
    reply = take(out, n)
    check(rc, "rpc %r" % req.split(b" ", 1)[0], reply)
    return reply


def _info_get(chan, key):
    out, n = ctypes.c_void_p(), ctypes.c_size_t()
    rc = lib.vmw_info_get(chan, _bytes(key), ctypes.byref(out), ctypes.byref(n))
    reply = take(out, n)
    check(rc, "info_get %s" % key, reply)
    return reply


def _info_set(chan, key, value):
    value = _bytes(value)
    check(lib.vmw_info_set(chan, _bytes(key), value, len(value)), "info_set %s" % key)


def _log(chan, text):
    check(lib.vmw_log(chan, _bytes(text)), "log")


class Channel:
    """A kept GuestRPC channel: one open for many calls.  Use it as a
    context manager, or close() it.  Calls on one Channel are serialized.
    via: VIA_AUTO (vsock for RPCI where the guest has VMCI, else the
    backdoor), VIA_BACKDOOR or VIA_VSOCK."""

    def __init__(self, proto=PROTO_RPCI, via=VIA_AUTO):
        self._c = ctypes.c_void_p()
        self._lock = threading.Lock()
        check(lib.vmw_chan_open_via(ctypes.byref(self._c), proto, via), "open channel")

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        if getattr(self, "_c", None) and self._c.value:
            lib.vmw_chan_close(self._c)

    def _chan(self):
        if not self._c.value:
            raise Error(EINVAL, "channel is closed")
        return self._c

    def close(self):
        """Close the channel (again is a no-op); Error if the host refused."""
        with self._lock:
            c, self._c = self._c, ctypes.c_void_p()
            if c.value:
                check(lib.vmw_chan_close(c), "close channel")

    @property
    def via(self):
        """VIA_BACKDOOR, or VIA_VSOCK (| VIA_PRIV from a privileged port)."""
        with self._lock:
            return lib.vmw_chan_via(self._chan())

    def set_timeout(self, ms):
        """Bound a vsock channel's waits (default 10 s)."""
        with self._lock:
            lib.vmw_chan_set_timeout(self._chan(), ms)

    def set_max_reply(self, n):
        """Largest reply accepted (default 1 MiB + 4 KiB)."""
        with self._lock:
            lib.vmw_chan_set_max_reply(self._chan(), n)

    def send(self, msg):
        """Send one raw message (bytes)."""
        msg = _bytes(msg)
        with self._lock:
            check(lib.vmw_chan_send(self._chan(), msg, len(msg)), "send")

    def recv(self):
        """The host's pending raw message (bytes; b"" if none)."""
        p, n = ctypes.c_void_p(), ctypes.c_size_t()
        with self._lock:
            check(lib.vmw_chan_recv(self._chan(), ctypes.byref(p), ctypes.byref(n)), "recv")
            return ctypes.string_at(p.value, n.value) if n.value else b""

    def rpc(self, command):
        """RPCI: the reply's bytes after "1 "; HostError(.reply) on "0 "."""
        with self._lock:
            return _rpci(self._chan(), command)

    def rpc_str(self, command):
        return self.rpc(command).decode()

    def info_get(self, key):
        """guestinfo value of key (with or without "guestinfo."), bytes."""
        with self._lock:
            return _info_get(self._chan(), key)

    def info_get_str(self, key):
        return self.info_get(key).decode()

    def info_set(self, key, value):
        """Set guestinfo key to value (bytes or str)."""
        with self._lock:
            _info_set(self._chan(), key, value)

    def log(self, text):
        """Write text to the VM's log."""
        with self._lock:
            _log(self._chan(), text)

    def tclo_poll(self, result=b""):
        """TCLO: send the previous command's result, fetch the next command
        (bytes; b"" if none).  The channel must be opened with PROTO_TCLO."""
        result = _bytes(result)
        p, n = ctypes.c_void_p(), ctypes.c_size_t()
        with self._lock:
            check(lib.vmw_tclo_poll(self._chan(), result, len(result),
                                    ctypes.byref(p), ctypes.byref(n)), "tclo_poll")
            return ctypes.string_at(p.value, n.value) if n.value else b""


# One-shot calls: each opens a channel and closes it after (chan NULL).
def rpc(command):
    """RPCI on a fresh channel: reply bytes; HostError(.reply) on "0 "."""
    return _rpci(None, command)


def rpc_str(command):
    return rpc(command).decode()


def info_get(key):
    """guestinfo value of key, bytes; HostError if unset."""
    return _info_get(None, key)


def info_get_str(key):
    return info_get(key).decode()


def info_set(key, value):
    _info_set(None, key, value)


def log(text):
    _log(None, text)


__all__ = ["Channel", "PROTO_RPCI", "PROTO_TCLO", "VIA_AUTO", "VIA_BACKDOOR", "VIA_VSOCK",
           "VIA_PRIV", "rpc", "rpc_str", "info_get",
           "info_get_str", "info_set", "log"]
