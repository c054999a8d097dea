/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KSCAP_NETLINK_H
#define KSCAP_NETLINK_H

int kscap_nl_init(void);
void kscap_nl_exit(void);

#endif /* KSCAP_NETLINK_H */
