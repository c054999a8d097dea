// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of module/fill_proc.c's cgroups parameter: the strings
 * kscap_put_cgroup_list() writes, which build each distinct cgroup's path
 * once and copy it for the controllers after, must be the bytes that one
 * kernfs_path() per controller gives with room to spare, at every room
 * down to where the event no longer fits, and below it no event at all:
 * never one with a path cut short (6.1's kernfs_path() cuts a path at the
 * buffer's end and returns the cut length).
 *
 * The controllers are made up (names of several lengths) and point at
 * real kernfs nodes, sysfs directories whose paths are known: enough
 * distinct nodes, in an order that reuses some and pushes others out of
 * the memo.
 */
#include <kunit/test.h>
#include <linux/cgroup.h>
#include <linux/kernfs.h>
#include <linux/kobject.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/string.h>
#include "fillers.h"

#define GUARD		0xa5
#define GUARD_LEN	64
#define EV_TYPE		0x1234	/* no row's: the writer's size check stays out */
#define ONE_PARAM	(KSCAP_HDR_LEN + KSCAP_PARAM_LEN_SIZE)

/*
 * The cgroups parameter as it was built before the memo, one
 * kernfs_path() per controller: with room to spare, what
 * kscap_put_cgroup_list() must equal.
 */
static void ref_cgroup_list(struct kscap_event_writer *w,
			    struct cgroup_subsys_state *const *subsys,
			    unsigned int count)
{
	unsigned int i;

	for (i = 0; i < count; i++) {
		struct cgroup_subsys_state *css = subsys[i];
		u32 room, name_len;
		char *p;
		int n;

		if (!css || !css->ss || !css->cgroup || !css->cgroup->kn)
			continue;
		name_len = strlen(css->ss->name);
		room = kscap_w_room(w);
		if (room < name_len + 3) {
			w->overflow = true;
			break;
		}
		p = (char *)w->buf + w->off;
		memcpy(p, css->ss->name, name_len);
		p[name_len] = '=';
		n = kernfs_path(css->cgroup->kn, p + name_len + 1, room - name_len - 1);
		if (n == -E2BIG || (n >= 0 && (u32)n >= room - name_len - 1)) {
			w->overflow = true;
			break;
		}
		if (n < 0)
			continue;
		kscap_w_grow(w, name_len + 1 + n + 1);
	}
}

/* Controllers named @names (NULL: an absent one), on kernfs nodes @kns. */
struct cg_fixture {
	struct cgroup_subsys_state **subsys;
	unsigned int count;
	struct kscap_cg_name *made;	/* every controller's prefix made */
	struct kscap_cg_name *some;	/* every other one's */
	struct kscap_cg_name *none;	/* none made: each name measured */
};

/*
 * A one-parameter event of the list in @buf (cap bytes), with the
 * prefixes @names, or the old way (@names NULL); its length.
 */
static u32 cg_event(const struct kscap_cg_name *names, u8 *buf, u32 cap,
		    const struct cg_fixture *f)
{
	struct kscap_event_writer w;

	memset(buf, GUARD, cap + GUARD_LEN);
	kscap_w_begin(&w, buf, cap, EV_TYPE, 1, 1, 2);
	if (names)
		kscap_put_cgroup_list(&w, f->subsys, names, f->count);
	else
		ref_cgroup_list(&w, f->subsys, f->count);
	kscap_w_next(&w);
	return kscap_w_end(&w);
}

static void cg_fixture_make(struct kunit *test, struct cg_fixture *f,
			    const char *const *names, struct kernfs_node *const *kns,
			    unsigned int count)
{
	unsigned int i;

	f->count = count;
	f->subsys = kunit_kcalloc(test, count, sizeof(*f->subsys), GFP_KERNEL);
	f->made = kunit_kcalloc(test, count, sizeof(*f->made), GFP_KERNEL);
	f->some = kunit_kcalloc(test, count, sizeof(*f->some), GFP_KERNEL);
	f->none = kunit_kcalloc(test, count, sizeof(*f->none), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, f->subsys);
	KUNIT_ASSERT_NOT_NULL(test, f->made);
	KUNIT_ASSERT_NOT_NULL(test, f->some);
	KUNIT_ASSERT_NOT_NULL(test, f->none);
	for (i = 0; i < count; i++) {
		struct cgroup_subsys_state *css;
		struct cgroup_subsys *ss;
		struct cgroup *cg;

		if (!names[i])
			continue;
		css = kunit_kzalloc(test, sizeof(*css), GFP_KERNEL);
		ss = kunit_kzalloc(test, sizeof(*ss), GFP_KERNEL);
		cg = kunit_kzalloc(test, sizeof(*cg), GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, css);
		KUNIT_ASSERT_NOT_NULL(test, ss);
		KUNIT_ASSERT_NOT_NULL(test, cg);
		ss->name = names[i];
		cg->kn = kns[i];	/* NULL: a cgroup without a node, skipped */
		css->ss = ss;
		css->cgroup = cg;
		f->subsys[i] = css;
		kscap_cg_name_set(&f->made[i], ss->name);
		if (i & 1)
			kscap_cg_name_set(&f->some[i], ss->name);
	}
}

/*
 * Two directories of our own under /kernel, one inside the other, for
 * paths longer than sysfs' own: made before each case, removed after it
 * (also after a failed assertion).
 */
struct proc_test_dirs {
	struct kobject *a, *b;
};

static int proc_test_init(struct kunit *test)
{
	struct proc_test_dirs *d = kunit_kzalloc(test, sizeof(*d), GFP_KERNEL);

	if (!d)
		return -ENOMEM;
	d->a = kobject_create_and_add("kscap_kunit_cg", kernel_kobj);
	if (d->a)
		d->b = kobject_create_and_add("a_longer_directory_name", d->a);
	test->priv = d;
	return 0;
}

static void proc_test_exit(struct kunit *test)
{
	struct proc_test_dirs *d = test->priv;

	kobject_put(d->b);
	kobject_put(d->a);
}

/*
 * Seven distinct nodes, at most 4 remembered: /kernel comes back after
 * being pushed out, /fs and /kernel/mm repeat at once and later; an
 * absent controller and one without a node are skipped.
 */
static void cg_fixture_sysfs(struct kunit *test, struct cg_fixture *f)
{
	struct proc_test_dirs *d = test->priv;
	struct kernfs_node *root = kernel_kobj->sd->parent;
	struct kernfs_node *k = kernel_kobj->sd, *fs = fs_kobj->sd;
	struct kernfs_node *mm = mm_kobj->sd, *fw = firmware_kobj->sd;
	static const char *const names[] = {
		"cpuset", "cpu", "cpuacct", NULL, "io", "memory", "devices",
		"freezer", "net_cls", "perf_event", "net_prio", "hugetlb",
		"pids", "rdma", "misc", "a_name_of_sixteen", "nokn", "fifteen_chars_x",
	};
	struct kernfs_node *da = d->a ? d->a->sd : NULL;
	struct kernfs_node *db = d->b ? d->b->sd : NULL;
	struct kernfs_node *kns[] = {
		k, k, fs, NULL, fs, mm, fw,
		db, da, db, root, k,
		mm, fs, root, db, NULL, mm,
	};

	BUILD_BUG_ON(ARRAY_SIZE(kns) != ARRAY_SIZE(names));
	KUNIT_ASSERT_NOT_NULL(test, da);
	KUNIT_ASSERT_NOT_NULL(test, db);
	cg_fixture_make(test, f, names, kns, ARRAY_SIZE(names));
}

/* A prefix is the name and '=', zero-padded, if it fits its 16 bytes. */
static void proc_cg_name_set(struct kunit *test)
{
	static const char cpu[] = "cpu", fifteen[] = "fifteen_chars_x";
	static const char sixteen[] = "sixteen_chars_xy";
	struct kscap_cg_name n;

	memset(&n, 0xa5, sizeof(n));
	kscap_cg_name_set(&n, cpu);
	KUNIT_EXPECT_PTR_EQ(test, n.name, &cpu[0]);
	KUNIT_EXPECT_EQ(test, n.len, 4U);
	KUNIT_EXPECT_EQ(test, memcmp(n.s, "cpu=\0\0\0\0\0\0\0\0\0\0\0\0", 16), 0);
	kscap_cg_name_set(&n, fifteen);
	KUNIT_EXPECT_PTR_EQ(test, n.name, &fifteen[0]);
	KUNIT_EXPECT_EQ(test, n.len, 16U);
	KUNIT_EXPECT_EQ(test, memcmp(n.s, "fifteen_chars_x=", 16), 0);
	kscap_cg_name_set(&n, sixteen);
	KUNIT_EXPECT_NULL(test, n.name);
	KUNIT_EXPECT_EQ(test, n.len, 0U);
}

/* The whole parameter, written out: the expected bytes, not the reference's. */
static void proc_cgroups_bytes(struct kunit *test)
{
	static const char *const names[] = { "cpu", "memory", NULL, "io", "pids", "misc" };
	struct kernfs_node *kns[] = {
		kernel_kobj->sd, kernel_kobj->sd, NULL, mm_kobj->sd,
		kernel_kobj->sd, kernel_kobj->sd->parent,
	};
	static const char want[] =
		"cpu=/kernel\0memory=/kernel\0io=/kernel/mm\0pids=/kernel\0misc=/";
	struct cg_fixture f;
	u8 *buf = kunit_kmalloc(test, 512 + GUARD_LEN, GFP_KERNEL);
	unsigned int i;
	u32 len;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	cg_fixture_make(test, &f, names, kns, ARRAY_SIZE(names));
	for (i = 0; i < 3; i++) {
		len = cg_event(i == 0 ? f.made : i == 1 ? f.some : f.none, buf, 512, &f);
		KUNIT_ASSERT_EQ(test, len, (u32)(ONE_PARAM + sizeof(want)));
		KUNIT_EXPECT_EQ(test, get_unaligned_le16(buf + KSCAP_HDR_LEN), (u16)sizeof(want));
		KUNIT_EXPECT_EQ(test, memcmp(buf + ONE_PARAM, want, sizeof(want)), 0);
	}
}

/*
 * Every room from none to more than enough, with every prefix made, some
 * or none: the same event (length and bytes) as one kernfs_path() per
 * controller with ample room, from one byte more than it takes on; below
 * that no event; never a byte past the room.
 */
static void cg_sweep(struct kunit *test, struct cg_fixture *f)
{
	const struct kscap_cg_name *tabs[] = { f->made, f->some, f->none };
	u8 *a = kunit_kmalloc(test, 2048 + GUARD_LEN, GFP_KERNEL);
	u8 *b = kunit_kmalloc(test, 2048 + GUARD_LEN, GFP_KERNEL);
	u32 full, cap, la, fits;
	unsigned int i, t;

	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, b);
	full = cg_event(NULL, b, 2048 - 16, f);
	KUNIT_ASSERT_GT(test, full, (u32)ONE_PARAM);
	for (t = 0; t < ARRAY_SIZE(tabs); t++) {
		fits = 0;
		for (cap = 0; cap <= full + 8; cap++) {
			la = cg_event(tabs[t], a, cap, f);
			if (cap > full) {
				KUNIT_ASSERT_EQ_MSG(test, la, full, "prefixes %u, cap %u", t, cap);
				KUNIT_ASSERT_EQ_MSG(test, memcmp(a, b, la), 0,
						    "prefixes %u, cap %u", t, cap);
			} else {
				KUNIT_ASSERT_EQ_MSG(test, la, 0U, "prefixes %u, cap %u", t, cap);
			}
			fits += la != 0;
			for (i = cap; i < cap + GUARD_LEN; i++)
				KUNIT_ASSERT_EQ_MSG(test, a[i], GUARD,
						    "prefixes %u, cap %u: byte %u past it", t, cap, i);
		}
		KUNIT_EXPECT_EQ(test, fits, 8U);
	}
}

/* Many controllers on a few nodes, each path built once or again. */
static void proc_cgroups_memo_rooms(struct kunit *test)
{
	struct cg_fixture f;

	cg_fixture_sysfs(test, &f);
	cg_sweep(test, &f);
}

/* A node per controller: every path from kernfs_path(), each at the edge. */
static void proc_cgroups_fresh_rooms(struct kunit *test)
{
	struct proc_test_dirs *d = test->priv;
	static const char *const names[] = { "cpu", "io", "pids", "memory" };
	struct kernfs_node *kns[] = {
		d->b ? d->b->sd : NULL, mm_kobj->sd, d->a ? d->a->sd : NULL,
		kernel_kobj->sd->parent,
	};
	struct cg_fixture f;

	KUNIT_ASSERT_NOT_NULL(test, kns[0]);
	KUNIT_ASSERT_NOT_NULL(test, kns[2]);
	cg_fixture_make(test, &f, names, kns, ARRAY_SIZE(names));
	cg_sweep(test, &f);
}

/*
 * The task's own controllers, with prefixes made of their names as the
 * module makes them at load: the same bytes as the old way.
 */
static void proc_cgroups_current(struct kunit *test)
{
	u8 *a = kunit_kmalloc(test, 4096 + GUARD_LEN, GFP_KERNEL);
	u8 *b = kunit_kmalloc(test, 4096 + GUARD_LEN, GFP_KERNEL);
	struct cg_fixture f = { .count = CGROUP_SUBSYS_COUNT };
	struct kscap_cg_name *made;
	unsigned int i;
	u32 la, lb;

	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, b);
	if (!CGROUP_SUBSYS_COUNT)
		kunit_skip(test, "this kernel has no cgroup controllers");
	made = kunit_kcalloc(test, CGROUP_SUBSYS_COUNT, sizeof(*made), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, made);
	rcu_read_lock();
	f.subsys = task_css_set(current)->subsys;
	for (i = 0; i < CGROUP_SUBSYS_COUNT; i++)
		if (f.subsys[i] && f.subsys[i]->ss)
			kscap_cg_name_set(&made[i], f.subsys[i]->ss->name);
	la = cg_event(made, a, 4096, &f);
	lb = cg_event(NULL, b, 4096, &f);
	rcu_read_unlock();
	KUNIT_ASSERT_GT(test, la, (u32)ONE_PARAM);
	KUNIT_ASSERT_EQ(test, la, lb);
	KUNIT_EXPECT_EQ(test, memcmp(a, b, la), 0);
}

static struct kunit_case proc_cases[] = {
	KUNIT_CASE(proc_cg_name_set),
	KUNIT_CASE(proc_cgroups_bytes),
	KUNIT_CASE(proc_cgroups_memo_rooms),
	KUNIT_CASE(proc_cgroups_fresh_rooms),
	KUNIT_CASE(proc_cgroups_current),
	{}
};

static struct kunit_suite proc_suite = {
	.name = "kscap_proc",
	.init = proc_test_init,
	.exit = proc_test_exit,
	.test_cases = proc_cases,
};
kunit_test_suite(proc_suite);
