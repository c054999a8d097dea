/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KSCAP_NETLINK_H
#define KSCAP_NETLINK_H

int kscap_nl_init(void);
void kscap_nl_exit(void);
/* Announce lost events (control's kscap_drops_fn). */
void kscap_nl_notify_drops(u64 lost);

#endif /* KSCAP_NETLINK_H */
