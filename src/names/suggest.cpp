#include "cptsmap/names/suggest.hpp"

#include <algorithm>
#include <numeric>

namespace cptsmap {

std::size_t edit_distance(std::string_view a, std::string_view b)
{
    std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
    std::iota(prev.begin(), prev.end(), std::size_t{0});
    for (std::size_t i = 1; i <= a.size(); ++i) {
        cur[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t subst = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
            cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, subst});
        }
        std::swap(prev, cur);
    }
    return prev[b.size()];
}

std::vector<std::size_t> closest(std::string_view query, const std::vector<std::string>& candidates, std::size_t count)
{
    const std::size_t limit = std::max<std::size_t>(3, query.size() / 2);
    std::vector<std::pair<std::size_t, std::size_t>> scored; // (distance, candidate index)
    for (std::size_t i = 0; i < candidates.size(); ++i) {
        const auto& c = candidates[i];
        // Length difference is a lower bound on the distance: skip hopeless candidates cheaply.
        const std::size_t len_diff = c.size() > query.size() ? c.size() - query.size() : query.size() - c.size();
        if (len_diff > limit) continue;
        const std::size_t d = edit_distance(query, c);
        if (d <= limit) scored.emplace_back(d, i);
    }
    std::stable_sort(scored.begin(), scored.end(),
                     [](const auto& x, const auto& y) { return x.first < y.first; });
    std::vector<std::size_t> out;
    for (std::size_t k = 0; k < scored.size() && out.size() < count; ++k) out.push_back(scored[k].second);
    return out;
}

} // namespace cptsmap
