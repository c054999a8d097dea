// SPDX-License-Identifier: MIT
/*
 * libFuzzer target: the netlink reply handling of userlib/nl.c, which this
 * file includes so that its static callbacks (on_reply, on_stats, on_drops,
 * on_error) run as libnl would run them. The input is one netlink message
 * as the socket delivers it. libnl hands a message on only if its
 * nlmsg_len fits what was received, and an error message only if it holds
 * a struct nlmsgerr: the same preconditions hold here, nothing more. The
 * message sits in a heap block of exactly nlmsg_len bytes, so ASan sees a
 * read past its end.
 */
#include "../../userlib/nl.c"

static struct nl_msg *exact_msg(const struct nlmsghdr *nlh)
{
	struct nl_msg *msg = nlmsg_alloc_size(nlh->nlmsg_len);

	if (!msg)
		abort();
	memcpy(nlmsg_hdr(msg), nlh, nlh->nlmsg_len);
	return msg;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kscap_counters percpu[8];
	uint32_t cpus[8];
	struct kscap_nl_stats st = { .percpu = percpu, .cpus = cpus, .ncpus = 8 };
	struct kscap_nl_info info;
	struct kscap_nl_drops drops;
	struct drops_wait dw = { .out = &drops };
	uint8_t mask[KSCAP_MASK_BYTES];
	struct kscap_nl nl;
	struct nlmsghdr *nlh;
	struct nl_msg *msg;

	if (size < NLMSG_HDRLEN || size > 1 << 16)
		return 0;
	nlh = (struct nlmsghdr *)data;
	if (nlh->nlmsg_len < NLMSG_HDRLEN || nlh->nlmsg_len > size)
		return 0;
	msg = exact_msg(nlh);
	nlh = nlmsg_hdr(msg);
	memset(&nl, 0, sizeof(nl));
	if (nlh->nlmsg_type == NLMSG_ERROR) {
		if (nlh->nlmsg_len >= (uint32_t)nlmsg_size(sizeof(struct nlmsgerr)))
			on_error(NULL, nlmsg_data(nlh), &nl);
	} else {
		nl.parse = parse_info;
		nl.out = &info;
		on_reply(msg, &nl);
		nl.parse = parse_mask;
		nl.out = mask;
		on_reply(msg, &nl);
		nl.out = &st;
		on_stats(msg, &nl);
		on_drops(msg, &dw);
	}
	nlmsg_free(msg);
	return 0;
}
