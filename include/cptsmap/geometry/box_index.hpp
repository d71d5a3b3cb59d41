#pragma once
// Envelopes of the communes of a layer in a Boost.Geometry R-tree (bulk-loaded with the packing
// algorithm), built once per layer: "which communes come near this box" without a scan of the
// whole layer (sliver tests, enclaves).
#include "cptsmap/layer/commune_layer.hpp"

#include <array>
#include <memory>
#include <vector>

namespace cptsmap {

class BoxIndex {
public:
    BoxIndex();
    // boxes[i] = {xmin, ymin, xmax, ymax} of commune i; an inverted box (xmin > xmax) for none.
    explicit BoxIndex(const std::vector<std::array<double, 4>>& boxes);
    ~BoxIndex();
    BoxIndex(BoxIndex&&) noexcept;
    BoxIndex& operator=(BoxIndex&&) noexcept;

    // The communes whose envelope intersects the box, sorted.
    std::vector<CommuneIndex> query(double xmin, double ymin, double xmax, double ymax) const;

private:
    struct Tree;
    std::unique_ptr<Tree> tree_;
};

} // namespace cptsmap
