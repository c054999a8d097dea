/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Real user memory for KUnit tests of code that reads user pointers.
 *
 * KUnit runs each test case in a kernel thread, which has no address space.
 * A suite's suite_init, though, runs in the process that loads the module
 * (insmod), so it can map a few pages there; a test case then adopts that
 * mm with kthread_use_mm() for as long as it reads user memory.
 *
 * Layout of the area (KSCAP_KU_PAGES pages at kscap_ku.base):
 *   page 0, 1: mapped read-write and filled by the test (present)
 *   page 2:    mapped, never touched (not present: a nofault read fails)
 *   page 3:    unmapped (a hole: any access faults)
 *
 * Between kscap_ku_enter() and kscap_ku_leave() a test must use only
 * KUNIT_EXPECT_*: a failed KUNIT_ASSERT_* would end the thread while it
 * still borrows the mm.
 */
#ifndef KSCAP_KUNIT_USER_H
#define KSCAP_KUNIT_USER_H

#include <linux/types.h>
#include <kunit/test.h>

#define KSCAP_KU_PAGES		4
#define KSCAP_KU_UNTOUCHED	(2 * PAGE_SIZE)	/* offset of page 2 */
#define KSCAP_KU_HOLE		(3 * PAGE_SIZE)	/* offset of page 3 */

struct kscap_ku {
	struct mm_struct *mm;	/* NULL: no user memory, tests skip */
	unsigned long base;
	const char *why;	/* why there is none */
};

extern struct kscap_ku kscap_ku;

/* From suite_init: map the area in the loading process. Never fails. */
void kscap_ku_setup(void);
/* From suite_exit: unmap it and drop the mm. */
void kscap_ku_teardown(void);

/*
 * Borrow the mm (skips the test if there is none). Then copy @len bytes of
 * @src to @off in the area; returns the user address of @off.
 */
void kscap_ku_enter(struct kunit *test);
void __user *kscap_ku_put(struct kunit *test, unsigned long off,
			  const void *src, size_t len);
void kscap_ku_leave(void);

static inline void __user *kscap_ku_ptr(unsigned long off)
{
	return (void __user *)(kscap_ku.base + off);
}

#endif /* KSCAP_KUNIT_USER_H */
