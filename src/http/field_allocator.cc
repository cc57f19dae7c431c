// Blocks for header fields (see field_allocator.h).
#include "http/field_allocator.h"

#include <new>

namespace playground::http::field_blocks {
namespace {

// GCC defines __SANITIZE_ADDRESS__; clang tells through __has_feature.
#if defined(__SANITIZE_ADDRESS__)
constexpr bool kPooled = false;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kPooled = false;
#else
constexpr bool kPooled = true;
#endif
#else
constexpr bool kPooled = true;
#endif

// Size classes of 64 bytes up to 512: a field of a typical name and value
// takes 80 to 160 bytes with Beast's element around it.
constexpr size_t kClassBytes = 64;
constexpr size_t kClasses = 8;
// At most 64 freed blocks of each class wait: 144 KB per thread at most.
constexpr size_t kKeptPerClass = 64;

struct FreeBlock {
  FreeBlock* next;
};

// Plain data, so that it lives until the thread's very end: a block freed
// by another thread local's destructor still finds it.
struct FreeLists {
  FreeBlock* head[kClasses];
  size_t count[kClasses];
};
constinit thread_local FreeLists lists = {};

// Gives the thread's blocks back to malloc when the thread ends; a block
// freed after that goes straight to malloc too. Armed by the first block a
// thread allocates (here, not on the hot path of a free): a thread that
// only ever frees keeps what it freed, 144 KB at most, until the process
// ends.
struct DrainAtExit {
  bool armed = false;
  ~DrainAtExit() {
    for (size_t c = 0; c < kClasses; ++c) {
      while (FreeBlock* b = lists.head[c]) {
        lists.head[c] = b->next;
        ::operator delete(b);
      }
      lists.count[c] = kKeptPerClass;
    }
  }
};
thread_local DrainAtExit drain_at_exit;

bool pooled(size_t bytes) {
  return kPooled && bytes > 0 && bytes <= kClasses * kClassBytes;
}
size_t class_of(size_t bytes) { return (bytes - 1) / kClassBytes; }

}  // namespace

void* allocate(size_t bytes) {
  if (!pooled(bytes)) return ::operator new(bytes);
  const size_t c = class_of(bytes);
  FreeLists& l = lists;
  if (FreeBlock* b = l.head[c]) {
    l.head[c] = b->next;
    --l.count[c];
    return b;
  }
  drain_at_exit.armed = true;
  return ::operator new((c + 1) * kClassBytes);
}

void deallocate(void* block, size_t bytes) noexcept {
  if (!pooled(bytes)) {
    ::operator delete(block);
    return;
  }
  const size_t c = class_of(bytes);
  FreeLists& l = lists;
  if (l.count[c] == kKeptPerClass) {
    ::operator delete(block);
    return;
  }
  auto* b = static_cast<FreeBlock*>(block);
  b->next = l.head[c];
  l.head[c] = b;
  ++l.count[c];
}

bool pooling() { return kPooled; }

size_t kept(size_t bytes) {
  return pooled(bytes) ? lists.count[class_of(bytes)] : 0;
}

}  // namespace playground::http::field_blocks
