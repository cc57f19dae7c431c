// The read buffers' pages (see read_buffer_pool.h).
#include "http/read_buffer_pool.h"

#include <sanitizer/asan_interface.h>  // no-ops without AddressSanitizer
#include <sys/mman.h>

#include <algorithm>
#include <new>

namespace playground::http {

ReadBufferPool::~ReadBufferPool() {
  for (const Chunk& c : chunks_) {
    ASAN_UNPOISON_MEMORY_REGION(c.base, kChunkBytes);
    ::munmap(c.base, kChunkBytes);
  }
}

char* ReadBufferPool::take() {
  if (free_.empty()) add_chunk();
  char* buffer = free_.back();
  free_.pop_back();
  Chunk& c = chunk_of(buffer);
  const size_t offset = static_cast<size_t>(buffer - c.base);
  uint8_t& page = c.pages[offset / kPageBytes];
  page |= 1 << (offset % kPageBytes / kBufferBytes);
  page &= ~kReleased;  // resident again once written
  ASAN_UNPOISON_MEMORY_REGION(buffer, kBufferBytes);
  return buffer;
}

void ReadBufferPool::give_back(char* buffer) {
  ASAN_POISON_MEMORY_REGION(buffer, kBufferBytes);  // a use after this fails
  Chunk& c = chunk_of(buffer);
  const size_t offset = static_cast<size_t>(buffer - c.base);
  c.pages[offset / kPageBytes] &= ~(1 << (offset % kPageBytes / kBufferBytes));
  free_.push_back(buffer);  // never grows: reserved for every buffer
}

size_t ReadBufferPool::release_free_pages() {
  size_t released = 0;
  for (Chunk& c : chunks_) {
    // Free pages in a row go back in one call.
    size_t run = 0;
    for (size_t i = 0; i <= kPagesPerChunk; ++i) {
      if (i < kPagesPerChunk && c.pages[i] == 0) {  // unused and resident
        c.pages[i] = kReleased;
        ++run;
        continue;
      }
      if (run > 0) {
        ::madvise(c.base + (i - run) * kPageBytes, run * kPageBytes,
                  MADV_DONTNEED);
        released += run;
        run = 0;
      }
    }
  }
  return released;
}

ReadBufferPool::Chunk& ReadBufferPool::chunk_of(const char* buffer) {
  auto after = std::upper_bound(
      chunks_.begin(), chunks_.end(), buffer,
      [](const char* p, const Chunk& c) { return p < c.base; });
  return *(after - 1);
}

void ReadBufferPool::add_chunk() {
  constexpr size_t kBuffersPerChunk = kPagesPerChunk * kBuffersPerPage;
  free_.reserve((chunks_.size() + 1) * kBuffersPerChunk);
  chunks_.reserve(chunks_.size() + 1);
  void* mapped = ::mmap(nullptr, kChunkBytes, PROT_READ | PROT_WRITE,
                        MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (mapped == MAP_FAILED) throw std::bad_alloc();
  ASAN_POISON_MEMORY_REGION(mapped, kChunkBytes);
  Chunk chunk{.base = static_cast<char*>(mapped), .pages = {}};
  std::fill(std::begin(chunk.pages), std::end(chunk.pages), kReleased);
  chunks_.insert(std::upper_bound(
                     chunks_.begin(), chunks_.end(), chunk.base,
                     [](const char* p, const Chunk& c) { return p < c.base; }),
                 chunk);
  // The lowest addresses first.
  for (size_t i = kBuffersPerChunk; i-- > 0;) {
    free_.push_back(chunk.base + i * kBufferBytes);
  }
}

}  // namespace playground::http
