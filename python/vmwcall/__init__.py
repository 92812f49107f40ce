# SPDX-License-Identifier: MIT
"""vmwcall: the VMware backdoor from Python, through libvmwcall.so (ctypes).

    import vmwcall
    if vmwcall.detect().vmware:
        print(vmwcall.info_get_str("guestinfo.metadata"))
        with vmwcall.Channel() as ch:          # one channel, many calls
            ch.info_set("guestinfo.state", "ready")

Bytes in and out (rpc, info_get, Channel.send/recv); *_str helpers for
text.  Failures raise vmwcall.Error (HostError, NotVMware, ...) whose
.code is the library's enum vmw_err.  The library is found through
$VMWCALL_LIB, then the source tree's build/, then the system.
"""

from .channel import (PROTO_RPCI, PROTO_TCLO, VIA_AUTO, VIA_BACKDOOR, VIA_PRIV, VIA_VSOCK,
                      Channel, info_get, info_get_str, info_set,
                      log, rpc, rpc_str)
from .commands import (MEMSIZE_MB, MEMSIZE_QEMU, TYPE_ACE, TYPE_ESX, TYPE_EXPRESS,
                       TYPE_SERVER, TYPE_WORKSTATION, Detected, HostTime, MemSize, detect,
                       get_host_time, get_hz, get_memsize, get_mhz, get_uuid, get_vcpu_info,
                       get_version, set_present, stealclock_disable, stealclock_enable)
from .errors import (ECHANNEL, ECHECKPOINT, EHOST, EINVAL, EIO, ENOMEM, ENOTVMWARE, EPROTO,
                     ETIMEDOUT, ETOOBIG, EUNSUPPORTED, Error, HostError, NotVMware, Unsupported, strerror)

__all__ = [n for n in dir() if not n.startswith("_") and n not in ("channel", "commands",
                                                                   "errors")]
