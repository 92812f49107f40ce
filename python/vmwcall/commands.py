# SPDX-License-Identifier: MIT
"""Detection and the typed LB commands (detect.h, cmd.h)."""

import collections
import ctypes

from ._lib import Info, Time, lib
from .errors import check

DETECT_PROBE = 1
TYPE_EXPRESS, TYPE_ESX, TYPE_SERVER, TYPE_WORKSTATION, TYPE_ACE = 1, 2, 3, 4, 5
MEMSIZE_MB, MEMSIZE_QEMU = 0, 1

Detected = collections.namedtuple(
    "Detected", "vmware cpuid_vmware tdx hv_sig transport version type tsc_khz apic_khz")
Detected.__doc__ = "struct vmw_info; transport is its name ('io', 'vmcall', ...)."
HostTime = collections.namedtuple("HostTime", "sec usec max_lag_us full")
MemSize = collections.namedtuple("MemSize", "mb how")


def detect(probe=True):
    """Is this a VMware VM?  Never faults; probe=False makes no hypercall
    without the CPUID signature.  A Detected tuple; .vmware says it."""
    i = Info()
    lib.vmw_detect(ctypes.byref(i), ctypes.sizeof(i), DETECT_PROBE if probe else 0)
    return Detected(bool(i.vmware), bool(i.cpuid_vmware), bool(i.tdx),
                    i.hv_sig.decode(errors="replace"),
                    lib.vmw_transport_name(i.transport).decode(),
                    i.version, i.type, i.tsc_khz, i.apic_khz)


def set_present(present):
    """vmw_set_present(): True, False, or None to forget and probe again."""
    lib.vmw_set_present(-1 if present is None else int(bool(present)))


def _u32():
    return ctypes.c_uint32()


def get_version():
    """GETVERSION: (version, product type)."""
    v, t = _u32(), _u32()
    check(lib.vmw_get_version(ctypes.byref(v), ctypes.byref(t)), "get_version")
    return v.value, t.value


def get_mhz():
    """GETMHZ: processor speed in MHz."""
    m = _u32()
    check(lib.vmw_get_mhz(ctypes.byref(m)), "get_mhz")
    return m.value


def get_hz():
    """GETHZ: (TSC Hz, APIC bus Hz)."""
    tsc, apic = ctypes.c_uint64(), _u32()
    check(lib.vmw_get_hz(ctypes.byref(tsc), ctypes.byref(apic)), "get_hz")
    return tsc.value, apic.value


def get_host_time():
    """GETTIMEFULL (or GETTIME): HostTime(sec, usec, max_lag_us, full)."""
    t = Time()
    check(lib.vmw_get_host_time(ctypes.byref(t), ctypes.sizeof(t)), "get_host_time")
    return HostTime(t.sec, t.usec, t.max_lag_us, bool(t.full))


def get_uuid():
    """GETUUID: the BIOS UUID, 16 bytes in SMBIOS order."""
    buf = ctypes.create_string_buffer(16)
    check(lib.vmw_get_uuid(buf), "get_uuid")
    return buf.raw


def get_memsize():
    """GETMEMSIZE: MemSize(mb, how); how is MEMSIZE_MB or MEMSIZE_QEMU."""
    mb, how = _u32(), ctypes.c_uint()
    check(lib.vmw_get_memsize(ctypes.byref(mb), ctypes.byref(how)), "get_memsize")
    return MemSize(mb.value, how.value)


def get_vcpu_info():
    """GET_VCPU_INFO: the VMW_VCPU_* bits."""
    b = _u32()
    check(lib.vmw_get_vcpu_info(ctypes.byref(b)), "get_vcpu_info")
    return b.value


def stealclock_enable(pa):
    """STEALCLOCK at physical address pa (ring 0 on a real host)."""
    check(lib.vmw_stealclock_enable(pa), "stealclock_enable")


def stealclock_disable():
    """STEALCLOCK off."""
    check(lib.vmw_stealclock_disable(), "stealclock_disable")
