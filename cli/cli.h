/* SPDX-License-Identifier: MIT */
/* The vmwcall command line: what the cmd_*.c files share. */
#ifndef VMWCALL_CLI_H
#define VMWCALL_CLI_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "vmwcall/detect.h"
#include "vmwcall/rpc.h"

#define EXIT_FAIL	1
#define EXIT_USAGE	2

/* Options every subcommand understands. */
struct opts {
	int json;
	unsigned int via;	/* --channel: VMW_VIA_* */
};

/* Subcommands: argv[0] is the subcommand's name. */
int cmd_detect(int argc, char **argv, struct opts *o);
int cmd_rpc(int argc, char **argv, struct opts *o);
int cmd_info(int argc, char **argv, struct opts *o);
int cmd_stat(int argc, char **argv, struct opts *o);
int cmd_call(int argc, char **argv, struct opts *o);

/* argv[0] personas: vmware-rpctool and vmware-checkvm. */
int rpctool_main(int argc, char **argv);
int checkvm_main(int argc, char **argv);

/* vmwcall --help's text. */
void usage(FILE *f);

/* "vmwcall: <what>" on stderr; returns EXIT_FAIL or EXIT_USAGE for chaining. */
int fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Take leading options (--json, --) off argv; argc and argv then start at the
 * first operand.  Unknown options are a usage error (returns non-zero);
 * --help prints the usage and exits.
 */
int take_opts(int *argc, char ***argv, struct opts *o);

/* Is there a VMware backdoor?  If not, print why and return 0. */
int need_vmware(struct vmw_info *info);

/*
 * Option s at **argv (--channel MODE or --channel=MODE): 1 and o->via set,
 * 0 if s is another option, -1 after a usage error.  Takes MODE off argv.
 */
int take_channel(int *argc, char ***argv, const char *s, struct opts *o);

/* An RPCI channel the way --channel says; 0 or prints why and returns EXIT_FAIL. */
int open_rpci(struct opts *o, struct vmw_chan **c, const char *what);

/* VmCheck's test as open-vm-tools makes it (KVM/Xen signature, version 6). */
int vmcheck(struct vmw_info *info);

/* Read all of stdin, at most max bytes: malloc'd, NUL-terminated; NULL if over or error. */
char *read_stdin(size_t max, size_t *len);

/*
 * Print "name":"s" with s[0..n) as a JSON string if it is valid UTF-8, else
 * "name_base64":"..." with s in base64 (RFC 4648, padded): valid JSON for
 * any bytes, and nothing lost.
 */
void json_member(FILE *f, const char *name, const char *s, size_t n);

/* Make a lost write to stdout (checked at exit) exit 1 with "prog: write error". */
void check_output(const char *prog);

/* Product name of a VMW_TYPE_* value as vmware-checkvm -p spells it. */
const char *product_name(uint32_t type);

#endif
