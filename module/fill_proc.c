// SPDX-License-Identifier: GPL-2.0
/*
 * Process events: clone/fork/vfork exit, execve enter and exit, procexit.
 * These are what a consumer's process table is built from, so they carry
 * the whole picture of the task as it is when the syscall returns.
 */
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/mm.h>
#include <linux/fs_struct.h>
#include <linux/dcache.h>
#include <linux/cgroup.h>
#include <linux/kernfs.h>
#include <linux/tty.h>
#include <linux/audit.h>
#include <linux/cred.h>
#include <linux/pid_namespace.h>
#include <linux/uaccess.h>
#include <linux/compat.h>
#include <asm/unistd.h>
#include "fillers.h"
#include "flags.h"
#include "compat.h"
#include "arch.h"

/*
 * The probes run with preemption disabled. cwd is read without fs->lock,
 * but d_path() (rename_lock and mount_lock on its retry), kernfs_path()
 * (kernfs' rename lock) and unix_state_lock() in fill_net.c still take
 * spinlock_t or rwlock_t locks, which sleep on PREEMPT_RT: refuse to
 * build there rather than sleep in atomic context.
 */
#ifdef CONFIG_PREEMPT_RT
#error "kscap does not support PREEMPT_RT kernels: its probes take d_path, kernfs and unix socket locks, which sleep there"
#endif

/* Bounds on what we copy of a process's command line and environment. */
#define KSCAP_ARGS_MAX	4096U
#define KSCAP_ENV_MAX	4096U

/*
 * exe and args: argv[0], then the rest of argv. The whole argument area
 * is copied once; the split just closes the first parameter after
 * argv[0]'s NUL, since the next parameter's bytes follow it in memory.
 * The bytes are read from current's memory at @mm's arg_start..arg_end:
 * for a child's clone exit written from its parent (sched_process_fork),
 * @mm is the child's, which either is the parent's (CLONE_VM) or was
 * copied from it a moment ago, bounds and pages alike, so the parent's
 * bytes at those addresses are what the child's hold (a nofault read of
 * the child's own pages would need its mm switched in).
 */
static void put_exe_args(struct kscap_event_writer *w, struct mm_struct *mm)
{
	unsigned long start = 0, area = 0;
	u32 exe_len, total, len;
	u8 *p;

	if (mm && mm->arg_end > mm->arg_start) {
		start = mm->arg_start;
		area = mm->arg_end - start;
	}
	len = min_t(unsigned long, area, KSCAP_ARGS_MAX);
	total = w->off;
	if (!len || !kscap_w_user_append(w, (const void __user *)start, len)) {
		kscap_w_empty(w);	/* exe */
		kscap_w_empty(w);	/* args */
		return;
	}
	kscap_w_capped(w, area, KSCAP_ARGS_MAX);
	total = w->off - total;
	p = w->buf + w->param_start;
	/* The area may not end in a NUL if the task rewrote it. */
	if (p[total - 1] != '\0')
		p[total - 1] = '\0';
	exe_len = strnlen(p, total) + 1;
	kscap_w_split(w, exe_len);
	kscap_w_next(w);
}

/*
 * Copy the user string at @src into @dst (at most @max bytes, NUL
 * included) without faulting. Returns its length with the NUL, or 0 when
 * it is unreadable or longer than @max.
 */
static u32 copy_user_str_nofault(char *dst, unsigned long src, u32 max)
{
	long n;

	if (!src || !max)
		return 0;
	pagefault_disable();
	n = strncpy_from_user(dst, (const char __user *)src, max);
	pagefault_enable();
	return n >= 0 && n < max ? n + 1 : 0;
}

/* Entry @i of a user array of pointers, 32-bit ones for a compat task. */
static bool get_user_ptr_nofault(unsigned long arr, unsigned int i, bool compat,
				 unsigned long *p)
{
	u32 p32;
	u64 p64;

	if (compat) {
		if (copy_from_user_nofault(&p32, (const void __user *)(arr + 4UL * i), 4))
			return false;
		*p = p32;
		return true;
	}
	if (copy_from_user_nofault(&p64, (const void __user *)(arr + 8UL * i), 8))
		return false;
	*p = p64;
	return true;
}

/*
 * A NULL-terminated user array of strings (execve's argv or envp) as the
 * strings back to back, each with its NUL, appended to the open parameter:
 * at most @max bytes, and a string that does not fit whole, or cannot be
 * read, ends it there. Returns the bytes appended.
 */
static u32 append_user_strv(struct kscap_event_writer *w, unsigned long arr, u32 max)
{
	bool compat = in_compat_syscall();
	u32 done = 0, n, i;
	unsigned long p;

	max = min_t(u32, max, kscap_w_room(w));
	/* Each string takes at least its NUL: max bounds the loop too. */
	for (i = 0; arr && done < max; i++) {
		if (!get_user_ptr_nofault(arr, i, compat, &p)) {
			w->faults++;
			break;
		}
		if (!p)
			break;
		n = copy_user_str_nofault((char *)w->buf + w->off + done, p, max - done);
		if (!n)
			break;
		done += n;
	}
	kscap_w_grow(w, done);
	return done;
}

/*
 * A failed execve's exe and args: what it was asked to run, argv[0] and
 * the rest of argv from the call's arguments, as the reference records
 * them (the caller's own image did not change).
 */
static void put_exec_attempt_args(struct kscap_event_writer *w, unsigned long argv)
{
	u32 total = append_user_strv(w, argv, KSCAP_ARGS_MAX);
	const char *p = (const char *)w->buf + w->param_start;

	if (!total) {
		kscap_w_empty(w);	/* exe */
		kscap_w_empty(w);	/* args */
		return;
	}
	kscap_w_split(w, strnlen(p, total) + 1);
	kscap_w_next(w);
}

static void put_user_area(struct kscap_event_writer *w, unsigned long start,
			  unsigned long end, u32 max)
{
	unsigned long area = end > start ? end - start : 0;
	u32 len = min_t(unsigned long, area, max);

	if (len && kscap_w_user_append(w, (const void __user *)start, len))
		kscap_w_capped(w, area, max);
	kscap_w_next(w);
}

/*
 * The task's pwd, read as the kernel's RCU path walk reads it: under
 * fs->seq, without fs->lock (a sleeping lock on PREEMPT_RT), and with no
 * reference taken; the caller holds rcu_read_lock(), which keeps the
 * dentry and the mount from being freed. A writer holds the count odd
 * for two stores only, so the bounded spin ends at once unless that
 * writer's CPU was preempted by a hypervisor; false then.
 */
#define KSCAP_PWD_TRIES	1000

static bool kscap_fs_pwd(struct fs_struct *fs, struct path *pwd)
{
	unsigned int tries, seq;

	for (tries = 0; tries < KSCAP_PWD_TRIES; tries++) {
		seq = raw_read_seqcount(&fs->seq);
		if (seq & 1) {
			cpu_relax();
			continue;
		}
		*pwd = fs->pwd;
		if (!read_seqcount_retry(&fs->seq, seq))
			return true;
	}
	return false;
}

/*
 * The task's cwd, whole or not at all; the caller holds rcu_read_lock()
 * (kscap_fs_pwd()). d_path() builds the string at the end of the buffer,
 * and fails if it does not fit: at KSCAP_PATH_MAX that is the cap (an
 * empty cwd, counted as truncated), below it the room left (the event is
 * dropped).
 */
static void put_cwd(struct kscap_event_writer *w, struct task_struct *t)
{
	struct fs_struct *fs = t->fs;
	u32 room = min_t(u32, kscap_w_room(w), KSCAP_PATH_MAX);
	char *buf = (char *)w->buf + w->off;
	struct path pwd;
	char *path;
	u32 n;

	if (!fs) {
		kscap_w_empty(w);
		return;
	}
	if (!room)
		path = ERR_PTR(-ENAMETOOLONG);
	else if (kscap_fs_pwd(fs, &pwd))
		path = d_path(&pwd, buf, room);
	else
		path = ERR_PTR(-EAGAIN);
	if (IS_ERR(path)) {
		if (PTR_ERR(path) != -ENAMETOOLONG)
			w->faults++;
		else if (room < KSCAP_PATH_MAX)
			w->overflow = true;
		else
			w->truncated++;
		kscap_w_empty(w);
		return;
	}
	n = buf + room - path;
	memmove(buf, path, n);
	kscap_w_grow(w, n);
	kscap_w_next(w);
}

/*
 * cgroups: "subsystem=path" strings, one per enabled controller. Their
 * only cap is the parameter's 64 KiB, so a controller that does not fit
 * means the room ran out: the event is dropped rather than written
 * without it, or with its path cut.
 *
 * kernfs_path() tells a path that did not fit in one of three ways, by
 * kernel version: its full length (strlcpy), -E2BIG (strscpy), or, in
 * 6.1's scnprintf() loop, the length it cut the path to, one less than
 * the buffer; a path that fits exactly looks the same as that last one.
 * So a path is only taken with a byte to spare after its NUL.
 *
 * Controllers that share a cgroup (all of them under cgroup v2 where no
 * subtree enables more, co-mounted v1 hierarchies, every unmounted one at
 * the default root) share its kernfs node: each distinct node's path is
 * built once, by kernfs_path() (which takes kernfs' rename lock and walks
 * to the root), and the controllers after it copy those bytes from the
 * event. A few nodes are remembered, the latest ones; a node not among
 * them is looked up again, which gives the same bytes.
 */
#ifdef CONFIG_CGROUPS
#define KSCAP_CG_MEMO	4

void kscap_cg_name_set(struct kscap_cg_name *n, const char *name)
{
	size_t len = strlen(name);

	memset(n, 0, sizeof(*n));
	if (len + 1 > sizeof(n->s))
		return;		/* never matched: strlen() every time */
	memcpy(n->s, name, len);
	n->s[len] = '=';
	n->len = len + 1;
	n->name = name;
}

/*
 * The running kernel's controllers' names, each controller's subsystem
 * as every css_set points at it (current's will do). Before this ran, or
 * for a name that did not fit, the names are measured on each event.
 */
static struct kscap_cg_name kscap_cg_names[CGROUP_SUBSYS_COUNT] __read_mostly;

void kscap_proc_init(void)
{
	struct css_set *cset;
	int i;

	rcu_read_lock();
	cset = task_css_set(current);
	for (i = 0; i < CGROUP_SUBSYS_COUNT; i++) {
		struct cgroup_subsys_state *css = cset->subsys[i];

		if (css && css->ss && css->ss->name)
			kscap_cg_name_set(&kscap_cg_names[i], css->ss->name);
	}
	rcu_read_unlock();
}

void kscap_put_cgroup_list(struct kscap_event_writer *w,
			   struct cgroup_subsys_state *const *subsys,
			   const struct kscap_cg_name *names, unsigned int count)
{
	struct {
		const struct kernfs_node *kn;
		u32 off;	/* where its path is in the event */
		u32 len;	/* its length, without the NUL */
	} memo[KSCAP_CG_MEMO];
	unsigned int i, j, nmemo = 0, kept;

	for (i = 0; i < count; i++) {
		struct cgroup_subsys_state *css = subsys[i];
		const u8 *src;
		const char *name;
		u32 room, pre, avail;
		struct kernfs_node *kn;
		char *p;
		int n;

		if (!css || !css->ss || !css->cgroup || !css->cgroup->kn)
			continue;
		kn = css->cgroup->kn;
		name = css->ss->name;
		/* "name=": the prefix made for this very string, or measured */
		pre = names[i].name == name ? names[i].len : strlen(name) + 1;
		room = kscap_w_room(w);
		if (room < pre + 2) {
			w->overflow = true;
			break;
		}
		p = (char *)w->buf + w->off;
		if (names[i].name != name) {
			memcpy(p, name, pre - 1);
			p[pre - 1] = '=';
		} else if (room >= sizeof(names[i].s)) {
			/* two word stores; the path overwrites what is past it */
			put_unaligned(get_unaligned((const u64 *)names[i].s), (u64 *)p);
			put_unaligned(get_unaligned((const u64 *)names[i].s + 1), (u64 *)p + 1);
		} else {
			memcpy(p, names[i].s, pre);
		}
		avail = room - pre;	/* for the path and its NUL */
		kept = min_t(unsigned int, nmemo, KSCAP_CG_MEMO);
		for (j = 0; j < kept && memo[j].kn != kn; j++)
			;
		if (j < kept) {
			/* What kernfs_path() would say of the same path. */
			if (memo[j].len + 1 >= avail) {
				w->overflow = true;
				break;
			}
			n = memo[j].len;
			src = w->buf + memo[j].off;
			if (n < sizeof(u64[2]) && avail >= sizeof(u64[2])) {
				/*
				 * A short path as two words, both loaded
				 * before either is stored: they may overlap
				 * what is stored, never the path's own bytes,
				 * which lie before p. Both ends are inside
				 * the room (src < p + pre).
				 */
				u64 lo = get_unaligned((const u64 *)src);
				u64 hi = get_unaligned((const u64 *)src + 1);

				put_unaligned(lo, (u64 *)(p + pre));
				put_unaligned(hi, (u64 *)(p + pre) + 1);
			} else {
				memcpy(p + pre, src, n + 1);
			}
		} else {
			n = kernfs_path(kn, p + pre, avail);
			if (n == -E2BIG || (n >= 0 && (u32)n + 1 >= avail)) {
				w->overflow = true;
				break;
			}
			if (n < 0)
				continue;
			j = nmemo++ % KSCAP_CG_MEMO;
			memo[j].kn = kn;
			memo[j].off = w->off + pre;
			memo[j].len = n;
		}
		/* It fits: n + 1 < avail, checked above. */
		w->off += pre + n + 1;
	}
}
#else
void kscap_proc_init(void)
{
}
#endif

/* Under rcu_read_lock(), which keeps the task's css_set alive. */
static void put_cgroups(struct kscap_event_writer *w, struct task_struct *t)
{
#ifdef CONFIG_CGROUPS
	kscap_put_cgroup_list(w, task_css_set(t)->subsys, kscap_cg_names,
			      CGROUP_SUBSYS_COUNT);
#endif
	kscap_w_next(w);
}

/*
 * The 13 parameters clone and execve exit events start with, of task @t:
 * current, or a child not yet run (sched_process_fork) whose fs, signal,
 * cgroups and mm are its own already.
 */
static void put_task_common(struct kscap_event_writer *w, const struct kscap_ctx *c,
			    struct task_struct *t, struct mm_struct *mm)
{
	unsigned long rss = 0, total_vm = 0, swap = 0;

	kscap_w_s64(w, c->ret);					/* res */
	if (c->ret < 0 && w->type == KSCAP_EV_EXECVE_X)		/* exe, args */
		put_exec_attempt_args(w, kscap_row_arg(c, 1));
	else
		put_exe_args(w, mm);
	kscap_w_s64(w, task_pid_nr(t));				/* tid */
	kscap_w_s64(w, task_tgid_nr(t));			/* pid */
	/* One read-side section for the parent, the cwd and the cgroups. */
	rcu_read_lock();
	kscap_w_s64(w, task_pid_nr(rcu_dereference(t->real_parent)));	/* ptid */
	put_cwd(w, t);						/* cwd */
	kscap_w_s64(w, task_rlimit(t, RLIMIT_NOFILE));		/* fdlimit */
	kscap_w_u64(w, t->maj_flt);				/* pgft_maj */
	kscap_w_u64(w, t->min_flt);				/* pgft_min */
	if (mm) {
		total_vm = mm->total_vm;
		rss = kscap_mm_rss(mm);
		swap = kscap_mm_counter(mm, MM_SWAPENTS);
	}
	kscap_w_u32(w, kscap_pages_to_kib(total_vm));		/* vm_size, KiB */
	kscap_w_u32(w, kscap_pages_to_kib(rss));		/* vm_rss */
	kscap_w_u32(w, kscap_pages_to_kib(swap));		/* vm_swap */
	kscap_w_str(w, t->comm, TASK_COMM_LEN);			/* comm */
	put_cgroups(w, t);					/* cgroups */
	rcu_read_unlock();
}

static u64 clone_flags_of(const struct kscap_ctx *c)
{
	u64 flags = 0;

	switch (c->nr) {
	case __NR_clone:
		return kscap_arg(c, 0);
	case __NR_clone3: {
		/* struct clone_args starts with its u64 flags. */
		const void __user *uargs = (const void __user *)kscap_arg(c, 0);

		if (copy_from_user_nofault(&flags, uargs, sizeof(flags)))
			return 0;
		return flags;
	}
	case KSCAP_NR_VFORK:
		return CLONE_VFORK | CLONE_VM;
	default:
		return 0;
	}
}

/*
 * The header names current; a child's clone exit written by its parent
 * (c->task) is the child's event. kscap_w_begin() wrote the header when
 * it fit, so this only replaces its tid.
 */
static void put_hdr_tid(struct kscap_event_writer *w, struct task_struct *t)
{
	struct kscap_evt_hdr *h = (struct kscap_evt_hdr *)w->buf;

	if (w->cap >= KSCAP_HDR_LEN)
		put_unaligned((u64)task_pid_nr(t), &h->tid);
}

/*
 * The exit of clone, fork or vfork of current (from sys_exit), or of the
 * new task c->task (from sched_process_fork, in its parent, where the
 * child's return passes no sys_exit: arch.h). Every value is the task's
 * own: the ids as its pid namespace sees them, its credentials.
 */
void kscap_fill_clone_x(struct kscap_event_writer *w, const struct kscap_ctx *c)
{
	struct task_struct *t = c->task ? c->task : current;
	struct pid_namespace *ns = task_active_pid_ns(t);
	u32 flags = kscap_flags_to_abi(KSCAP_AUX_CLONE_FLAGS, clone_flags_of(c));
	const struct cred *cred;
	u32 uid, gid;
	pid_t vtid;

	if (c->task)
		put_hdr_tid(w, t);
	put_task_common(w, c, t, t->mm);
	vtid = task_pid_nr_ns(t, ns);
	/* The child in a new pid namespace sees other ids than the world. */
	if (vtid != task_pid_nr(t))
		flags |= KSCAP_ABI_CLONE_FLAGS_CHILD_IN_PIDNS;
	kscap_w_u32(w, flags);					/* flags */
	rcu_read_lock();
	cred = rcu_dereference(t->cred);
	uid = from_kuid_munged(cred->user_ns, cred->euid);
	gid = from_kgid_munged(cred->user_ns, cred->egid);
	rcu_read_unlock();
	kscap_w_u32(w, uid);					/* uid */
	kscap_w_u32(w, gid);					/* gid */
	kscap_w_s64(w, vtid);					/* vtid */
	kscap_w_s64(w, task_tgid_nr_ns(t, ns));			/* vpid */
}

void kscap_fill_execve_e(struct kscap_event_writer *w, const struct kscap_ctx *c)
{
	/* execve(path, argv, envp); execveat's dirfd skipped by its table line */
	kscap_w_user_str(w, (const char __user *)kscap_row_arg(c, 0), KSCAP_PATH_MAX);
}

/*
 * The controlling tty's device number, read under the siglock as
 * /proc/<pid>/stat does: a hangup on another CPU clears signal->tty under
 * that lock and only then drops the reference it held, so the tty stays
 * alive while we hold the lock. No reference of our own: if a hangup came
 * between a tty_kref_get() and our put, that put would be the last and
 * queue the tty's release work from a tracepoint. Takes the siglock:
 * never call this from signal_deliver, which runs under it.
 */
static u32 tty_of(struct task_struct *t)
{
	/* Only the task itself replaces its sighand (exec): t is current. */
	struct sighand_struct *sh = rcu_dereference_protected(t->sighand, t == current);
	struct tty_struct *tty;
	unsigned long flags;
	u32 dev = 0;

	spin_lock_irqsave(&sh->siglock, flags);
	tty = t->signal->tty;
	if (tty)
		dev = new_encode_dev(tty_devnum(tty));
	spin_unlock_irqrestore(&sh->siglock, flags);
	return dev;
}

void kscap_fill_execve_x(struct kscap_event_writer *w, const struct kscap_ctx *c)
{
	struct task_struct *t = current;
	struct mm_struct *mm = t->mm;

	put_task_common(w, c, t, mm);
	if (c->ret < 0) {					/* env */
		/* A failed call: the environment it was given. */
		append_user_strv(w, kscap_row_arg(c, 2), KSCAP_ENV_MAX);
		kscap_w_next(w);
	} else if (mm) {
		put_user_area(w, mm->env_start, mm->env_end, KSCAP_ENV_MAX);
	} else {
		kscap_w_empty(w);
	}
	kscap_w_u32(w, tty_of(t));				/* tty */
	kscap_w_s64(w, task_pgrp_nr_ns(t, &init_pid_ns));	/* pgid */
	kscap_w_u32(w, from_kuid(&init_user_ns, audit_get_loginuid(t))); /* loginuid */
}

void kscap_fill_procexit(struct kscap_event_writer *w, const struct kscap_ctx *c)
{
	kscap_w_s64(w, c->task->exit_code);			/* status */
}
