/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * kscap's generic netlink family: look at and steer capture from the side
 * while a consumer owns /dev/kscap.
 *
 * Family KSCAP_GENL_NAME, version KSCAP_GENL_VERSION. Reads need
 * CAP_SYS_ADMIN or CAP_PERFMON; writes need CAP_SYS_ADMIN. Every attribute
 * is checked against a policy; a bad request gets an error with an
 * extended ack message saying what was wrong.
 *
 * GET_INFO     -> ABI_VERSION, NCPUS, RING_SIZE, RESERVE, SNAPLEN,
 *                 ENABLED, CONSUMER, RING_BYTES (ABI 1.2: the ring memory
 *                 held now, 0 without a consumer)
 * GET_STATS    -> TOTAL (nested counters), then one CPU (nested: CPU and
 *                 counters) per possible CPU; the counters include (ABI
 *                 1.3) CONSUMER_DROPS, what the consumer reports it lost
 *                 (uapi/kscap.h, section 6): repeated, not a module drop,
 *                 and not part of the DROPS notifications
 * GET_MASK     -> MASK: the event mask, KSCAP_EV_MAX bits, bit t of byte
 *                 t / 8 being event type t
 * SET_MASK     <- MASK (exactly KSCAP_GENL_MASK_BYTES), or EVENT and ON
 * SET_SNAPLEN  <- SNAPLEN (1 .. KSCAP_SNAPLEN_MAX)
 * ENABLE, DISABLE: capture on or off (ENABLE needs an attached consumer)
 *
 * Multicast group KSCAP_GENL_MCGRP_DROPS: a DROPS message, with TOTAL_DROPS
 * and NEW_DROPS, whenever the drop count grew, at most once per wakeup
 * tick (wakeup_ms), and once more when capture stops. Counts start from
 * zero for each consumer. Joining needs CAP_SYS_ADMIN.
 */
#ifndef _UAPI_KSCAP_NETLINK_H
#define _UAPI_KSCAP_NETLINK_H

#include "kscap.h"

#define KSCAP_GENL_NAME		"kscap"
#define KSCAP_GENL_VERSION	1
#define KSCAP_GENL_MCGRP_DROPS	"drops"
#define KSCAP_GENL_MASK_BYTES	KSCAP_MASK_BYTES	/* the older name */

enum kscap_genl_cmd {
	KSCAP_CMD_UNSPEC,
	KSCAP_CMD_GET_INFO,
	KSCAP_CMD_GET_STATS,
	KSCAP_CMD_GET_MASK,
	KSCAP_CMD_SET_MASK,
	KSCAP_CMD_SET_SNAPLEN,
	KSCAP_CMD_ENABLE,
	KSCAP_CMD_DISABLE,
	KSCAP_CMD_DROPS,	/* multicast notification */
	__KSCAP_CMD_MAX
};
#define KSCAP_CMD_MAX (__KSCAP_CMD_MAX - 1)

enum kscap_genl_attr {
	KSCAP_A_UNSPEC,
	KSCAP_A_ABI_VERSION,	/* u32 */
	KSCAP_A_NCPUS,		/* u32 */
	KSCAP_A_RING_SIZE,	/* u64 */
	KSCAP_A_RESERVE,	/* u64 */
	KSCAP_A_SNAPLEN,	/* u32 */
	KSCAP_A_ENABLED,	/* u8 */
	KSCAP_A_CONSUMER,	/* u8 */
	KSCAP_A_MASK,		/* binary, KSCAP_GENL_MASK_BYTES */
	KSCAP_A_EVENT,		/* u32 event type */
	KSCAP_A_ON,		/* u8 */
	KSCAP_A_TOTAL,		/* nested enum kscap_genl_ctr */
	KSCAP_A_CPU,		/* nested: KSCAP_C_CPU and the counters */
	KSCAP_A_TOTAL_DROPS,	/* u64 */
	KSCAP_A_NEW_DROPS,	/* u64 */
	KSCAP_A_PAD,
	KSCAP_A_RING_BYTES,	/* u64 */
	__KSCAP_A_MAX
};
#define KSCAP_A_MAX (__KSCAP_A_MAX - 1)

/* Counters, inside KSCAP_A_TOTAL and KSCAP_A_CPU: u64 each but CPU. */
enum kscap_genl_ctr {
	KSCAP_C_UNSPEC,
	KSCAP_C_CPU,		/* u32, in KSCAP_A_CPU only */
	KSCAP_C_HITS,
	KSCAP_C_WRITTEN,
	KSCAP_C_DROPS_FULL,	/* all classes */
	KSCAP_C_DROPS_MASK,
	KSCAP_C_DROPS_NESTED,
	KSCAP_C_DROPS_TOOLONG,
	KSCAP_C_FAULTS,
	KSCAP_C_BAD_TAIL,
	KSCAP_C_DROPS_FILE,	/* drops_full by class, in enum kscap_drop_class order */
	KSCAP_C_DROPS_NET,
	KSCAP_C_DROPS_IPC,
	KSCAP_C_DROPS_MEMORY,
	KSCAP_C_DROPS_PROCESS,
	KSCAP_C_DROPS_IO,
	KSCAP_C_DROPS_OTHER,
	KSCAP_C_PAD,
	KSCAP_C_TRUNCATED,	/* ABI 1.1 */
	KSCAP_C_COMPAT_UNTRANSLATED,	/* appended after PAD: the ABI only grows */
	KSCAP_C_CONSUMER_DROPS,	/* ABI 1.3: the consumer's own count */
	__KSCAP_C_MAX
};
#define KSCAP_C_MAX (__KSCAP_C_MAX - 1)

#endif /* _UAPI_KSCAP_NETLINK_H */
