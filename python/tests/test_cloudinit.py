# SPDX-License-Identifier: MIT
"""Debian's cloud-init DataSourceVMware reading guestinfo through vmwcall
(under vmwcall-emu with guestinfo.metadata, .metadata.encoding,
.userdata preset by t_python.sh)."""

import base64
import json
import os
import sys
import tempfile
import unittest
from unittest import mock

import vmwcall
import vmwcall.cloudinit

try:
    from cloudinit import helpers
    from cloudinit.sources import DataSourceVMware as ds
except ImportError:
    ds = None

METADATA = {"instance-id": "i-vmwcall", "local-hostname": "emu-guest",
            "redact": ["userdata"]}
USERDATA = "#cloud-config\nruncmd: [echo hi]"


def presets(d):
    """t_python.sh's --set arguments for this test, the values in files in d."""
    values = {"metadata": base64.b64encode(json.dumps(METADATA).encode()).decode(),
              "metadata.encoding": "base64", "userdata": USERDATA}
    for k, v in values.items():
        with open(os.path.join(d, k), "w") as f:
            f.write(v)
    return ["guestinfo.%s=@%s" % (k, os.path.join(d, k)) for k in values]


@unittest.skipIf(ds is None, "cloud-init is not installed")
class CloudInit(unittest.TestCase):
    def setUp(self):
        self.saved = ds.subp, ds.VMWARE_RPCTOOL
        self.adapter = vmwcall.cloudinit.use(ds)
        # Forking would defeat the point: fail if anything still execs rpctool.
        self.forks = mock.patch("subprocess.Popen", side_effect=AssertionError("forked"))
        self.forks.start()

    def tearDown(self):
        self.forks.stop()
        ds.subp, ds.VMWARE_RPCTOOL = self.saved
        self.adapter.close()

    def test_guestinfo_get_and_set(self):
        self.assertEqual(ds.guestinfo_get_value("metadata.encoding", ds.VMWARE_RPCTOOL),
                         "base64")
        self.assertIsNone(ds.guestinfo_get_value("vendordata", ds.VMWARE_RPCTOOL))
        self.assertTrue(ds.guestinfo_set_value("ci.state", "done", ds.VMWARE_RPCTOOL))
        self.assertEqual(vmwcall.info_get("ci.state"), b"done")

    def test_data_source_reads_metadata_and_userdata(self):
        with tempfile.TemporaryDirectory() as d, \
                mock.patch.object(ds.dmi, "read_dmi_data", return_value="VMware7,1"):
            src = ds.DataSourceVMware({}, None, helpers.Paths({"run_dir": d,
                                                               "cloud_dir": d}))
            self.assertTrue(src._get_data())
        self.assertEqual(src.data_access_method, "guestinfo")
        self.assertEqual(src.metadata["instance-id"], "i-vmwcall")
        self.assertEqual(src.metadata["local-hostname"], "emu-guest")
        self.assertEqual(src.userdata_raw, USERDATA)
        # metadata asked cloud-init to redact userdata: it wrote "---" through us.
        self.assertEqual(vmwcall.info_get("userdata"), b"---")


if __name__ == "__main__":
    print("\n".join(presets(sys.argv[1])))
