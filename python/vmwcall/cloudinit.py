# SPDX-License-Identifier: MIT
"""cloud-init's VMware data source reading guestinfo through vmwcall.

cloud-init (cloudinit/sources/DataSourceVMware.py) forks vmware-rpctool
once per key through its module-level subp().  use(ds_module) replaces
that subp with one that answers rpctool's commands through one kept
Channel, as rpctool would: (stdout, stderr) on success, and
ProcessExecutionError with the host's text on stderr and exit code 1 on
"0 ...".  Other commands go to the original subp.  Nothing of cloud-init
is copied; it stays the caller's.

    from cloudinit.sources import DataSourceVMware
    import vmwcall.cloudinit
    vmwcall.cloudinit.use(DataSourceVMware)
"""

from . import errors
from .channel import Channel

ARGV0 = "vmware-rpctool"


def make_subp(ds_module, channel):
    """A subp() for ds_module answering [rpctool, COMMAND] over channel."""
    original = ds_module.subp
    tools = {ARGV0, ds_module.VMWARE_RPCTOOL}

    def subp(args, *a, **kw):
        if not isinstance(args, (list, tuple)) or len(args) != 2 or args[0] not in tools:
            return original(args, *a, **kw)
        try:
            return channel.rpc_str(args[1]), ""
        except errors.HostError as e:
            raise ds_module.ProcessExecutionError(
                stdout="", stderr=e.reply.decode(errors="replace"), exit_code=1,
                cmd=args) from e
        except errors.Error as e:
            raise ds_module.ProcessExecutionError(
                stdout="", stderr=str(e), exit_code=1, cmd=args) from e

    return subp


def use(ds_module, channel=None):
    """Route ds_module's rpctool calls through channel (a new Channel if
    None); returns the channel.  Data sources created afterwards use it
    even where vmware-rpctool is not installed."""
    channel = channel or Channel()
    ds_module.subp = make_subp(ds_module, channel)
    if not ds_module.VMWARE_RPCTOOL:
        ds_module.VMWARE_RPCTOOL = ARGV0
    return channel
