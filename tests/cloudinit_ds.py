# Build one of cloud-init's VMware data sources as its own unit tests do
# (temporary paths, a Debian distro), call _get_data() and print what it
# found.  Run by t_cloudinit.sh under vmwcall-emu.
import json
import shutil
import sys
import tempfile

from cloudinit import distros, dmi, helpers
from cloudinit.sources import DataSourceOVF, DataSourceVMware
from cloudinit.sources.helpers.vmware.imc import guestcust_util as gcu
from cloudinit.sources.helpers.vmware.imc.guestcust_error import GuestCustErrorEnum
from cloudinit.sources.helpers.vmware.imc.guestcust_event import GuestCustEventEnum
from cloudinit.sources.helpers.vmware.imc.guestcust_state import GuestCustStateEnum

# A container (CI runners often are one) turns cloud-init's DMI reader off; a
# VMware VM is no container, and the emulator does not hide one, so the
# check answers as in a VM.  Everything else is cloud-init's own code.
dmi.is_container = lambda: False

if sys.argv[1] == "deploypkg":
    # What guest customization reports to the host, through vmware-rpctool:
    # the NIC handshake (enable_nics gives up after 25 s without the host's
    # "queryNicsSupported" and "connected"), then the final status.
    run = GuestCustStateEnum.GUESTCUST_STATE_RUNNING
    for ev in (GuestCustEventEnum.GUESTCUST_EVENT_ENABLE_NICS,
               GuestCustEventEnum.GUESTCUST_EVENT_QUERY_NICS):
        print(gcu.set_customization_status(run, ev, "eth0")[0])
    gcu.enable_nics("eth0")
    gcu.set_customization_status(GuestCustStateEnum.GUESTCUST_STATE_DONE,
                                 GuestCustErrorEnum.GUESTCUST_ERROR_SUCCESS)
    sys.exit(0)

tmp = tempfile.mkdtemp()
try:
    paths = helpers.Paths({"cloud_dir": tmp, "run_dir": tmp})
    distro = distros.fetch("debian")("debian", {}, paths)
    if sys.argv[1] == "vmware":
        ds = DataSourceVMware.DataSourceVMware({}, distro, paths)
        print(ds._get_data(), ds.data_access_method)
        print(json.dumps(ds.metadata, sort_keys=True))
        print(ds.userdata_raw)
    else:
        # Guest customization off, as on a VM deployed from an OVF template
        # with vApp properties: the OVF transports are read.
        cfg = {"disable_vmware_customization": True,
               "datasource": {"OVF": {"allow_raw_data": False}}}
        ds = DataSourceOVF.DataSourceOVF(cfg, distro, paths)
        print(ds._get_data(), ds.seed)
        print(json.dumps(ds.metadata, sort_keys=True))
        print(ds.userdata_raw)
finally:
    shutil.rmtree(tmp)
