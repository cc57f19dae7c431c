// ReadBufferPool: the pages the 2 KB read buffers of one server's connections
// come from, two buffers to a page, so that the memory of idle connections
// can go back to the system. A buffer freed to malloc stays resident among
// its connection's other allocations: the process would keep the most its
// connections ever held at once. Here the sweep (session.h) gives back the
// pages whose buffers are all free, once their connections are parked.
//
//   ReadBuffer buffer{ReadBufferAllocator<char>(&pool)};
//   buffer.prepare(ReadBufferPool::kBufferBytes);  // from the pool
//   buffer.shrink_to_fit();                        // empty: back to it
//   pool.release_free_pages();                     // at a sweep
//
// One thread only: each server has its own, on its io_context's thread.
#pragma once

#include <boost/beast/core/flat_buffer.hpp>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

namespace playground::http {

class ReadBufferPool {
 public:
  // What one read of an idle connection asks for: a typical request whole.
  static constexpr size_t kBufferBytes = 2048;

  ReadBufferPool() = default;
  ~ReadBufferPool();
  ReadBufferPool(const ReadBufferPool&) = delete;
  ReadBufferPool& operator=(const ReadBufferPool&) = delete;

  // A buffer of kBufferBytes (throws std::bad_alloc when out of memory).
  char* take();
  void give_back(char* buffer);
  // Gives the system the pages that hold no buffer in use (and are still
  // resident as far as the pool knows); returns how many.
  size_t release_free_pages();

 private:
  static constexpr size_t kPageBytes = 4096;
  static constexpr size_t kBuffersPerPage = kPageBytes / kBufferBytes;
  static constexpr size_t kPagesPerChunk = 64;  // 256 KB mapped at a time
  static constexpr size_t kChunkBytes = kPagesPerChunk * kPageBytes;

  // Per page: which of its two buffers are in use, and whether the system
  // has it (a fresh page is not resident until touched).
  static constexpr uint8_t kReleased = 1 << kBuffersPerPage;
  struct Chunk {
    char* base;
    uint8_t pages[kPagesPerChunk];
  };

  Chunk& chunk_of(const char* buffer);
  void add_chunk();

  std::vector<Chunk> chunks_;  // by address
  std::vector<char*> free_;    // the last given back is taken first
};

// A flat_buffer's allocator: blocks of ReadBufferPool::kBufferBytes from the
// pool, others (what a large request grows the buffer to) from the heap.
template <class T>
class ReadBufferAllocator {
 public:
  using value_type = T;

  explicit ReadBufferAllocator(ReadBufferPool* pool) : pool_(pool) {}
  template <class U>
  ReadBufferAllocator(const ReadBufferAllocator<U>& other)
      : pool_(other.pool_) {}

  T* allocate(size_t n) {
    if (n * sizeof(T) == ReadBufferPool::kBufferBytes) {
      return reinterpret_cast<T*>(pool_->take());
    }
    return std::allocator<T>().allocate(n);
  }
  void deallocate(T* p, size_t n) {
    if (n * sizeof(T) == ReadBufferPool::kBufferBytes) {
      pool_->give_back(reinterpret_cast<char*>(p));
    } else {
      std::allocator<T>().deallocate(p, n);
    }
  }
  bool operator==(const ReadBufferAllocator& other) const {
    return pool_ == other.pool_;
  }

 private:
  template <class U>
  friend class ReadBufferAllocator;
  ReadBufferPool* pool_;
};

using ReadBuffer = boost::beast::basic_flat_buffer<ReadBufferAllocator<char>>;

}  // namespace playground::http
