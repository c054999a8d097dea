/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Recipes: most events are a list of "where each parameter comes from"
 * (a syscall argument, the return value, a user string at an argument,
 * ...). The parameter's type in the event table says how to encode it,
 * so a recipe only names the source. One row per event type, in
 * recipes.c, replaces a hand-written filler per event.
 */
#ifndef KSCAP_RECIPE_H
#define KSCAP_RECIPE_H

#include "kscap_core.h"
#include "flags.h"

enum kscap_src_op {
	KSCAP_S_END = 0,	/* no more parameters */
	KSCAP_S_RET,		/* the syscall's return value */
	KSCAP_S_ARG,		/* argument a (through the param's flag table) */
	KSCAP_S_USTR,		/* user string at argument a */
	KSCAP_S_USTR_OK,	/* same, only if the call succeeded */
	KSCAP_S_DATA_RET,	/* user bytes at argument a, ret of them */
	KSCAP_S_DATA_ARG,	/* user bytes at argument a, argument b of them */
	KSCAP_S_USER_INT,	/* the b-th int at user pointer argument a */
	KSCAP_S_USER_U64,	/* the b-th u64 at user pointer argument a */
				/* (both: c = enum kscap_unread) */
	KSCAP_S_OUT_INT,	/* USER_INT the call writes: -1 if it failed */
	KSCAP_S_OUT_U64,	/* USER_U64 the call writes: -1 if it failed */
	KSCAP_S_USER_TIMESPEC,	/* struct timespec at argument a, as ns */
	KSCAP_S_RET_DEV,	/* device of the file the returned fd opened */
	KSCAP_S_FD_INO,		/* inode of the fd a successful call put at user int[b] of arg a */
	KSCAP_S_VM_SIZE,	/* the task's memory, in KiB */
	KSCAP_S_VM_RSS,
	KSCAP_S_VM_SWAP,
	KSCAP_S_CONST,		/* the constant a */
	KSCAP_S_CALL,		/* encoder a (enum kscap_encoder), with b, c */
	/*
	 * Argument a of a C int type, as the kernel reads it, in a 64-bit
	 * parameter: the register's upper half is not the argument's.
	 */
	KSCAP_S_ARG_U32,	/* unsigned int, u32: zero-extended */
	KSCAP_S_ARG_S32,	/* int: sign-extended */
};

/*
 * What USER_INT and USER_U64 write when the pointer is NULL or cannot be
 * read: the reference writes a value for some optional pointers.
 */
enum kscap_unread {
	KSCAP_UNREAD_EMPTY = 0,	/* an empty parameter */
	KSCAP_UNREAD_ZERO,	/* 0 (sendfile's offset) */
	KSCAP_UNREAD_NEG1,	/* -1 (prlimit's limits) */
};

/*
 * Encoders for values no generic source describes. Their arguments (b, c,
 * d of struct kscap_src) are syscall argument numbers unless said; the
 * recipe table names them (recipes.c).
 */
enum kscap_encoder {
	KSCAP_ENC_SOCKADDR,	/* user sockaddr at arg b, length arg c */
	KSCAP_ENC_TUPLE,	/* socket fd arg b, outbound (local -> peer) */
	KSCAP_ENC_TUPLE_FROM,	/* fd arg b, inbound; source sockaddr arg c, its length at user int arg d */
	KSCAP_ENC_TUPLE_IN_MSG,	/* fd arg b, inbound; msghdr arg c's source */
	KSCAP_ENC_TUPLE_TO,	/* fd arg b, destination sockaddr arg c, length arg d */
	KSCAP_ENC_TUPLE_MSG,	/* fd arg b, msghdr arg c's destination (sendmsg) */
	KSCAP_ENC_TUPLE_RET,	/* the accepted socket (ret), inbound */
	KSCAP_ENC_ACCEPT_QUEUE,	/* listening fd arg b: field c (enum kscap_queue_field) */
	KSCAP_ENC_MSG_SIZE,	/* msghdr arg b: total iov length */
	KSCAP_ENC_MSG_DATA,	/* msghdr arg b: iov data, bounded by snaplen */
	KSCAP_ENC_MSG_DATA_RET,	/* same, at most ret bytes */
	KSCAP_ENC_IOV_SIZE,	/* iovec array arg b, count arg c: total length */
	KSCAP_ENC_IOV_DATA,	/* the iov data, bounded by snaplen */
	KSCAP_ENC_IOV_DATA_RET,	/* same, at most ret bytes */
	KSCAP_ENC_SOCKOPT_VAL,	/* DYN option value at arg b, length arg c */
	KSCAP_ENC_SOCKOPT_VAL_GET, /* same, length at user int arg c */
	KSCAP_ENC_FDLIST,	/* pollfd array arg b, count arg c: fd, events */
	KSCAP_ENC_FDLIST_REVENTS, /* same: fd, revents */
	KSCAP_ENC_SIGSET,	/* user sigset at arg b */
	KSCAP_ENC_PTRACE_ADDR,	/* DYN: ptrace request arg b, addr arg c */
	KSCAP_ENC_PTRACE_DATA,	/* DYN: ptrace request arg b, data arg c */
	KSCAP_ENC_BPF_RES,	/* DYN: bpf fd or error, command arg b */
	KSCAP_ENC_QUOTACTL,	/* quotactl field b (enum kscap_quota_field) */
	KSCAP_ENC_SEMBUF,	/* semop: sembuf b of arg 1, field c (enum kscap_sembuf_field) */
	KSCAP_ENC_OPT_ARG,	/* arg b if the call takes it, else 0 (KSCAP_SYSCALL_ARGS) */
	KSCAP_ENC_OPEN_MODE,	/* mode arg c, given open flags arg b */
	KSCAP_ENC_SOCKOPT_NAME,	/* optname arg c at level arg b */
	KSCAP_ENC_SOCK_ID,	/* unix id of the socket fd at user int[c] of arg b */
	KSCAP_ENC_NR
};

/* quotactl's parameters, one encoder call each (QUOTA(f) in recipes.c). */
enum kscap_quota_field {
	KSCAP_QUOTA_CMD, KSCAP_QUOTA_TYPE, KSCAP_QUOTA_FMT,	/* enter */
	KSCAP_QUOTA_SPECIAL, KSCAP_QUOTA_QUOTAFILE,		/* exit */
	/* struct if_dqblk, for Q_GETQUOTA and Q_SETQUOTA */
	KSCAP_QUOTA_BHARD, KSCAP_QUOTA_BSOFT, KSCAP_QUOTA_CURSPACE,
	KSCAP_QUOTA_IHARD, KSCAP_QUOTA_ISOFT, KSCAP_QUOTA_BTIME,
	KSCAP_QUOTA_ITIME,
	/* struct if_dqinfo, for Q_GETINFO and Q_SETINFO */
	KSCAP_QUOTA_BGRACE, KSCAP_QUOTA_IGRACE, KSCAP_QUOTA_DQI_FLAGS,
	KSCAP_QUOTA_FMT_OUT,	/* Q_GETFMT's result */
};

/* The fields of one struct sembuf (SEMBUF(i, f) in recipes.c). */
enum kscap_sembuf_field {
	KSCAP_SEMBUF_SEM_NUM,
	KSCAP_SEMBUF_SEM_OP,
	KSCAP_SEMBUF_SEM_FLG,
};

/* accept's listening queue (ACCEPT_QUEUE(fd, f) in recipes.c). */
enum kscap_queue_field {
	KSCAP_QUEUE_PCT,	/* queuepct: len * 100 / max */
	KSCAP_QUEUE_LEN,
	KSCAP_QUEUE_MAX,
};

/*
 * One parameter's source. What a, b, c and d hold depends on op (see
 * enum kscap_src_op; for CALL, a is the encoder and b, c, d its arguments,
 * enum kscap_encoder): recipes.c writes them only through named macros.
 */
struct kscap_src {
	u8 op;
	u8 a;
	u8 b;
	u8 c;
	u8 d;
};

/* Custom encoders, for values no generic source describes. */
typedef void (*kscap_encoder_t)(struct kscap_event_writer *w,
				const struct kscap_ctx *c,
				const unsigned long *args,
				const struct kscap_param_info *pi,
				const struct kscap_src *s);


/* OPEN_MODE's flags argument for creat(), which always creates. */
#define KSCAP_ARG_CREAT	0xff

/* Encoders, by enum kscap_encoder; NULL: not available yet. */
extern const kscap_encoder_t kscap_encoders[KSCAP_ENC_NR];

/* Write one integer parameter of table type @type. */
void kscap_put_int(struct kscap_event_writer *w, u8 type, s64 v);

/* Bytes of a value of parameter type @type; 0: not a fixed-size type. */
u8 kscap_type_size(u8 type);

/* The recipe of event type @type (KSCAP_MAX_PARAMS sources), or NULL. */
const struct kscap_src *kscap_recipe_find(u16 type);

/*
 * The recipe that writes event type @type now, or NULL: none, or another
 * filler took the type over (fillers.c registers after the recipes).
 */
const struct kscap_src *kscap_recipe_serving(u16 type);

/* How an argument is made its parameter's value (ARG sources). */
enum kscap_conv {
	KSCAP_CONV_RAW,		/* as it is */
	KSCAP_CONV_S32,		/* a C int: sign-extended */
	KSCAP_CONV_U32,		/* an unsigned int: zero-extended */
	KSCAP_CONV_FLAGS,	/* a flag word, through its table (aux) */
	KSCAP_CONV_MODE,	/* a file mode's permission bits */
};

/* The conversion an ARG source applies for parameter @pi. */
u8 kscap_arg_conv(const struct kscap_param_info *pi);
/*
 * Apply conversion @conv (@aux: FLAGS' table) to argument value @v.
 * Inline: the fixed-layout path runs it for every parameter.
 */
static __always_inline s64 kscap_conv(u8 conv, u8 aux, unsigned long v)
{
	switch (conv) {
	case KSCAP_CONV_S32:
		return (s64)(int)v;
	case KSCAP_CONV_U32:
		return (u32)v;
	case KSCAP_CONV_FLAGS:
		return kscap_flags_to_abi(aux, (u32)v);
	case KSCAP_CONV_MODE:
		return kscap_mode_to_abi(v);
	default:
		return v;
	}
}

/* Bytes a BYTEBUF may keep: min(@len, snaplen). */
u32 kscap_snap(u64 len);

#endif /* KSCAP_RECIPE_H */
