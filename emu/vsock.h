/* SPDX-License-Identifier: MIT */
/*
 * The vsock GuestRPC channel of the emulated host.  A guest's AF_VSOCK
 * socket becomes one end of a Unix socket pair the emulator serves, so
 * unmodified code (open-vm-tools' RpcChannel, our client) runs as on
 * VMware: socket, bind (a port below 1024 only with CAP_NET_BIND_SERVICE,
 * as the guest kernel decides), connect to the hypervisor (context 0)
 * port 976, getsockname/getpeername, then the framed RPCI exchange
 * answered by the same host as the backdoor.  TCLO (port 975) is refused,
 * so tools keep their TCLO loop on the backdoor.  The VMCI device's node
 * (/dev/vmci) is reported present to access(2), which is how a VMware
 * guest tells that vsock reaches the VMX.  x86-64 guests only.
 */
#ifndef VMWCALL_EMU_VSOCK_H
#define VMWCALL_EMU_VSOCK_H

#include <pthread.h>

#include "host.h"
#include "seccomp.h"

struct emu_vsock;

/* Take the calls on s; the host is used under lock, as every front end does. */
struct emu_vsock *emu_vsock_new(struct emu_sc *s, struct emu_host *h, pthread_mutex_t *lock);
/* After emu_sc_free(): close what is left. */
void emu_vsock_free(struct emu_vsock *v);

#endif
