// SPDX-License-Identifier: GPL-2.0
/*
 * kscap_kunit.ko: the KUnit suites of tests/kunit/. The suites register
 * themselves (kunit_test_suite() in each *_test.c); KUnit runs them when
 * the module is loaded and prints KTAP on the console.
 */
#include <linux/module.h>

MODULE_DESCRIPTION("KUnit tests of the kscap module's internals");
MODULE_LICENSE("GPL");
