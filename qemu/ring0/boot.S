/* Multiboot v1 entry: QEMU's -kernel loads ELF32 images carrying this header
 * and enters in flat 32-bit protected mode, paging and interrupts off. */
#define MB_MAGIC	0x1BADB002
#define MB_FLAGS	0		/* ELF sections suffice: no a.out kludge, no info */

	.section .multiboot, "a"
	.balign 4
	.long MB_MAGIC, MB_FLAGS, -(MB_MAGIC + MB_FLAGS)

	.text
	.globl _start
_start:
	mov	$stack_top, %esp
	cld				/* the ABI expects DF clear; the loader does not promise it */
	call	ring0_main
1:	hlt				/* ring0_main exits through isa-debug-exit */
	jmp	1b

	.bss
	.balign 16
	.skip 16384
stack_top:

	.section .note.GNU-stack, "", @progbits	/* no executable stack */
