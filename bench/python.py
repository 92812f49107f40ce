# SPDX-License-Identifier: MIT
"""10 guestinfo keys read from one Python process, as cloud-init reads
them: through the vmwcall module (a kept Channel, and a fresh channel per
key), and by forking vmware-rpctool, `vmwcall rpc` and `vmtoolsd --cmd`
once per key.  Run under vmwcall-emu by bench/python.sh, which presets
guestinfo.k0..k9; emulator start-up is outside every figure."""

import os
import shutil
import statistics
import subprocess
import sys
import time

import vmwcall

KEYS = ["guestinfo.k%d" % i for i in range(10)]


def module_kept():
    with vmwcall.Channel() as ch:
        return [ch.info_get(k) for k in KEYS]


def module_oneshot():
    return [vmwcall.info_get(k) for k in KEYS]


def forking(argv):
    def run():
        return [subprocess.run(argv + ["info-get " + k], check=True,
                               stdout=subprocess.PIPE).stdout.rstrip(b"\n") for k in KEYS]
    return run


def median_ms(fn, rounds):
    want = [("v%d" % i).encode() for i in range(10)]
    times = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        got = fn()
        times.append(time.perf_counter() - t0)
        if got != want:
            raise SystemExit("bench: wrong values %r" % got[:3])
    return statistics.median(times) * 1e3


def main():
    vmwcall_cli = os.path.join(os.path.dirname(os.environ["VMWCALL_LIB"]), "vmwcall")
    ways = [("vmwcall module, one kept Channel", module_kept, 51),
            ("vmwcall module, a channel per key", module_oneshot, 51),
            ("fork vmware-rpctool per key", shutil.which("vmware-rpctool"), 11),
            ("fork vmwcall rpc per key", vmwcall_cli, 11),
            ("fork vmtoolsd --cmd per key", shutil.which("vmtoolsd"), 1)]
    print("10 guestinfo reads from one python3 under vmwcall-emu (median of N rounds):")
    base, figures = None, {}
    for name, how, rounds in ways:
        if how is None:
            print("  %-36s (not installed)" % name)
            continue
        if isinstance(how, str):
            argv = [how, "rpc"] if how == vmwcall_cli else [how]
            how = forking(argv + ["--cmd"] if argv[0].endswith("vmtoolsd") else argv)
        ms = median_ms(how, rounds)
        base = base or ms
        figures[name] = ms
        print("  %-36s %9.2f ms  %7.1fx  (N=%d)" % (name, ms, ms / base, rounds))
    rpctool = figures.get("fork vmware-rpctool per key")
    if rpctool:
        print("  module (kept Channel) vs forking vmware-rpctool: %.1fx faster (goal 10x)"
              % (rpctool / base))
    return 0


if __name__ == "__main__":
    sys.exit(main())
