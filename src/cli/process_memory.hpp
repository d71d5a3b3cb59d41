#pragma once
// How the CLI process treats its memory: freed blocks kept for the next stage, and the final
// result left to the process exit. Both are for the command line only, where the process ends
// right after the build; the library allocates and frees as usual.
#include <malloc.h>

#include <memory>
#include <utility>

// GCC says __SANITIZE_ADDRESS__, clang __has_feature(address_sanitizer).
#if defined(__SANITIZE_ADDRESS__)
#define CPTSMAP_ADDRESS_SANITIZER 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CPTSMAP_ADDRESS_SANITIZER 1
#endif
#endif

namespace cptsmap::cli {

// Memory freed during a build stays in the process for the next stage: a national build
// allocates and frees arrays of tens of megabytes at every stage, which glibc would otherwise
// unmap on free and fault in again, page by page, on the next allocation (about 10 % fewer page
// faults on France). Call once, first thing in main().
inline void keep_freed_memory()
{
    mallopt(M_MMAP_THRESHOLD, 512 << 20); // blocks below 512 MB come from the heap...
    mallopt(M_TRIM_THRESHOLD, 1 << 30);   // ... which is not trimmed on every free ...
    mallopt(M_TOP_PAD, 64 << 20);         // ... and grows by 64 MB at a time
}

// The last use of a large result: handed to the operating system instead of freed piece by
// piece. Unmapping its pages at exit is the fastest way to free them, where destructors would
// walk tens of thousands of geometries and arrays (about 50 ms on France); clang's -disable-free
// does the same. Under AddressSanitizer the object is destroyed as usual, so that the leak
// checker keeps its meaning.
template <typename T>
void leave_to_exit(T&& value)
{
#if defined(CPTSMAP_ADDRESS_SANITIZER)
    [[maybe_unused]] const auto destroyed_here = std::forward<T>(value);
#else
    static_cast<void>(new std::decay_t<T>(std::forward<T>(value)));
#endif
}

} // namespace cptsmap::cli
