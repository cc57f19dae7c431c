// The services' operator new and delete (see small_blocks.h).
#include "common/small_blocks.h"

#include <malloc.h>
#include <sys/random.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <new>

// GCC defines __SANITIZE_ADDRESS__; clang tells through __has_feature.
#if defined(__SANITIZE_ADDRESS__)
#define PLAYGROUND_SMALL_BLOCKS 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define PLAYGROUND_SMALL_BLOCKS 0
#else
#define PLAYGROUND_SMALL_BLOCKS 1
#endif
#else
#define PLAYGROUND_SMALL_BLOCKS 1
#endif

namespace playground::small_blocks {
namespace {

// Class c (from 1) holds blocks of at least 16 * c + 8 usable bytes:
// glibc's chunks are multiples of 16 with 8 bytes of their own, so a block
// taken for a class is the chunk malloc would give for its largest size,
// and comes back to the same class. Up to 2 KB: coroutine frames, buffers.
constexpr size_t kGrain = 16;
constexpr size_t kClasses = 128;
constexpr size_t kLargest = kClasses * kGrain + 8;
constexpr uint32_t kKeptPerClass = 64;
constexpr size_t kKeptBytes = 256 * 1024;

// The class for `bytes` (at most kLargest), as an index from 0.
constexpr size_t index_for(size_t bytes) {
  return bytes <= kGrain + 8 ? 0 : (bytes - 8 - 1) / kGrain;
}
constexpr size_t block_bytes(size_t index) { return (index + 1) * kGrain + 8; }
static_assert(index_for(24) == 0 && index_for(25) == 1 &&
              index_for(kLargest) == kClasses - 1);
static_assert(block_bytes(index_for(kLargest)) == kLargest);

// A kept block holds the link to the next one, protected as glibc protects
// its own lists (XORed with its own address shifted right by 12), so that
// a link overwritten through a use after free is caught as misaligned when
// followed, and a mark that tells a block freed twice. Every block has room
// for both: the smallest class is 24 bytes.
struct FreeBlock {
  uintptr_t link;
  uintptr_t mark;
};

// Random per process (set before main; blocks kept earlier carry 0).
uintptr_t g_mark = 0;
[[gnu::constructor]] void choose_mark() {
  uintptr_t mark = 0;
  if (getrandom(&mark, sizeof mark, GRND_NONBLOCK) != sizeof mark) {
    mark = reinterpret_cast<uintptr_t>(&mark) * 0x9e3779b97f4a7c15u;
  }
  g_mark = mark | 1;
}

[[maybe_unused]] uintptr_t protect(FreeBlock* next, const FreeBlock* at) {
  return reinterpret_cast<uintptr_t>(next) ^
         (reinterpret_cast<uintptr_t>(&at->link) >> 12);
}
[[maybe_unused]] FreeBlock* reveal(const FreeBlock* at) {
  return reinterpret_cast<FreeBlock*>(
      at->link ^ (reinterpret_cast<uintptr_t>(&at->link) >> 12));
}

[[noreturn, maybe_unused]] void die(const char* why) {
  if (::write(STDERR_FILENO, why, std::strlen(why)) < 0) {
    // Aborting is what matters.
  }
  std::abort();
}

// Plain data, so that it lives until the thread's very end: a block freed
// by another thread local's destructor still finds it.
struct FreeLists {
  FreeBlock* head[kClasses];
  uint32_t count[kClasses];
  size_t bytes;
};
constinit thread_local FreeLists lists = {};

// Gives the thread's blocks back to malloc when the thread ends; a block
// freed after that goes straight to malloc too. Armed when a list gets its
// first block, so that a thread that only ever frees drains too.
struct DrainAtExit {
  bool armed = false;
  ~DrainAtExit() {
    for (size_t c = 0; c < kClasses; ++c) {
      while (FreeBlock* b = lists.head[c]) {
        lists.head[c] = reveal(b);
        std::free(b);
      }
      lists.count[c] = 0;
    }
    lists.bytes = SIZE_MAX / 2;  // nothing is kept any more
  }
};
thread_local DrainAtExit drain_at_exit;

[[maybe_unused]] void* allocate(size_t bytes) {
  if (bytes <= kLargest) {
    const size_t c = index_for(bytes);
    FreeLists& l = lists;
    if (FreeBlock* b = l.head[c]) {
      FreeBlock* next = reveal(b);
      if (reinterpret_cast<uintptr_t>(next) % alignof(std::max_align_t) != 0)
        die("small_blocks: a kept block's link was overwritten (a use after "
            "free)\n");
      l.head[c] = next;
      b->mark = 0;
      --l.count[c];
      l.bytes -= block_bytes(c);
      return b;
    }
    bytes = block_bytes(c);  // the class's largest, to come back to it
  }
  for (;;) {
    if (void* block = std::malloc(bytes)) return block;
    std::new_handler handler = std::get_new_handler();
    if (handler == nullptr) throw std::bad_alloc();
    handler();
  }
}

[[maybe_unused]] void deallocate(void* block) noexcept {
  if (block == nullptr) return;
  const size_t usable = malloc_usable_size(block);
  if (usable < block_bytes(0) || usable >= kLargest + kGrain) {
    std::free(block);
    return;
  }
  // The class whose size the block has at least.
  const size_t c = (usable - 8) / kGrain - 1;
  const size_t kept = block_bytes(c);
  FreeLists& l = lists;
  auto* b = static_cast<FreeBlock*>(block);
  // First, even when the list is full: a kept block handed to free() would
  // be in both malloc's lists and this one. (Like glibc's, the check sees
  // this thread's list only.)
  if (b->mark == g_mark) [[unlikely]] {
    // Marked: kept already, or a live block's bytes that happen to match.
    for (FreeBlock* k = l.head[c]; k != nullptr; k = reveal(k)) {
      if (k == b) die("small_blocks: double free\n");
    }
  }
  if (l.count[c] == kKeptPerClass || l.bytes > kKeptBytes - kept) {
    std::free(block);
    return;
  }
  b->link = protect(l.head[c], b);
  b->mark = g_mark;
  l.head[c] = b;
  l.bytes += kept;
  if (++l.count[c] == 1) drain_at_exit.armed = true;
}

}  // namespace

bool pooling() { return PLAYGROUND_SMALL_BLOCKS != 0; }

size_t kept_blocks(size_t bytes) {
  return bytes > kLargest ? 0 : lists.count[index_for(bytes)];
}

size_t kept_bytes() { return lists.bytes > kKeptBytes ? 0 : lists.bytes; }

}  // namespace playground::small_blocks

#if PLAYGROUND_SMALL_BLOCKS
// The replaceable forms (the nothrow and array ones of libstdc++ call
// these). Aligned forms stay libstdc++'s: aligned_alloc and free, never
// kept here.
void* operator new(size_t bytes) {
  return playground::small_blocks::allocate(bytes);
}
void* operator new[](size_t bytes) {
  return playground::small_blocks::allocate(bytes);
}
void operator delete(void* block) noexcept {
  playground::small_blocks::deallocate(block);
}
void operator delete[](void* block) noexcept {
  playground::small_blocks::deallocate(block);
}
void operator delete(void* block, size_t) noexcept {
  playground::small_blocks::deallocate(block);
}
void operator delete[](void* block, size_t) noexcept {
  playground::small_blocks::deallocate(block);
}
#endif
