/* SPDX-License-Identifier: MIT */
/* The control socket's client: vmwcall-emu --ctl SOCKET VERB [ARG]... */
#ifndef VMWCALL_EMU_CTL_H
#define VMWCALL_EMU_CTL_H

/* argv[0] is "--ctl", argv[1] the socket.  Returns the exit status. */
int emu_ctl_main(int argc, char **argv);

#endif
