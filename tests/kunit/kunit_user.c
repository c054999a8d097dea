// SPDX-License-Identifier: GPL-2.0
/* Borrowed user memory for KUnit tests: see kunit_user.h. */
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/kthread.h>
#include <linux/uaccess.h>
#include <linux/err.h>
#include "kunit_user.h"

struct kscap_ku kscap_ku;

void kscap_ku_setup(void)
{
	unsigned long addr;

	if (kscap_ku.mm)
		return;		/* another suite set it up already */
	if (!current->mm || (current->flags & PF_KTHREAD)) {
		/* Built in, or run by a kernel thread: nothing to borrow. */
		kscap_ku.why = "no process address space to borrow";
		return;
	}
	addr = vm_mmap(NULL, 0, KSCAP_KU_PAGES * PAGE_SIZE,
		       PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, 0);
	if (IS_ERR_VALUE(addr)) {
		kscap_ku.why = "vm_mmap failed";
		return;
	}
	/* The hole: nothing else maps there while insmod waits for us. */
	if (vm_munmap(addr + KSCAP_KU_HOLE, PAGE_SIZE)) {
		vm_munmap(addr, KSCAP_KU_PAGES * PAGE_SIZE);
		kscap_ku.why = "vm_munmap failed";
		return;
	}
	mmget(current->mm);
	kscap_ku.mm = current->mm;
	kscap_ku.base = addr;
}

void kscap_ku_teardown(void)
{
	if (!kscap_ku.mm)
		return;
	/* Still in the loading process (or its unloading twin): unmap. */
	if (current->mm == kscap_ku.mm)
		vm_munmap(kscap_ku.base, KSCAP_KU_HOLE);
	mmput(kscap_ku.mm);
	kscap_ku.mm = NULL;
}

void kscap_ku_enter(struct kunit *test)
{
	if (!kscap_ku.mm)
		kunit_skip(test, "%s", kscap_ku.why ?: "no user memory");
	kthread_use_mm(kscap_ku.mm);
}

void __user *kscap_ku_put(struct kunit *test, unsigned long off,
			  const void *src, size_t len)
{
	void __user *dst = kscap_ku_ptr(off);

	KUNIT_EXPECT_LE(test, off + len, (unsigned long)KSCAP_KU_UNTOUCHED);
	KUNIT_EXPECT_EQ(test, copy_to_user(dst, src, len), 0UL);
	return dst;
}

void kscap_ku_leave(void)
{
	kthread_unuse_mm(kscap_ku.mm);
}
