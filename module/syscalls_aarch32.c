// SPDX-License-Identifier: GPL-2.0
/*
 * 32-bit (AArch32) processes on arm64: their calls enter the same
 * tracepoints with ARM EABI numbers (64 is getppid there, write natively).
 * None is translated yet: each is counted in compat_untranslated (the
 * probes' answer to a false here), never decoded as a native call.
 */
#include <linux/kernel.h>
#include "kscap_core.h"

void kscap_ia32_init(void)
{
}

bool kscap_ia32_translate(struct pt_regs *regs, long nr, struct kscap_ia32_call *out)
{
	return false;
}
