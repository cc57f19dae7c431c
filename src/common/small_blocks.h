// The services' operator new and delete: each thread keeps the small blocks
// it frees and gives them out again, in front of malloc.
//
//   auto* frame = new char[300];  // a block freed here before, or malloc's
//   delete[] frame;               // kept by this thread for the next one
//
// A proxied request allocates and frees about fifteen blocks (coroutine
// frames, header fields, strings): glibc's malloc and free cost some 145
// instructions a pair, a free list of this thread a few. The programs link
// this in (target playground::small_blocks); nothing calls it by name.
//
// Blocks are classed by 16 bytes up to 2 KB, each class's size the chunk
// glibc's malloc gives for it, so that keeping costs no memory per block. A
// freed block is classed by the size malloc says it has (malloc_usable_size),
// never by a size the caller passes: a wrong size can then never put a block in
// a class too large for it. The lists are bounded (64 blocks a class, 256 KB a
// thread), and a thread gives its blocks back to malloc when it ends. As
// glibc's own lists, they catch a block freed twice and a link overwritten
// after a free: the process aborts, saying which.
//
// Under AddressSanitizer the sanitizer's own operators stay (every block
// from malloc and poisoned when freed), so a use after free is still
// caught.
#pragma once

#include <cstddef>

namespace playground::small_blocks {

// Whether freed blocks are kept at all (false under AddressSanitizer); how
// many blocks of the class of `bytes`, and how many bytes in all, this
// thread keeps now. For tests.
bool pooling();
size_t kept_blocks(size_t bytes);
size_t kept_bytes();

}  // namespace playground::small_blocks
