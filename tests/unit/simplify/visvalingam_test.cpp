// Visvalingam thresholds against a direct transcription of the algorithm: at each step, the
// interior point of least weighted effective area goes (ties: the earliest), its threshold never
// below the previous one; sqrt(area) × 0.65 as mapshaper scales it.
#include "cptsmap/simplify/visvalingam.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

using namespace cptsmap;

namespace {

std::vector<double> brute_force(const std::vector<double>& xy, double k)
{
    const std::size_t n = xy.size() / 2;
    std::vector<double> out(n, std::numeric_limits<double>::infinity());
    std::vector<std::size_t> alive;
    for (std::size_t i = 0; i < n; ++i) alive.push_back(i);
    const auto metric = [&](std::size_t a, std::size_t b, std::size_t c) {
        const double ax = xy[2 * a], ay = xy[2 * a + 1], bx = xy[2 * b], by = xy[2 * b + 1], cx = xy[2 * c], cy = xy[2 * c + 1];
        const double area = std::fabs((ax - cx) * (by - ay) - (ax - bx) * (cy - ay)) / 2;
        const double ux = ax - bx, uy = ay - by, vx = cx - bx, vy = cy - by;
        const double len = std::sqrt((ux * ux + uy * uy) * (vx * vx + vy * vy));
        return area * (1 - k * (len > 0 ? (ux * vx + uy * vy) / len : 0.0));
    };
    double floor = -std::numeric_limits<double>::infinity();
    while (alive.size() > 2) {
        std::size_t best = 1;
        double best_value = metric(alive[0], alive[1], alive[2]);
        for (std::size_t j = 2; j + 1 < alive.size(); ++j) {
            const double v = metric(alive[j - 1], alive[j], alive[j + 1]);
            if (v < best_value) {
                best = j;
                best_value = v;
            }
        }
        floor = std::max(floor, best_value);
        out[alive[best]] = std::sqrt(floor) * 0.65;
        alive.erase(alive.begin() + static_cast<std::ptrdiff_t>(best));
    }
    return out;
}

} // namespace

TEST_CASE("visvalingam_thresholds: the removal order of the direct algorithm, with mapshaper's weighting and scale", "[simplify]")
{
    std::uint32_t seed = 12345;
    const auto next = [&] {
        seed = seed * 1664525U + 1013904223U;
        return static_cast<double>(seed >> 8) / static_cast<double>(1U << 24);
    };
    for (int trial = 0; trial < 50; ++trial) {
        const std::size_t n = 3 + static_cast<std::size_t>(next() * 40);
        std::vector<double> xy;
        for (std::size_t i = 0; i < n; ++i) {
            xy.push_back(static_cast<double>(i) * 10.0 + next() * 8.0);
            xy.push_back(next() * 50.0);
        }
        std::vector<double> got;
        visvalingam_thresholds(xy, got);
        const std::vector<double> want = brute_force(xy, kDefaultVisvalingamWeighting);
        REQUIRE(got.size() == n);
        CHECK(std::isinf(got.front()));
        CHECK(std::isinf(got.back()));
        for (std::size_t i = 1; i + 1 < n; ++i) {
            INFO("trial " << trial << ", point " << i << " of " << n);
            CHECK(got[i] == Approx(want[i]).epsilon(1e-12));
        }
    }
}

TEST_CASE("visvalingam_thresholds: collinear points go first, a right angle stays longer than a spike of the same area", "[simplify]")
{
    std::vector<double> t;
    visvalingam_thresholds(std::vector<double>{0, 0, 1, 0, 2, 0, 3, 5, 4, 0}, t);
    CHECK(t[1] == 0.0); // on the line from (0,0) to (2,0)
    CHECK(t[3] > 0.0);
    // The same triangle area (4): a right angle at (0, 2), and a sharp spike at (2, 8) over a base of 1.
    std::vector<double> right, spike;
    visvalingam_thresholds(std::vector<double>{-2, 0, 0, 2, 2, 0}, right);
    visvalingam_thresholds(std::vector<double>{1.5, 0, 2, 8, 2.5, 0}, spike);
    CHECK(right[1] > spike[1]);
}
