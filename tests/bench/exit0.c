// SPDX-License-Identifier: GPL-2.0
/*
 * exit0: the program the workload's fork+execve operation runs. No libc,
 * no dynamic loader, one page of code: what is timed is fork, execve,
 * exit and wait, not a libc start-up.
 */
void _start(void);

void _start(void)
{
	/* exit_group(0) */
	__asm__ volatile("syscall" : : "a"(231), "D"(0) : "rcx", "r11", "memory");
	__builtin_unreachable();
}
