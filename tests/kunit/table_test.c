// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the tables the module is built from: the recipes
 * (module/recipes.c) against the uapi event table's parameter types, the
 * table's enter/exit pairing, and the syscall mapping (module/syscalls.c)
 * against both. Every row is checked, so a new row is tested by being
 * added: nothing here names one.
 *
 * A recipe is checked twice: statically (each source can write its
 * parameter's type) and by running it, as a probe would, on null and on
 * readable arguments, with the writer's KSCAP_DEBUG size check on.
 */
#include <kunit/test.h>
#include <linux/string.h>
#include <linux/slab.h>
#include "recipe.h"
#include "kunit_user.h"

#define RUN_BUF_LEN	(64 * 1024)

static bool is_string(u8 type)
{
	return type == KSCAP_PT_CHARBUF || type == KSCAP_PT_FSPATH ||
	       type == KSCAP_PT_FSRELPATH;
}

/* Whether source @s can write a parameter of type @type (CALL: run below). */
static bool src_fits(const struct kscap_src *s, u8 type)
{
	switch (s->op) {
	case KSCAP_S_USTR:
	case KSCAP_S_USTR_OK:
		return is_string(type);
	case KSCAP_S_DATA_RET:
	case KSCAP_S_DATA_ARG:
		return type == KSCAP_PT_BYTEBUF;
	case KSCAP_S_USER_TIMESPEC:
	case KSCAP_S_FD_INO:
		return kscap_type_size(type) == 8;
	case KSCAP_S_RET_DEV:
	case KSCAP_S_VM_SIZE:
	case KSCAP_S_VM_RSS:
	case KSCAP_S_VM_SWAP:
		return kscap_type_size(type) == 4;
	case KSCAP_S_CALL:
		return s->a < KSCAP_ENC_NR && kscap_encoders[s->a];
	case KSCAP_S_RET:
	case KSCAP_S_ARG:
	case KSCAP_S_ARG_U32:
	case KSCAP_S_ARG_S32:
	case KSCAP_S_USER_INT:
	case KSCAP_S_USER_U64:
	case KSCAP_S_OUT_INT:
	case KSCAP_S_OUT_U64:
	case KSCAP_S_CONST:
		return kscap_type_size(type) != 0;
	default:
		return false;
	}
}

/* Every recipe names each parameter of its row once, with a fitting source. */
static void table_recipe_types(struct kunit *test)
{
	unsigned int t, i, rows = 0;

	for (t = 0; t < KSCAP_EV_MAX; t++) {
		const struct kscap_event_info *info = &kscap_event_table[t];
		const struct kscap_src *s = kscap_recipe_find(t);

		if (!s)
			continue;
		rows++;
		KUNIT_EXPECT_NOT_NULL_MSG(test, info->name, "recipe for type %u: no row", t);
		if (!info->name)
			continue;
		for (i = 0; i < info->nparams; i++)
			KUNIT_EXPECT_TRUE_MSG(test, src_fits(&s[i], info->params[i].type),
					      "%s (type %u) param %u (%s): source op %u cannot write type %u",
					      info->name, t, i, info->params[i].name, s[i].op,
					      info->params[i].type);
		KUNIT_EXPECT_TRUE_MSG(test, i == KSCAP_MAX_PARAMS || s[i].op == KSCAP_S_END,
				      "%s (type %u): recipe has more than %u params",
				      info->name, t, info->nparams);
		/* Registered: the recipe is what the module writes. */
		KUNIT_EXPECT_NOT_NULL_MSG(test, kscap_ops[t].fill, "%s (type %u): recipe not in service",
					  info->name, t);
	}
	KUNIT_EXPECT_GT(test, rows, 200U);
}

/*
 * Run every recipe as a probe would (preemption off), with @args and
 * @ret, and check the event it writes: every parameter written, each
 * value of its type's size (or empty).
 */
static void run_all(struct kunit *test, const unsigned long *args, long ret,
		    const char *what)
{
	u8 *buf = kunit_kzalloc(test, RUN_BUF_LEN, GFP_KERNEL);
	unsigned int t;

	if (!buf) {
		KUNIT_FAIL(test, "no memory");
		return;
	}
	for (t = 0; t < KSCAP_EV_MAX; t++) {
		const struct kscap_event_info *info = &kscap_event_table[t];
		struct kscap_ctx ctx = { .ret = ret, .args = args };
		struct kscap_event_writer w;
		u32 len;

		if (!kscap_recipe_find(t) || !kscap_ops[t].fill)
			continue;
		kscap_w_begin(&w, buf, RUN_BUF_LEN, t, info->nparams, 0, 0);
		preempt_disable();
		kscap_ops[t].fill(&w, &ctx);
		preempt_enable();
		KUNIT_EXPECT_EQ_MSG(test, w.idx, (u16)info->nparams, "%s, %s: params written",
				    info->name, what);
		KUNIT_EXPECT_EQ_MSG(test, w.mistyped, 0U, "%s, %s: values of the wrong size",
				    info->name, what);
		len = kscap_w_end(&w);
		KUNIT_EXPECT_GT_MSG(test, len, 0U, "%s, %s: event not finished", info->name, what);
	}
}

static void table_recipe_run(struct kunit *test)
{
	static const unsigned long null_args[6];
	unsigned long args[6];
	unsigned int i;

	run_all(test, null_args, -EPERM, "null args, failed");
	run_all(test, null_args, 0, "null args, ret 0");

	/* Readable zeroes at every pointer: every user read succeeds. */
	kscap_ku_enter(test);
	for (i = 0; i < ARRAY_SIZE(args); i++)
		args[i] = (unsigned long)kscap_ku_ptr(0);
	run_all(test, args, 0, "readable args, ret 0");
	run_all(test, args, 1, "readable args, ret 1");
	kscap_ku_leave();
}

/*
 * Enter events have even types, their exit the next one, of the same name
 * (kscap_core.h: "the exit type is enter + 1"). An enter without an exit
 * is an event of a tracepoint (switch, procexit, ...), which no recipe
 * writes: recipes are syscalls'. A row with a recipe has a partner the
 * module writes too.
 */
static void table_pairing(struct kunit *test)
{
	unsigned int t, pairs = 0, single = 0;

	for (t = 0; t + 1 < KSCAP_EV_MAX; t += 2) {
		const struct kscap_event_info *e = &kscap_event_table[t];
		const struct kscap_event_info *x = &kscap_event_table[t + 1];

		if (!x->name) {
			single += !!e->name;
			KUNIT_EXPECT_TRUE_MSG(test, !kscap_recipe_find(t),
					      "%s (type %u): a recipe for an event without an exit",
					      e->name ?: "-", t);
			continue;
		}
		pairs++;
		KUNIT_EXPECT_TRUE_MSG(test, e->name && !strcmp(e->name, x->name),
				      "types %u and %u: %s / %s are not a pair", t, t + 1,
				      e->name ?: "-", x->name);
		if (kscap_recipe_find(t) || kscap_recipe_find(t + 1))
			KUNIT_EXPECT_TRUE_MSG(test, kscap_ops[t].fill && kscap_ops[t + 1].fill,
					      "%s: only one half is written", x->name);
	}
	KUNIT_EXPECT_GT(test, pairs, 100U);
	KUNIT_EXPECT_LT(test, single, 10U);
}

/* Every syscall with an event of its own maps to a pair the module writes. */
static void table_syscalls(struct kunit *test)
{
	unsigned int nr, mapped = 0;

	for (nr = 0; nr < KSCAP_NR_SYSCALLS; nr++) {
		u16 e = kscap_syscalls[nr].enter;

		if (e == KSCAP_EV_GENERIC_E)
			continue;
		mapped++;
		KUNIT_EXPECT_TRUE_MSG(test, e % 2 == 0 && e + 1 < KSCAP_EV_MAX,
				      "syscall %u: type %u is not an enter type", nr, e);
		if (e % 2 || e + 1 >= KSCAP_EV_MAX)
			continue;
		KUNIT_EXPECT_TRUE_MSG(test, kscap_ops[e].fill && kscap_ops[e + 1].fill,
				      "syscall %u -> %s: not written both ways", nr,
				      kscap_event_table[e].name ?: "-");
		KUNIT_EXPECT_TRUE_MSG(test, kscap_event_table[e].name && kscap_event_table[e + 1].name &&
				      !strcmp(kscap_event_table[e].name, kscap_event_table[e + 1].name),
				      "syscall %u: types %u and %u are not a pair", nr, e, e + 1);
	}
	/* The mapping has well over a hundred rows: none may fall back to generic. */
	KUNIT_EXPECT_GT(test, mapped, 100U);
}

static int table_suite_init(struct kunit_suite *suite)
{
	kscap_ku_setup();
	/* What loading the module does: the tables derived from the rows. */
	return kscap_events_init();
}

static void table_suite_exit(struct kunit_suite *suite)
{
	kscap_ku_teardown();
}

static struct kunit_case table_cases[] = {
	KUNIT_CASE(table_recipe_types),
	KUNIT_CASE(table_recipe_run),
	KUNIT_CASE(table_pairing),
	KUNIT_CASE(table_syscalls),
	{}
};

static struct kunit_suite table_suite = {
	.name = "kscap_table",
	.suite_init = table_suite_init,
	.suite_exit = table_suite_exit,
	.test_cases = table_cases,
};
kunit_test_suite(table_suite);
