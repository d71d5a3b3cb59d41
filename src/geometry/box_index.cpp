#include "cptsmap/geometry/box_index.hpp"

// Boost 1.74's R-tree includes one of Boost's own deprecated headers (boost/detail/
// no_exceptions_support.hpp), which prints a #pragma message; the macro is Boost's switch for it.
#define BOOST_ALLOW_DEPRECATED_HEADERS
#include <boost/geometry/geometries/box.hpp>
#include <boost/geometry/geometries/point.hpp>
#include <boost/geometry/index/rtree.hpp>

#include <algorithm>

namespace cptsmap {

namespace bg = boost::geometry;
namespace bgi = boost::geometry::index;
using BgPoint = bg::model::point<double, 2, bg::cs::cartesian>;
using BgBox = bg::model::box<BgPoint>;
using Item = std::pair<BgBox, CommuneIndex>;

struct BoxIndex::Tree {
    bgi::rtree<Item, bgi::quadratic<16>> rtree;
};

BoxIndex::BoxIndex(const std::vector<std::array<double, 4>>& boxes)
{
    std::vector<Item> items;
    items.reserve(boxes.size());
    for (std::size_t i = 0; i < boxes.size(); ++i) {
        const auto& b = boxes[i];
        if (b[0] > b[2]) continue;
        items.emplace_back(BgBox(BgPoint(b[0], b[1]), BgPoint(b[2], b[3])), static_cast<CommuneIndex>(i));
    }
    tree_ = std::make_unique<Tree>(Tree{bgi::rtree<Item, bgi::quadratic<16>>(items.begin(), items.end())});
}

BoxIndex::BoxIndex() = default;
BoxIndex::~BoxIndex() = default;
BoxIndex::BoxIndex(BoxIndex&&) noexcept = default;
BoxIndex& BoxIndex::operator=(BoxIndex&&) noexcept = default;

std::vector<CommuneIndex> BoxIndex::query(double xmin, double ymin, double xmax, double ymax) const
{
    std::vector<CommuneIndex> out;
    if (!tree_) return out;
    std::vector<Item> hits;
    tree_->rtree.query(bgi::intersects(BgBox(BgPoint(xmin, ymin), BgPoint(xmax, ymax))), std::back_inserter(hits));
    out.reserve(hits.size());
    for (const auto& h : hits) out.push_back(h.second);
    std::sort(out.begin(), out.end());
    return out;
}

} // namespace cptsmap
