// FUZZ_CHECK: the property checks of the fuzz targets.
//
//   FUZZ_CHECK(utf8::is_valid(text));
//
// A failed check aborts, which libFuzzer reports as a crash and saves the
// input that caused it; assert() would vanish in a build with NDEBUG.
#pragma once

#include <cstdio>
#include <cstdlib>

#define FUZZ_CHECK(cond)                                                    \
  do {                                                                      \
    if (!(cond)) {                                                          \
      std::fprintf(stderr, "%s:%d: property does not hold: %s\n", __FILE__, \
                   __LINE__, #cond);                                        \
      std::abort();                                                         \
    }                                                                       \
  } while (0)
