#pragma once
// work(0) ... work(n - 1) on n threads (inline when n is 1): the first exception any of them throws
// is rethrown in the caller once all have finished. Each call starts its threads afresh; a build
// starts a few dozen, which costs well under a millisecond in all.
#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <thread>
#include <vector>

namespace cptsmap {

// `requested` threads, or one per hardware core when 0.
inline unsigned thread_count(unsigned requested)
{
    return requested != 0 ? requested : std::max(1u, std::thread::hardware_concurrency());
}

template <typename F>
void run_on_threads(unsigned n, const F& work)
{
    if (n <= 1) {
        work(0u);
        return;
    }
    std::vector<std::exception_ptr> failures(n);
    std::vector<std::thread> pool;
    pool.reserve(n);
    for (unsigned t = 0; t < n; ++t) {
        pool.emplace_back([&work, &failures, t] {
            try {
                work(t);
            } catch (...) {
                failures[t] = std::current_exception();
            }
        });
    }
    for (auto& th : pool) th.join();
    for (auto& f : failures)
        if (f) std::rethrow_exception(f);
}

// Items 0 … count - 1 handed out in turn to the threads of a run_on_threads(), for work whose items
// differ in cost (territories, runs of features): each thread loops `for (std::size_t k;
// queue.take(k);)`. stop() makes every thread's next take() fail (after an error).
class WorkQueue {
public:
    explicit WorkQueue(std::size_t count) : count_(count) {}
    bool take(std::size_t& item) noexcept
    {
        item = next_.fetch_add(1, std::memory_order_relaxed);
        return item < count_;
    }
    void stop() noexcept { next_.store(count_, std::memory_order_relaxed); }

private:
    std::atomic<std::size_t> next_{0};
    std::size_t count_;
};

} // namespace cptsmap
