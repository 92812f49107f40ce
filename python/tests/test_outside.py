# SPDX-License-Identifier: MIT
"""The module outside VMware (no emulator): clear errors, no fault."""

import os
import subprocess
import sys
import tempfile
import unittest

import vmwcall
import vmwcall.cloudinit

try:
    from cloudinit.sources import DataSourceVMware as ds
except ImportError:
    ds = None


class Outside(unittest.TestCase):
    def test_detect_says_no(self):
        self.assertFalse(vmwcall.detect().vmware)

    def test_calls_raise_not_vmware(self):
        for call in (lambda: vmwcall.info_get("x"), lambda: vmwcall.rpc(b"log x"),
                     vmwcall.Channel, vmwcall.get_version, vmwcall.get_uuid):
            with self.assertRaises(vmwcall.NotVMware) as cm:
                call()
            self.assertEqual(cm.exception.code, vmwcall.ENOTVMWARE)

    def test_error_codes_are_the_librarys(self):
        codes = [getattr(vmwcall, n) for n in dir(vmwcall)
                 if n.startswith("E") and isinstance(getattr(vmwcall, n), int)]
        self.assertEqual(sorted(codes), list(range(-11, 0)))
        texts = {vmwcall.strerror(c) for c in codes}
        self.assertEqual(len(texts), len(codes))
        self.assertNotIn(vmwcall.strerror(-1000), texts)

    def test_numbers_are_the_headers(self):
        """The module's constants are the C headers' own (compiled and printed)."""
        from vmwcall import channel, commands, errors
        names = {"VMW_PROTO_RPCI": channel.PROTO_RPCI, "VMW_PROTO_TCLO": channel.PROTO_TCLO,
                 "VMW_VIA_AUTO": channel.VIA_AUTO, "VMW_VIA_BACKDOOR": channel.VIA_BACKDOOR,
                 "VMW_VIA_VSOCK": channel.VIA_VSOCK, "VMW_VIA_PRIV": channel.VIA_PRIV,
                 "VMW_DETECT_PROBE": commands.DETECT_PROBE,
                 "VMW_MEMSIZE_MB": commands.MEMSIZE_MB, "VMW_MEMSIZE_QEMU": commands.MEMSIZE_QEMU}
        for t in ("EXPRESS", "ESX", "SERVER", "WORKSTATION", "ACE"):
            names["VMW_TYPE_" + t] = getattr(commands, "TYPE_" + t)
        for e in [n for n in dir(errors) if n.startswith("E") and n.isupper()]:
            names["VMW_" + e] = getattr(errors, e)
        inc = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "include")
        src = ("#include <stdio.h>\n#include \"vmwcall/cmd.h\"\n#include \"vmwcall/detect.h\"\n"
               "#include \"vmwcall/rpc.h\"\nint main(void) {\n" +
               "".join('printf("%%lld\\n", (long long)%s);\n' % n for n in names) + "}\n")
        with tempfile.TemporaryDirectory() as d:
            with open(os.path.join(d, "n.c"), "w") as f:
                f.write(src)
            subprocess.run(["cc", "-I", inc, "-o", os.path.join(d, "n"), os.path.join(d, "n.c")],
                           check=True)
            got = subprocess.run([os.path.join(d, "n")], capture_output=True, text=True,
                                 check=True).stdout.split()
        self.assertEqual(dict(zip(names, map(int, got))), names)

    def test_missing_library_is_a_clear_import_error(self):
        env = dict(os.environ, VMWCALL_LIB="/nonexistent/libvmwcall.so.0")
        r = subprocess.run([sys.executable, "-c", "import vmwcall"], env=env,
                           capture_output=True, text=True)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("cannot load libvmwcall.so", r.stderr)

    @unittest.skipIf(ds is None, "cloud-init is not installed")
    def test_cloudinit_adapter_outside_vmware(self):
        saved = ds.subp, ds.VMWARE_RPCTOOL
        try:
            adapter = vmwcall.cloudinit.use(ds)    # opens nothing yet: no error here
            with self.assertRaises(ds.ProcessExecutionError) as cm:
                ds.subp([ds.VMWARE_RPCTOOL, "info-get guestinfo.metadata"])
            self.assertIn("Not running on a VMware hypervisor", cm.exception.stderr)
            with self.assertLogs(ds.LOG.name if hasattr(ds.LOG, "name") else None):
                self.assertIsNone(ds.guestinfo_get_value("metadata", ds.VMWARE_RPCTOOL))
            adapter.close()
        finally:
            ds.subp, ds.VMWARE_RPCTOOL = saved


if __name__ == "__main__":
    unittest.main()
