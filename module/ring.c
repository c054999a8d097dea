// SPDX-License-Identifier: GPL-2.0
/*
 * Per-CPU rings. Each ring's pages are mapped twice in a row into kernel
 * virtual memory, so a writer always sees size contiguous bytes from any
 * position and an event is written in one go, without a wrap check per
 * field. Userspace maps the same pages the same way.
 */
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/log2.h>
#include <asm/barrier.h>
#include "ring.h"

/*
 * For the tests: new ring pages filled with a pattern rather than zeroes,
 * so that a byte an event carries without the writer having stored it
 * stands out (tests/vm/progs/poison.c knows the pattern: byte i of a page
 * is kscap_poison[i % 8]).
 */
static bool debug_poison;
module_param(debug_poison, bool, 0444);
MODULE_PARM_DESC(debug_poison, "tests only: fill new ring pages with a pattern, not zeroes");

static void kscap_poison_page(struct page *page)
{
	static const u8 kscap_poison[8] = { 0xa5, 0x5a, 0xc3, 0x3c, 0x96, 0x69, 0xe1, 0x1e };
	u8 *p = page_address(page);
	unsigned int i;

	for (i = 0; i < PAGE_SIZE; i++)
		p[i] = kscap_poison[i % 8];
}

int kscap_ring_alloc(struct kscap_cpu_ring *r, u64 size, u64 reserve, int node,
		     struct kscap_status_page *status,
		     struct kscap_consumer_slot *consumer)
{
	struct page **map;
	unsigned int i, n;
	void *data;

	if (!is_power_of_2(size) || size < 2 * PAGE_SIZE || reserve >= size)
		return -EINVAL;
	n = size >> PAGE_SHIFT;
	r->data = NULL;
	r->nr_pages = 0;
	r->status = status;
	r->consumer = consumer;

	r->pages = kvcalloc(n, sizeof(*r->pages), GFP_KERNEL);
	map = kvcalloc(2 * (size_t)n, sizeof(*map), GFP_KERNEL);
	if (!r->pages || !map)
		goto fail;
	for (i = 0; i < n; i++) {
		/* Zeroed: these pages are shown to userspace. */
		r->pages[i] = alloc_pages_node(node, GFP_KERNEL | __GFP_ZERO, 0);
		if (!r->pages[i])
			goto fail;
		if (debug_poison)
			kscap_poison_page(r->pages[i]);
		r->nr_pages = i + 1;
		map[i] = r->pages[i];
		map[i + n] = r->pages[i];
	}
	data = vmap(map, 2 * n, VM_MAP, PAGE_KERNEL);
	if (!data)
		goto fail;
	kvfree(map);

	r->size = size;
	r->reserve = reserve;
	kscap_ring_reset(r);
	/*
	 * Published last: a CPU may come online during capture, and the
	 * ring is never seen half made. Pairs with the acquire in mmap.
	 */
	smp_store_release(&r->data, data);
	return 0;

fail:
	kvfree(map);
	kscap_ring_free(r);
	return -ENOMEM;
}

/* Free the ring's memory; its shared slots (status, consumer) stay. */
void kscap_ring_free(struct kscap_cpu_ring *r)
{
	unsigned int i;

	if (r->data)
		vunmap(r->data);
	for (i = 0; i < r->nr_pages; i++)
		__free_page(r->pages[i]);
	kvfree(r->pages);
	r->data = NULL;
	r->pages = NULL;
	r->nr_pages = 0;
	r->size = 0;
	r->reserve = 0;
	r->head = 0;
	r->tail = 0;
	r->limit = 0;
}

void kscap_ring_reset(struct kscap_cpu_ring *r)
{
	r->head = 0;
	r->tail = 0;
	r->limit = 0;
	r->tick_head = 0;
	WRITE_ONCE(r->aged_head, 0);
	WRITE_ONCE(r->consumer->tail, 0);
	/* Pairs with the consumer's acquire of head, as in commit. */
	smp_store_release(&r->status->head, 0);
}

/*
 * kscap_ring_room() when its limit is too near: look at the consumer's
 * tail, and move the limit to what it allows now. A ring not (or no
 * longer) allocated has no room, and a limit of 0.
 */
u64 kscap_ring_room_slow(struct kscap_cpu_ring *r, bool critical)
{
	u64 room;

	if (unlikely(!READ_ONCE(r->data)))
		return 0;
	room = kscap_ring_space(r, critical);
	r->limit = r->tail + r->size - r->reserve;
	return room;
}

u64 kscap_ring_used(const struct kscap_cpu_ring *r)
{
	u64 tail = READ_ONCE(r->consumer->tail);
	u64 head = READ_ONCE(r->status->head);

	return head - tail <= r->size ? head - tail : r->size;
}
