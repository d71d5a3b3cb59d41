#include "cptsmap/check/coverage_check.hpp"

#include "cptsmap/check/coverage_gaps.hpp"
#include "cptsmap/geometry/polygonal.hpp"
#include "cptsmap/io/geos_context.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <tuple>

namespace cptsmap {

const char* to_string(ProblemKind kind) noexcept
{
    switch (kind) {
    case ProblemKind::InvalidRing: return "invalid ring";
    case ProblemKind::EmptyGeometry: return "empty geometry";
    case ProblemKind::Overlap: return "overlap";
    case ProblemKind::Gap: return "gap";
    case ProblemKind::UnmatchedEdge: return "unmatched edge";
    }
    return "?";
}

std::size_t CheckReport::count(ProblemKind kind) const noexcept
{
    return static_cast<std::size_t>(std::count_if(problems.begin(), problems.end(), [kind](const Problem& p) { return p.kind == kind; }));
}

namespace {

struct Envelope {
    double xmin = 0, ymin = 0, xmax = 0, ymax = 0;
    bool near(const Envelope& o, double d) const noexcept
    {
        return xmin - d <= o.xmax && o.xmin - d <= xmax && ymin - d <= o.ymax && o.ymin - d <= ymax;
    }
};

Envelope box_of(const GeosContext& geos, const GEOSGeometry* g)
{
    const std::array<double, 4> e = envelope_of(geos, g);
    return Envelope{e[0], e[1], e[2], e[3]};
}

// A boundary segment with its ends in a canonical order, so that A→B and B→A compare equal.
struct Segment {
    double x0, y0, x1, y1;
    static Segment of(double ax, double ay, double bx, double by) noexcept
    {
        if (std::tie(ax, ay) <= std::tie(bx, by)) return {ax, ay, bx, by};
        return {bx, by, ax, ay};
    }
    auto key() const noexcept { return std::tie(x0, y0, x1, y1); }
    bool operator<(const Segment& o) const noexcept { return key() < o.key(); }
    bool operator==(const Segment& o) const noexcept { return key() == o.key(); }
};

GeomPtr line_of(const GeosContext& geos, const std::vector<std::array<double, 2>>& pts)
{
    GEOSCoordSequence* seq = GEOSCoordSeq_create_r(geos, static_cast<unsigned>(pts.size()), 2);
    for (std::size_t k = 0; k < pts.size(); ++k) GEOSCoordSeq_setXY_r(geos, seq, static_cast<unsigned>(k), pts[k][0], pts[k][1]);
    return geos.own(GEOSGeom_createLineString_r(geos, seq), "building an unmatched edge");
}

class Checker {
public:
    Checker(const CommuneLayer& layer, const GeosContext& geos, const CheckOptions& options)
        : layer_(layer), geos_(geos), gap_width_(options.gap_width_m),
          tolerance_(options.edge_tolerance_m >= 0 ? options.edge_tolerance_m : options.gap_width_m), min_area_(options.min_area_m2)
    {
    }

    CheckReport run()
    {
        CheckReport report;
        report.communes = layer_.size();
        report.gap_width_m = gap_width_;
        report.edge_tolerance_m = tolerance_;
        validity();
        index();
        overlaps();
        gaps(report.wide_holes);
        edges();
        std::stable_sort(problems_.begin(), problems_.end(), [](const Problem& a, const Problem& b) {
            return std::tie(a.kind, a.insee) < std::tie(b.kind, b.insee);
        });
        report.problems = std::move(problems_);
        return report;
    }

private:
    const std::string& code(std::size_t i) const { return layer_.communes()[i].insee; }

    std::vector<std::string> codes(std::size_t a, std::size_t b) const
    {
        std::vector<std::string> c{code(a), code(b)};
        std::sort(c.begin(), c.end());
        return c;
    }

    // Invalid and empty geometries; the valid (or repaired) geometry of each commune for the rest.
    void validity()
    {
        const auto& communes = layer_.communes();
        geoms_.resize(communes.size(), nullptr);
        repaired_.resize(communes.size());
        for (std::size_t i = 0; i < communes.size(); ++i) {
            const GEOSGeometry* g = communes[i].geometry.get();
            if (g == nullptr || GEOSisEmpty_r(geos_, g) == 1) {
                problems_.push_back(Problem{ProblemKind::EmptyGeometry, {code(i)}, "", nullptr});
                continue;
            }
            char* reason = nullptr;
            GEOSGeometry* location = nullptr;
            const char valid = GEOSisValidDetail_r(geos_, g, 0, &reason, &location);
            GeomPtr where = geos_.own_nothrow(location);
            const std::string why = reason != nullptr ? reason : "invalid";
            if (reason != nullptr) GEOSFree_r(geos_, reason);
            if (valid == 1) {
                geoms_[i] = g;
                continue;
            }
            Problem p{ProblemKind::InvalidRing, {code(i)}, why, std::move(where)};
            if (!p.geometry) p.geometry = geos_.own(GEOSPointOnSurface_r(geos_, g), "locating an invalid geometry");
            problems_.push_back(std::move(p));
            repaired_[i] = polygonal_part(geos_, geos_.own(GEOSMakeValid_r(geos_, g), "make-valid of commune " + code(i)));
            if (GEOSisEmpty_r(geos_, repaired_[i].get()) != 1) geoms_[i] = repaired_[i].get();
        }
    }

    // An STR-tree over the communes, and the pairs whose envelopes come within the tolerance.
    void index()
    {
        ids_.resize(geoms_.size());
        envelopes_.resize(geoms_.size());
        tree_ = TreePtr(GEOSSTRtree_create_r(geos_, 10), TreeDeleter{geos_});
        for (std::size_t i = 0; i < geoms_.size(); ++i) {
            ids_[i] = i;
            if (geoms_[i] == nullptr) continue;
            envelopes_[i] = box_of(geos_, geoms_[i]);
            GEOSSTRtree_insert_r(geos_, tree_.get(), geoms_[i], &ids_[i]);
        }
        neighbours_.resize(geoms_.size());
        const double reach = std::max(gap_width_, tolerance_);
        for (std::size_t i = 0; i < geoms_.size(); ++i) {
            if (geoms_[i] == nullptr) continue;
            for (std::size_t j : query(envelopes_[i], reach)) {
                if (j == i) continue;
                neighbours_[i].push_back(j);
            }
        }
    }

    std::vector<std::size_t> query(const Envelope& e, double expand) const
    {
        GeomPtr box = geos_.own(GEOSGeom_createRectangle_r(geos_, e.xmin - expand, e.ymin - expand, e.xmax + expand, e.ymax + expand),
                                "building a query rectangle");
        std::vector<std::size_t> found;
        GEOSSTRtree_query_r(
            geos_, tree_.get(), box.get(),
            [](void* item, void* out) { static_cast<std::vector<std::size_t>*>(out)->push_back(*static_cast<std::size_t*>(item)); },
            &found);
        std::sort(found.begin(), found.end());
        return found;
    }

    // Two communes overlap when their interiors meet: one overlaps, covers or is covered by the other.
    void overlaps()
    {
        for (std::size_t i = 0; i < geoms_.size(); ++i) {
            if (geoms_[i] == nullptr) continue;
            PreparedPtr prepared = geos_.prepare(geoms_[i]);
            for (std::size_t j : neighbours_[i]) {
                if (j < i || !envelopes_[i].near(envelopes_[j], 0)) continue;
                const GEOSGeometry* other = geoms_[j];
                // A predicate GEOS cannot decide (2: a topology exception) lets the intersection decide,
                // rather than passing for "no overlap".
                if (GEOSPreparedOverlaps_r(geos_, prepared.get(), other) == 0 && GEOSPreparedCovers_r(geos_, prepared.get(), other) == 0 &&
                    GEOSPreparedCoveredBy_r(geos_, prepared.get(), other) == 0)
                    continue;
                GeomPtr common = polygonal_part(geos_, geos_.own(GEOSIntersection_r(geos_, geoms_[i], other), "intersecting two communes"));
                double area = 0.0;
                GEOSArea_r(geos_, common.get(), &area);
                if (area < min_area_ || area <= 0.0) continue;
                Problem p{ProblemKind::Overlap, codes(i, j), "", std::move(common)};
                p.area_m2 = area;
                problems_.push_back(std::move(p));
            }
        }
    }

    // Holes in the union of all communes; the narrow ones are gaps between neighbours.
    void gaps(std::size_t& wide_holes)
    {
        CoverageGaps found = find_coverage_gaps(geos_, geoms_, gap_width_, min_area_);
        wide_holes = found.wide_holes;
        for (CoverageGap& gap : found.gaps) {
            Problem p{ProblemKind::Gap, {}, "", nullptr};
            for (std::size_t j : gap.along) p.insee.push_back(code(j));
            std::sort(p.insee.begin(), p.insee.end());
            p.area_m2 = gap.area_m2;
            p.width_m = gap.width_m;
            p.geometry = std::move(gap.geometry);
            problems_.push_back(std::move(p));
        }
    }

    // GEOS 3.11 has no CoverageValidator (it came in 3.12), so the edge matching is done here: in a
    // clean coverage every boundary segment between two communes appears, identically, in both. A
    // segment found in one commune only, lying (both ends and its middle) within the tolerance of a
    // neighbour's boundary, is an edge that should be shared and is not.
    void edges()
    {
        std::vector<Segment> all;
        for (const GEOSGeometry* g : geoms_) {
            if (g == nullptr) continue;
            for_each_ring(geos_, g, [&](const GEOSGeometry* ring) {
                const auto pts = ring_points(geos_, ring);
                for (std::size_t k = 1; k < pts.size(); ++k) all.push_back(Segment::of(pts[k - 1][0], pts[k - 1][1], pts[k][0], pts[k][1]));
            });
        }
        std::sort(all.begin(), all.end());
        const auto shared = [&](const Segment& s) {
            auto [lo, hi] = std::equal_range(all.begin(), all.end(), s);
            return hi - lo > 1;
        };
        boundaries_.resize(geoms_.size());
        for (std::size_t i = 0; i < geoms_.size(); ++i) {
            if (geoms_[i] == nullptr) continue;
            // Runs of consecutive unmatched segments, per neighbour, in ring order.
            std::map<std::size_t, std::vector<std::vector<std::array<double, 2>>>> runs;
            for_each_ring(geos_, geoms_[i], [&](const GEOSGeometry* ring) {
                const auto pts = ring_points(geos_, ring);
                std::size_t open_with = SIZE_MAX;
                for (std::size_t k = 1; k < pts.size(); ++k) {
                    const auto& a = pts[k - 1];
                    const auto& b = pts[k];
                    std::size_t with = SIZE_MAX;
                    if (!shared(Segment::of(a[0], a[1], b[0], b[1]))) with = near_neighbour(i, a, b);
                    if (with == SIZE_MAX) {
                        open_with = SIZE_MAX;
                        continue;
                    }
                    auto& lines = runs[with];
                    if (open_with != with) lines.push_back({a});
                    lines.back().push_back(b);
                    open_with = with;
                }
            });
            for (auto& [j, lines] : runs) {
                std::vector<GeomPtr> parts;
                double length = 0.0;
                for (const auto& line : lines) {
                    parts.push_back(line_of(geos_, line));
                    double l = 0.0;
                    GEOSGeomGetLength_r(geos_, parts.back().get(), &l);
                    length += l;
                }
                Problem p{ProblemKind::UnmatchedEdge, {code(i), code(j)}, "", geos_.collect(GEOS_MULTILINESTRING, std::move(parts))};
                p.detail = code(i) + " against " + code(j);
                p.length_m = length;
                problems_.push_back(std::move(p));
            }
        }
    }

    // The first neighbour (in layer order) whose boundary is within the tolerance of both ends and
    // the middle of segment a-b; SIZE_MAX if none.
    std::size_t near_neighbour(std::size_t i, const std::array<double, 2>& a, const std::array<double, 2>& b)
    {
        const Envelope seg{std::min(a[0], b[0]), std::min(a[1], b[1]), std::max(a[0], b[0]), std::max(a[1], b[1])};
        for (std::size_t j : neighbours_[i]) {
            if (!seg.near(envelopes_[j], tolerance_)) continue;
            if (!boundaries_[j]) boundaries_[j] = geos_.own(GEOSBoundary_r(geos_, geoms_[j]), "boundary of a commune");
            const std::array<std::array<double, 2>, 3> probes{{{(a[0] + b[0]) / 2, (a[1] + b[1]) / 2}, a, b}};
            bool near = true;
            for (const auto& q : probes) {
                GeomPtr point = geos_.own(GEOSGeom_createPointFromXY_r(geos_, q[0], q[1]), "building a point");
                if (GEOSDistanceWithin_r(geos_, point.get(), boundaries_[j].get(), tolerance_) != 1) {
                    near = false;
                    break;
                }
            }
            if (near) return j;
        }
        return SIZE_MAX;
    }

    const CommuneLayer& layer_;
    const GeosContext& geos_;
    double gap_width_;
    double tolerance_;
    double min_area_;
    std::vector<const GEOSGeometry*> geoms_; // valid or repaired; null when empty
    std::vector<GeomPtr> repaired_;
    std::vector<GeomPtr> boundaries_; // computed on demand
    std::vector<std::size_t> ids_;    // stable items for the tree
    std::vector<Envelope> envelopes_;
    std::vector<std::vector<std::size_t>> neighbours_;
    TreePtr tree_;
    std::vector<Problem> problems_;
};

} // namespace

CheckReport check_coverage(const CommuneLayer& layer, const GeosContext& geos, const CheckOptions& options)
{
    return Checker(layer, geos, options).run();
}

} // namespace cptsmap
