// SPDX-License-Identifier: GPL-2.0
/*
 * The benchmark's floor: probes on sys_enter and sys_exit that only bump a
 * per-CPU counter. Whatever a capture costs beyond this is the capture's
 * own work; this much is the price of having a tracepoint probe at all.
 *
 * The tracepoints are found the way kscap finds them, by walking
 * for_each_kernel_tracepoint(), since the sys_enter/sys_exit symbols are
 * not exported to modules. The probes are attached at load and detached
 * at unload; /sys/module/bench_emptyprobe/parameters/hits reads the sum
 * of the counters over all CPUs.
 */
#include <linux/module.h>
#include <linux/tracepoint.h>
#include <linux/percpu.h>
#include <linux/ptrace.h>

static DEFINE_PER_CPU(u64, emptyprobe_hits);

static void emptyprobe_enter(void *data, struct pt_regs *regs, long nr)
{
	this_cpu_inc(emptyprobe_hits);
}

static void emptyprobe_exit(void *data, struct pt_regs *regs, long ret)
{
	this_cpu_inc(emptyprobe_hits);
}

static struct {
	const char *name;
	void *func;
	struct tracepoint *tp;
	bool attached;
} emptyprobe_tps[] = {
	{ .name = "sys_enter", .func = emptyprobe_enter },
	{ .name = "sys_exit", .func = emptyprobe_exit },
};

static void emptyprobe_find(struct tracepoint *tp, void *priv)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(emptyprobe_tps); i++)
		if (!strcmp(tp->name, emptyprobe_tps[i].name))
			emptyprobe_tps[i].tp = tp;
}

/* Reading the "hits" parameter sums the per-CPU counters. */
static int emptyprobe_hits_get(char *buf, const struct kernel_param *kp)
{
	u64 sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += READ_ONCE(*per_cpu_ptr(&emptyprobe_hits, cpu));
	return sysfs_emit(buf, "%llu\n", sum);
}

static const struct kernel_param_ops emptyprobe_hits_ops = {
	.get = emptyprobe_hits_get,
};
module_param_cb(hits, &emptyprobe_hits_ops, NULL, 0444);
MODULE_PARM_DESC(hits, "sys_enter plus sys_exit hits since load, all CPUs");

static void emptyprobe_detach(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(emptyprobe_tps); i++) {
		if (emptyprobe_tps[i].attached)
			tracepoint_probe_unregister(emptyprobe_tps[i].tp,
						    emptyprobe_tps[i].func, NULL);
		emptyprobe_tps[i].attached = false;
	}
	tracepoint_synchronize_unregister();
}

static int __init emptyprobe_init(void)
{
	unsigned int i;
	int err;

	for_each_kernel_tracepoint(emptyprobe_find, NULL);
	for (i = 0; i < ARRAY_SIZE(emptyprobe_tps); i++) {
		if (!emptyprobe_tps[i].tp) {
			pr_err("bench_emptyprobe: no tracepoint %s\n",
			       emptyprobe_tps[i].name);
			err = -ENOENT;
			goto fail;
		}
		err = tracepoint_probe_register(emptyprobe_tps[i].tp,
						emptyprobe_tps[i].func, NULL);
		if (err)
			goto fail;
		emptyprobe_tps[i].attached = true;
	}
	return 0;
fail:
	emptyprobe_detach();
	return err;
}

static void __exit emptyprobe_exit_module(void)
{
	emptyprobe_detach();
}

module_init(emptyprobe_init);
module_exit(emptyprobe_exit_module);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kscap benchmark: empty sys_enter/sys_exit probes (the overhead floor)");
