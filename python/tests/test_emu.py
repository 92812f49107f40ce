# SPDX-License-Identifier: MIT
"""The module against vmwcall-emu; t_python.sh runs this with the presets below:
--set guestinfo.greeting=hello --uuid 00112233-4455-6677-8899-aabbccddeeff
--memsize 3072 --mhz 2500 --type 2 --tclo reset"""

import threading
import unittest

import vmwcall


class Emu(unittest.TestCase):
    def test_detect(self):
        d = vmwcall.detect()
        self.assertTrue(d.vmware)
        self.assertEqual((d.version, d.type), (6, vmwcall.TYPE_ESX))
        self.assertEqual(d.transport, "io")

    def test_typed_commands(self):
        self.assertEqual(vmwcall.get_version(), (6, vmwcall.TYPE_ESX))
        self.assertEqual(vmwcall.get_mhz(), 2500)
        self.assertEqual(vmwcall.get_memsize(), (3072, vmwcall.MEMSIZE_MB))
        self.assertEqual(vmwcall.get_uuid(), bytes.fromhex("00112233445566778899aabbccddeeff"))
        t = vmwcall.get_host_time()
        self.assertTrue(t.full and t.sec > 1600000000 and t.usec < 1000000)
        tsc, apic = vmwcall.get_hz()
        self.assertGreater(tsc, 0)
        self.assertIsInstance(vmwcall.get_vcpu_info(), int)

    def test_info_get(self):
        self.assertEqual(vmwcall.info_get("greeting"), b"hello")
        self.assertEqual(vmwcall.info_get("guestinfo.greeting"), b"hello")
        self.assertEqual(vmwcall.info_get_str("greeting"), "hello")

    def test_info_unset_is_host_error(self):
        with self.assertRaises(vmwcall.HostError) as cm:
            vmwcall.info_get("never.set")
        self.assertEqual(cm.exception.code, vmwcall.EHOST)
        self.assertEqual(cm.exception.reply, b"No value found")

    def test_info_set_binary_round_trip(self):
        value = bytes(range(1, 256)) * 4
        vmwcall.info_set("bin", value)
        self.assertEqual(vmwcall.info_get("bin"), value)
        vmwcall.info_set("text", "gr\u00fc\u00dfe")
        self.assertEqual(vmwcall.info_get_str("text"), "gr\u00fc\u00dfe")

    def test_rpc(self):
        self.assertEqual(vmwcall.rpc(b"info-get guestinfo.greeting"), b"hello")
        self.assertEqual(vmwcall.rpc_str("info-get guestinfo.greeting"), "hello")
        with self.assertRaises(vmwcall.HostError) as cm:
            vmwcall.rpc("no-such-command")
        self.assertTrue(cm.exception.reply)

    def test_too_big_is_refused_and_channel_survives(self):
        with vmwcall.Channel() as ch:
            with self.assertRaises(vmwcall.Error) as cm:
                ch.info_set("big", b"x" * 70000)
            self.assertEqual(cm.exception.code, vmwcall.ETOOBIG)
            ch.info_set("big", b"y" * 2000)
            ch.set_max_reply(100)
            with self.assertRaises(vmwcall.Error) as cm:
                ch.info_get("big")
            self.assertEqual(cm.exception.code, vmwcall.ETOOBIG)

    def test_channel_context_manager(self):
        with vmwcall.Channel() as ch:
            for i in range(50):
                ch.info_set("k%d" % i, str(i))
            self.assertEqual([ch.info_get_str("k%d" % i) for i in range(50)],
                             [str(i) for i in range(50)])
            ch.log("vmwcall python test")
        with self.assertRaises(vmwcall.Error) as cm:
            ch.info_get("greeting")
        self.assertEqual(cm.exception.code, vmwcall.EINVAL)
        ch.close()      # again: a no-op

    def test_via(self):
        with vmwcall.Channel(via=vmwcall.VIA_BACKDOOR) as ch:
            self.assertEqual(ch.via, vmwcall.VIA_BACKDOOR)
            ch.set_timeout(500)
            self.assertEqual(ch.info_get("greeting"), b"hello")
        with self.assertRaises(vmwcall.Error) as cm:
            vmwcall.Channel(vmwcall.PROTO_TCLO, via=vmwcall.VIA_VSOCK)
        self.assertEqual(cm.exception.code, vmwcall.EINVAL)

    def test_raw_send_recv(self):
        with vmwcall.Channel() as ch:
            ch.send(b"info-get guestinfo.greeting")
            self.assertEqual(ch.recv(), b"1 hello")

    def test_channel_shared_by_threads(self):
        errors = []
        with vmwcall.Channel() as ch:
            def worker(n):
                try:
                    for i in range(20):
                        ch.info_set("t%d" % n, "%d.%d" % (n, i))
                        if ch.info_get_str("t%d" % n) != "%d.%d" % (n, i):
                            errors.append((n, i))
                except vmwcall.Error as e:
                    errors.append(e)
            ts = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
            for t in ts:
                t.start()
            for t in ts:
                t.join()
        self.assertEqual(errors, [])

    def test_tclo(self):
        # A new channel gets the VMX's tools handshake: reset, then ping.
        with vmwcall.Channel(vmwcall.PROTO_TCLO) as ch:
            self.assertEqual(ch.tclo_poll(), b"reset")
            self.assertEqual(ch.tclo_poll(b"OK ATR toolbox"), b"ping")


if __name__ == "__main__":
    unittest.main()
