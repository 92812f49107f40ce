# SPDX-License-Identifier: MIT
"""cloud-init's VMware data source reading guestinfo through vmwcall.

cloud-init (cloudinit/sources/DataSourceVMware.py) forks vmware-rpctool
once per key through its module-level subp().  use(ds_module) replaces
that subp with one that answers rpctool's commands through one kept
Channel (opened at the first command, so use() is harmless outside
VMware), as rpctool would: (stdout, stderr) on success, and
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


class Adapter:
    """Holds the channel use() routes through; close() it when done."""

    def __init__(self, channel=None):
        self.channel = channel

    def rpc_str(self, command):
        if self.channel is None:
            self.channel = Channel()
        return self.channel.rpc_str(command)

    def close(self):
        if self.channel is not None:
            self.channel.close()


def make_subp(ds_module, adapter):
    """A subp() for ds_module answering [rpctool, COMMAND] through adapter."""
    original = ds_module.subp
    tools = {ARGV0, ds_module.VMWARE_RPCTOOL}

    def subp(args, *a, **kw):
        if not isinstance(args, (list, tuple)) or len(args) != 2 or args[0] not in tools:
            return original(args, *a, **kw)
        try:
            return adapter.rpc_str(args[1]), ""
        except errors.HostError as e:
            raise ds_module.ProcessExecutionError(
                stdout="", stderr=e.reply.decode(errors="replace"), exit_code=1,
                cmd=args) from e
        except errors.Error as e:
            raise ds_module.ProcessExecutionError(
                stdout="", stderr=str(e), exit_code=1, cmd=args) from e

    return subp


def use(ds_module, channel=None):
    """Route ds_module's rpctool calls through channel (one opened at the
    first call if None); returns the Adapter.  Data sources created
    afterwards use it even where vmware-rpctool is not installed."""
    adapter = Adapter(channel)
    ds_module.subp = make_subp(ds_module, adapter)
    if not ds_module.VMWARE_RPCTOOL:
        ds_module.VMWARE_RPCTOOL = ARGV0
    return adapter
