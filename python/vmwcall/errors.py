# SPDX-License-Identifier: MIT
"""Exceptions carrying the library's error codes (enum vmw_err, error.h)."""

from ._lib import lib

# The ABI's values; tests check each against vmw_strerror().
ENOTVMWARE = -1
EUNSUPPORTED = -2
EPROTO = -3
ETOOBIG = -4
ECHANNEL = -5
ECHECKPOINT = -6
ENOMEM = -7
EHOST = -8
EINVAL = -9
EIO = -10
ETIMEDOUT = -11


def strerror(code):
    """The library's description of an error code."""
    return lib.vmw_strerror(code).decode()


class Error(Exception):
    """A libvmwcall call failed; .code is the negative enum vmw_err."""

    def __init__(self, code, what=""):
        self.code = code
        super().__init__("%s%s (%d)" % (what + ": " if what else "", strerror(code), code))


class NotVMware(Error):
    """VMW_ENOTVMWARE: no VMware backdoor answered."""


class Unsupported(Error):
    """VMW_EUNSUPPORTED: the host does not implement the command."""


class HostError(Error):
    """VMW_EHOST: the host answered "0 ..."; .reply holds its text (bytes)."""

    def __init__(self, code, what="", reply=b""):
        self.reply = reply
        super().__init__(code, what)

    def __str__(self):
        return "%s: %s" % (super().__str__(), self.reply.decode(errors="replace"))


_CLASSES = {ENOTVMWARE: NotVMware, EUNSUPPORTED: Unsupported, EHOST: HostError}


def check(rc, what, reply=None):
    """Raise the exception for a negative rc; return rc otherwise."""
    if rc >= 0:
        return rc
    cls = _CLASSES.get(rc, Error)
    if cls is HostError:
        raise HostError(rc, what, reply if reply is not None else b"")
    raise cls(rc, what)
