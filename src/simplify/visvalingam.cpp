#include "cptsmap/simplify/visvalingam.hpp"

#include <cmath>
#include <cstdint>
#include <limits>

namespace cptsmap {

namespace {

// Weighted effective area of b between a and c (mapshaper's metric), before the square root.
double weighted_area(const double* a, const double* b, const double* c, double k)
{
    const double area = std::fabs((a[0] - c[0]) * (b[1] - a[1]) - (a[0] - b[0]) * (c[1] - a[1])) / 2;
    const double bax = a[0] - b[0], bay = a[1] - b[1], bcx = c[0] - b[0], bcy = c[1] - b[1];
    const double lengths = std::sqrt((bax * bax + bay * bay) * (bcx * bcx + bcy * bcy));
    const double cosine = lengths > 0 ? (bax * bcx + bay * bcy) / lengths : 0.0;
    return area * (1.0 - k * cosine);
}

// A binary min-heap of point indices keyed by value, with positions so that a key can change.
class IndexedHeap {
public:
    void reset(std::size_t n)
    {
        heap_.clear();
        position_.assign(n, kNone);
    }
    void push(std::uint32_t i, const std::vector<double>& key)
    {
        position_[i] = static_cast<std::uint32_t>(heap_.size());
        heap_.push_back(i);
        up(position_[i], key);
    }
    bool empty() const { return heap_.empty(); }
    std::uint32_t pop(const std::vector<double>& key)
    {
        const std::uint32_t top = heap_.front();
        move(0, heap_.back());
        heap_.pop_back();
        if (!heap_.empty()) down(0, key);
        position_[top] = kNone;
        return top;
    }
    // After key[i] changed.
    void update(std::uint32_t i, const std::vector<double>& key)
    {
        if (position_[i] == kNone) return;
        up(position_[i], key);
        down(position_[i], key);
    }

private:
    static constexpr std::uint32_t kNone = std::numeric_limits<std::uint32_t>::max();
    std::vector<std::uint32_t> heap_, position_;

    // Ties go to the earlier point, so that the order is the same on every machine.
    static bool less(std::uint32_t a, std::uint32_t b, const std::vector<double>& key) { return key[a] < key[b] || (key[a] == key[b] && a < b); }
    void move(std::size_t at, std::uint32_t i)
    {
        heap_[at] = i;
        position_[i] = static_cast<std::uint32_t>(at);
    }
    void up(std::size_t at, const std::vector<double>& key)
    {
        const std::uint32_t i = heap_[at];
        while (at > 0 && less(i, heap_[(at - 1) / 2], key)) {
            move(at, heap_[(at - 1) / 2]);
            at = (at - 1) / 2;
        }
        move(at, i);
    }
    void down(std::size_t at, const std::vector<double>& key)
    {
        const std::uint32_t i = heap_[at];
        while (true) {
            std::size_t child = 2 * at + 1;
            if (child >= heap_.size()) break;
            if (child + 1 < heap_.size() && less(heap_[child + 1], heap_[child], key)) ++child;
            if (!less(heap_[child], i, key)) break;
            move(at, heap_[child]);
            at = child;
        }
        move(at, i);
    }
};

} // namespace

void visvalingam_thresholds(std::span<const double> xy, std::vector<double>& out, double weighting)
{
    const std::size_t n = xy.size() / 2;
    constexpr double kInf = std::numeric_limits<double>::infinity();
    out.assign(n, kInf);
    if (n < 3) return;
    thread_local IndexedHeap heap;
    thread_local std::vector<std::uint32_t> prev, next;
    heap.reset(n);
    prev.resize(n);
    next.resize(n);
    const auto pt = [&](std::size_t i) { return xy.data() + 2 * i; };
    for (std::size_t i = 0; i < n; ++i) {
        prev[i] = static_cast<std::uint32_t>(i == 0 ? 0 : i - 1);
        next[i] = static_cast<std::uint32_t>(i + 1);
    }
    for (std::uint32_t i = 1; i + 1 < n; ++i) {
        out[i] = weighted_area(pt(i - 1), pt(i), pt(i + 1), weighting);
        heap.push(i, out);
    }
    double floor = -kInf;
    while (!heap.empty()) {
        const std::uint32_t c = heap.pop(out);
        if (out[c] < floor) out[c] = floor; // never below a vertex removed before it
        else floor = out[c];
        const std::uint32_t b = prev[c], d = next[c];
        next[b] = d;
        prev[d] = b;
        if (b > 0) {
            out[b] = weighted_area(pt(prev[b]), pt(b), pt(d), weighting);
            heap.update(b, out);
        }
        if (d + 1 < n) {
            out[d] = weighted_area(pt(b), pt(d), pt(next[d]), weighting);
            heap.update(d, out);
        }
    }
    for (std::size_t i = 1; i + 1 < n; ++i) out[i] = std::sqrt(out[i]) * 0.65;
}

} // namespace cptsmap
