// SPDX-License-Identifier: MIT
// libkscap.h compiles as C++ (-std=c++11 -pedantic -Werror) and links.
#include <cerrno>
#include <cstdarg>
#include <cstddef>
#include <csetjmp>
#include <cstring>
extern "C" {
#include <cmocka.h>
}
#include "kscap/libkscap.h"

static void header_works_in_cxx(void **)
{
	const struct kscap_event_info *info = kscap_event_info(KSCAP_EV_OPEN_X);
	struct kscap_evt evt;
	unsigned char raw[KSCAP_HDR_LEN] = { 0 };

	assert_non_null(info);
	assert_string_equal(info->name, "open");
	assert_int_equal(kscap_evt_parse(raw, sizeof(raw) - 1, &evt), -EBADMSG);
	assert_true(std::strlen(kscap_last_error()) > 0);
	// the version query and the size-passing macros work in C++ too
	assert_int_equal(kscap_version(), LIBKSCAP_VERSION);
	assert_int_equal(kscap_event_max(), KSCAP_EV_MAX);
	struct kscap_threads *t = kscap_threads_new();
	struct kscap_thread th = {};
	th.tid = 3;
	assert_int_equal(kscap_threads_add(t, &th), 0);
	assert_non_null(kscap_threads_find(t, 3));
	kscap_threads_free(t);
}

int main()
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(header_works_in_cxx),
	};

	return cmocka_run_group_tests_name("cxx_header", tests, NULL, NULL);
}
