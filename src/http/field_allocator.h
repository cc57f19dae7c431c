// FieldAllocator: where the header fields of the services' messages are
// kept (http::Fields, message.h).
//
// A proxied request inserts about seven fields (the client's four or so,
// the answer's few), each a small block that lives as long as its message.
// glibc's malloc and free cost some 140 instructions a pair; here freed
// blocks wait in lists of this thread, by size, and are given out again at
// a few instructions each. The lists are bounded: past kKeptPerClass a
// freed block goes back to malloc, so what a burst of large headers held is
// not kept for good. Larger blocks go to malloc directly.
//
// Under AddressSanitizer every block comes from malloc, so that a use after
// free is still caught.
#pragma once

#include <cstddef>
#include <type_traits>

namespace playground::http {

namespace field_blocks {
void* allocate(size_t bytes);
void deallocate(void* block, size_t bytes) noexcept;
// Whether freed blocks are kept at all (not under AddressSanitizer), and
// how many of the size of `bytes` this thread keeps now: for tests.
bool pooling();
size_t kept(size_t bytes);
}  // namespace field_blocks

template <class T>
class FieldAllocator {
 public:
  using value_type = T;
  // Every instance frees what any other allocated: moves never copy.
  using is_always_equal = std::true_type;
  using propagate_on_container_move_assignment = std::true_type;
  static_assert(alignof(T) <= __STDCPP_DEFAULT_NEW_ALIGNMENT__,
                "blocks come from operator new, aligned for it only");

  FieldAllocator() = default;
  template <class U>
  FieldAllocator(const FieldAllocator<U>&) noexcept {}

  T* allocate(size_t n) {
    return static_cast<T*>(field_blocks::allocate(n * sizeof(T)));
  }
  void deallocate(T* p, size_t n) noexcept {
    field_blocks::deallocate(p, n * sizeof(T));
  }

  template <class U>
  bool operator==(const FieldAllocator<U>&) const noexcept {
    return true;
  }
};

}  // namespace playground::http
