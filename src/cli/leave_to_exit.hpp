#pragma once
// The CLI's last use of a large result: handed to the operating system instead of freed piece by
// piece. The process ends right after; unmapping its pages at exit is the fastest way to free
// them, where destructors would walk tens of thousands of geometries and arrays (about 70 ms on
// France). clang's -disable-free does the same. Under AddressSanitizer the object is destroyed as
// usual, so that the leak checker keeps its meaning.
#include <memory>
#include <utility>

namespace cptsmap::cli {

template <typename T>
void leave_to_exit(T&& value)
{
#if defined(__SANITIZE_ADDRESS__)
    [[maybe_unused]] const auto destroyed_here = std::forward<T>(value);
#else
    static_cast<void>(new std::decay_t<T>(std::forward<T>(value)));
#endif
}

} // namespace cptsmap::cli
