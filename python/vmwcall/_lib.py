# SPDX-License-Identifier: MIT
"""Loading libvmwcall.so and declaring its C signatures (ctypes)."""

import ctypes
import ctypes.util
import os

c_int, c_uint, c_u32, c_u64, c_size = (ctypes.c_int, ctypes.c_uint, ctypes.c_uint32,
                                       ctypes.c_uint64, ctypes.c_size_t)
P = ctypes.POINTER


class Info(ctypes.Structure):
    """struct vmw_info (detect.h)."""
    _fields_ = [("vmware", c_int), ("cpuid_vmware", c_int), ("tdx", c_int),
                ("hv_sig", ctypes.c_char * 13), ("transport", c_uint),
                ("version", c_u32), ("type", c_u32), ("tsc_khz", c_u32),
                ("apic_khz", c_u32)]


class Time(ctypes.Structure):
    """struct vmw_time (cmd.h)."""
    _fields_ = [("sec", c_u64), ("usec", c_u32), ("max_lag_us", c_u32), ("full", c_int)]


def _candidates():
    """Where to look, in order: $VMWCALL_LIB, the build tree, the system."""
    env = os.environ.get("VMWCALL_LIB")
    if env:
        # Asked for one file: do not fall back to another library silently.
        return [env]
    here = os.path.dirname(os.path.abspath(__file__))
    tree = os.path.join(here, "..", "..", "build", "libvmwcall.so.0")
    found = [tree] if os.path.exists(tree) else []
    name = ctypes.util.find_library("vmwcall")
    return found + ([name] if name else []) + ["libvmwcall.so.0"]


def _load():
    errors = []
    for path in _candidates():
        try:
            return ctypes.CDLL(path)
        except OSError as e:
            errors.append(str(e))
    raise ImportError("vmwcall: cannot load libvmwcall.so (set VMWCALL_LIB): "
                      + "; ".join(errors))


# (name, restype, argtypes) of every function the module calls.
_SIGNATURES = [
    ("vmw_detect", c_int, [P(Info), c_size, c_uint]),
    ("vmw_set_present", None, [c_int]),
    ("vmw_transport_name", ctypes.c_char_p, [c_uint]),
    ("vmw_strerror", ctypes.c_char_p, [c_int]),
    ("vmw_get_version", c_int, [P(c_u32), P(c_u32)]),
    ("vmw_get_mhz", c_int, [P(c_u32)]),
    ("vmw_get_hz", c_int, [P(c_u64), P(c_u32)]),
    ("vmw_get_host_time", c_int, [P(Time), c_size]),
    ("vmw_get_uuid", c_int, [ctypes.c_char_p]),
    ("vmw_get_memsize", c_int, [P(c_u32), P(c_uint)]),
    ("vmw_get_vcpu_info", c_int, [P(c_u32)]),
    ("vmw_stealclock_enable", c_int, [c_u64]),
    ("vmw_stealclock_disable", c_int, []),
    ("vmw_chan_open", c_int, [P(ctypes.c_void_p), c_u32]),
    ("vmw_chan_open_via", c_int, [P(ctypes.c_void_p), c_u32, c_uint]),
    ("vmw_chan_via", c_uint, [ctypes.c_void_p]),
    ("vmw_chan_set_timeout", None, [ctypes.c_void_p, c_uint]),
    ("vmw_chan_close", c_int, [ctypes.c_void_p]),
    ("vmw_chan_set_max_reply", None, [ctypes.c_void_p, c_size]),
    ("vmw_chan_send", c_int, [ctypes.c_void_p, ctypes.c_char_p, c_size]),
    ("vmw_chan_recv", c_int, [ctypes.c_void_p, P(ctypes.c_void_p), P(c_size)]),
    ("vmw_rpci_call", c_int, [ctypes.c_void_p, ctypes.c_char_p, c_size,
                              P(ctypes.c_void_p), P(c_size)]),
    ("vmw_info_get", c_int, [ctypes.c_void_p, ctypes.c_char_p,
                             P(ctypes.c_void_p), P(c_size)]),
    ("vmw_info_set", c_int, [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_char_p, c_size]),
    ("vmw_log", c_int, [ctypes.c_void_p, ctypes.c_char_p]),
    ("vmw_tclo_poll", c_int, [ctypes.c_void_p, ctypes.c_char_p, c_size,
                              P(ctypes.c_void_p), P(c_size)]),
]

lib = _load()
for _name, _res, _args in _SIGNATURES:
    _f = getattr(lib, _name)
    _f.restype, _f.argtypes = _res, _args

# The library's replies are malloc'd in this process; the C library frees them.
_libc = ctypes.CDLL(None)
_libc.free.restype, _libc.free.argtypes = None, [ctypes.c_void_p]


def take(ptr, length):
    """The bytes of a malloc'd reply; frees it."""
    if not ptr.value:
        return b""
    try:
        return ctypes.string_at(ptr.value, length.value)
    finally:
        _libc.free(ptr.value)
