#include "cptsmap/clean/coverage_clean.hpp"

#include "cptsmap/check/coverage_gaps.hpp"
#include "cptsmap/clean/border_nodes.hpp"
#include "cptsmap/geometry/box_index.hpp"
#include "cptsmap/error.hpp"
#include "cptsmap/geometry/polygonal.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>

namespace cptsmap {

const char* to_string(OverlapRule rule) noexcept
{
    switch (rule) {
    case OverlapRule::LongestBorder: return "longest-border";
    case OverlapRule::Largest: return "largest";
    case OverlapRule::Smallest: return "smallest";
    case OverlapRule::Priority: return "priority";
    }
    return "?";
}

OverlapRule overlap_rule_from(const std::string& name)
{
    for (OverlapRule r : {OverlapRule::LongestBorder, OverlapRule::Largest, OverlapRule::Smallest, OverlapRule::Priority})
        if (name == to_string(r)) return r;
    throw InputError("unknown overlap rule \"" + name + "\"; use longest-border, largest, smallest or priority");
}

const char* to_string(ChangeReason reason) noexcept
{
    switch (reason) {
    case ChangeReason::Snap: return "snap";
    case ChangeReason::Overlap: return "overlap";
    case ChangeReason::Gap: return "gap";
    case ChangeReason::MakeValid: return "make-valid";
    }
    return "?";
}

namespace {

// `g` without the polygons smaller than min_area (slivers an overlay leaves), unless all are.
GeomPtr without_slivers(const GeosContext& geos, GeomPtr g, double min_area)
{
    if (GEOSGeomTypeId_r(geos, g.get()) != GEOS_MULTIPOLYGON) return g;
    const int n = GEOSGetNumGeometries_r(geos, g.get());
    std::vector<GeomPtr> kept;
    for (int k = 0; k < n; ++k) {
        const GEOSGeometry* part = GEOSGetGeometryN_r(geos, g.get(), k);
        if (area_of(geos, part) >= min_area) kept.push_back(geos.clone(part));
    }
    if (kept.empty() || static_cast<int>(kept.size()) == n) return g;
    return geos.collect(GEOS_MULTIPOLYGON, std::move(kept));
}

class Cleaner {
public:
    Cleaner(const GeosContext& geos, const CleanOptions& options) : geos_(geos), o_(options) {}

    CleanResult run(const std::vector<const GEOSGeometry*>& input)
    {
        if (o_.rule == OverlapRule::Priority && o_.priority.size() != input.size())
            throw InputError("the priority rule needs one priority value per commune (" + std::to_string(input.size()) + "), " +
                             std::to_string(o_.priority.size()) + " given");
        validate(input);
        neighbours();
        if (o_.snap_distance_m > 0.0) snap();
        overlaps();
        gaps();
        node_changed();
        result_.polygons = std::move(geoms_);
        return std::move(result_);
    }

private:
    const GEOSGeometry* g(std::size_t i) const { return geoms_[i].get(); }

    // The valid polygonal part of each input; invalid ones made valid (a polygon that make-valid
    // empties is kept as it was: nothing can be done with it, and it must not disappear).
    void validate(const std::vector<const GEOSGeometry*>& input)
    {
        geoms_.resize(input.size());
        for (std::size_t i = 0; i < input.size(); ++i) {
            const GEOSGeometry* in = input[i];
            if (in == nullptr || GEOSisEmpty_r(geos_, in) == 1) continue;
            if (GEOSisValid_r(geos_, in) == 1) {
                geoms_[i] = geos_.clone(in);
                continue;
            }
            GeomPtr fixed = polygonal_part(geos_, geos_.own(GEOSMakeValid_r(geos_, in), "make-valid of a polygon"));
            if (GEOSisEmpty_r(geos_, fixed.get()) == 1) {
                geoms_[i] = geos_.clone(in);
                continue;
            }
            ++result_.stats.repaired_invalid;
            geoms_[i] = geos_.clone(in);
            change(ChangeReason::MakeValid, i, std::move(fixed), {}, nullptr, "make-valid");
        }
    }

    // The pairs whose envelopes come within the snap distance (the R-tree of geometry/box_index).
    void neighbours()
    {
        std::vector<std::array<double, 4>> env(geoms_.size(), {1.0, 1.0, 0.0, 0.0}); // inverted: no polygon
        for (std::size_t i = 0; i < geoms_.size(); ++i)
            if (geoms_[i]) env[i] = envelope_of(geos_, g(i));
        const BoxIndex index(env);
        near_.assign(geoms_.size(), {});
        const double d = std::max(o_.snap_distance_m, 0.0) + 1e-6;
        for (std::size_t i = 0; i < geoms_.size(); ++i) {
            if (!geoms_[i]) continue;
            for (CommuneIndex k : index.query(env[i][0] - d, env[i][1] - d, env[i][2] + d, env[i][3] + d))
                if (k != i) near_[i].push_back(k);
        }
    }

    // Replaces polygon i by `after` and records the change; `after` must not be empty.
    void change(ChangeReason reason, std::size_t i, GeomPtr after, std::vector<std::size_t> others, GeomPtr piece, std::string rule, double width = 0.0)
    {
        if (GEOSisValid_r(geos_, after.get()) != 1) // an overlay's result, in rare cases
            after = polygonal_part(geos_, geos_.own(GEOSMakeValid_r(geos_, after.get()), "make-valid of a cleaned commune"));
        if (reason != ChangeReason::MakeValid) after = without_slivers(geos_, std::move(after), o_.min_area_m2);
        CleanChange c;
        c.reason = reason;
        c.polygon = i;
        c.others = std::move(others);
        c.change_m2 = area_of(geos_, after.get()) - area_of(geos_, g(i));
        c.piece_m2 = area_of(geos_, piece.get());
        c.width_m = width;
        c.rule = std::move(rule);
        c.piece = std::move(piece);
        geoms_[i] = std::move(after);
        result_.changes.push_back(std::move(c));
    }

    // Gives polygon i the vertices of `from` that lie on its segments (within a micrometre): the
    // nodes an overlay made on the border of its neighbour, so that the border is the same on both
    // sides (an edge-matched coverage). The shape does not change: no CleanChange, but i is noded.
    void node(std::size_t i, const GEOSGeometry* from)
    {
        GeomPtr noded = with_border_nodes(geos_, g(i), from, 1e-6);
        if (!noded || GEOSisValid_r(geos_, noded.get()) != 1) return;
        geoms_[i] = std::move(noded);
        if (std::find(result_.noded.begin(), result_.noded.end(), i) == result_.noded.end()) result_.noded.push_back(i);
    }

    // node() with the vertices of polygon i as it now is, for each neighbour of i (and each of
    // `more`) that touches the piece i lost or gained: the one that kept an overlap, those along a
    // gap, a third one at a triple point. (i's own vertices, not the piece's: an overlay computes
    // the nodes of the piece and of the rest each on its own, a few 1e-10 m apart.)
    void node_around(std::size_t i, const std::vector<std::size_t>& more, const GEOSGeometry* piece)
    {
        if (piece == nullptr || GEOSisEmpty_r(geos_, piece) == 1) return;
        std::vector<std::size_t> around = near_[i];
        around.insert(around.end(), more.begin(), more.end());
        std::sort(around.begin(), around.end());
        around.erase(std::unique(around.begin(), around.end()), around.end());
        for (std::size_t k : around)
            if (k != i && geoms_[k] && GEOSDistanceWithin_r(geos_, g(k), piece, 1e-6) == 1) node(k, g(i));
    }

    // Last, each polygon that changed and each of its neighbours give one another the vertices
    // that lie on the other's border (within a micrometre). node_around() gives them to those that
    // touch the piece; a node an overlay made a few 1e-9 m inside a third polygon, at a triple
    // point, is not seen by it and leaves a border walked twice the same way (a micro-overlap),
    // which the edge topology of the dissolve refuses (`build --clean`).
    void node_changed()
    {
        std::vector<std::uint8_t> touched(geoms_.size(), 0);
        for (const CleanChange& c : result_.changes) touched[c.polygon] = 1;
        for (std::size_t i : result_.noded) touched[i] = 1;
        neighbours(); // as they are now: a filled gap brings communes that were apart together
        for (std::size_t i = 0; i < geoms_.size(); ++i) {
            if (touched[i] == 0 || !geoms_[i]) continue;
            for (std::size_t k : near_[i]) {
                if (!geoms_[k] || GEOSDistanceWithin_r(geos_, g(i), g(k), 1e-6) != 1) continue;
                trim_needle(i, k);
                node(k, g(i));
                node(i, g(k));
            }
        }
    }

    // An overlap of i and k below min_area that the overlays left (a needle of i along k's border,
    // a few 1e-9 m² — noise, not a change of the input) is cut from i, on k's own vertices.
    void trim_needle(std::size_t i, std::size_t k)
    {
        if (GEOSRelatePattern_r(geos_, g(i), g(k), "2********") != 1) return;
        GeomPtr common = geos_.own(GEOSIntersection_r(geos_, g(i), g(k)), "intersecting two cleaned communes");
        const double a = area_of(geos_, common.get());
        if (!(a > 0.0) || a >= o_.min_area_m2) return;
        GeomPtr rest = polygonal_part(geos_, geos_.own(GEOSDifference_r(geos_, g(i), g(k)), "cutting a needle from a commune"));
        if (GEOSisEmpty_r(geos_, rest.get()) == 1 || GEOSisValid_r(geos_, rest.get()) != 1) return;
        geoms_[i] = without_slivers(geos_, std::move(rest), o_.min_area_m2);
    }

    // Each polygon snapped to its neighbours as they are then (those before it already snapped).
    void snap()
    {
        for (std::size_t i = 0; i < geoms_.size(); ++i) {
            if (!geoms_[i]) continue;
            std::vector<GeomPtr> targets;
            std::vector<std::size_t> who;
            for (std::size_t j : near_[i]) {
                if (!geoms_[j] || GEOSDistanceWithin_r(geos_, g(i), g(j), o_.snap_distance_m) != 1) continue;
                targets.push_back(geos_.clone(g(j)));
                who.push_back(j);
            }
            if (targets.empty()) continue;
            GeomPtr to = geos_.collect(GEOS_GEOMETRYCOLLECTION, std::move(targets));
            GeomPtr snapped = geos_.own(GEOSSnap_r(geos_, g(i), to.get(), o_.snap_distance_m), "snapping a commune to its neighbours");
            if (GEOSEqualsExact_r(geos_, snapped.get(), g(i), 0.0) == 1) continue;
            if (GEOSisValid_r(geos_, snapped.get()) != 1)
                snapped = polygonal_part(geos_, geos_.own(GEOSMakeValid_r(geos_, snapped.get()), "make-valid of a snapped commune"));
            else snapped = polygonal_part(geos_, std::move(snapped));
            if (GEOSisEmpty_r(geos_, snapped.get()) == 1 || area_of(geos_, snapped.get()) < o_.min_area_m2) continue; // it would vanish: left unsnapped
            GeomPtr moved = polygonal_part(geos_, geos_.own(GEOSSymDifference_r(geos_, g(i), snapped.get()), "what snapping moved"));
            ++result_.stats.snapped;
            change(ChangeReason::Snap, i, std::move(snapped), std::move(who), std::move(moved), "snap");
        }
    }

    // Length of the border between `piece` and `rest` (a polygon without the piece).
    double border(const GEOSGeometry* piece, const GEOSGeometry* rest) const
    {
        if (GEOSisEmpty_r(geos_, rest) == 1) return 0.0;
        GeomPtr rim = geos_.own(GEOSBoundary_r(geos_, piece), "boundary of a piece");
        GeomPtr shared = geos_.own(GEOSIntersection_r(geos_, rim.get(), rest), "border of a piece");
        double length = 0.0;
        GEOSLength_r(geos_, shared.get(), &length);
        return length;
    }

    // True if candidate a beats candidate b by the rule (then by border, then input order).
    bool beats(std::size_t a, double border_a, std::size_t b, double border_b) const
    {
        const auto cmp = [](double x, double y) { return std::abs(x - y) <= 1e-9 * std::max({1.0, std::abs(x), std::abs(y)}) ? 0 : (x > y ? 1 : -1); };
        int by_rule = 0;
        switch (o_.rule) {
        case OverlapRule::LongestBorder: break;
        case OverlapRule::Largest: by_rule = cmp(area_of(geos_, g(a)), area_of(geos_, g(b))); break;
        case OverlapRule::Smallest: by_rule = -cmp(area_of(geos_, g(a)), area_of(geos_, g(b))); break;
        case OverlapRule::Priority: by_rule = cmp(o_.priority[a], o_.priority[b]); break;
        }
        if (by_rule != 0) return by_rule > 0;
        if (const int by_border = cmp(border_a, border_b); by_border != 0) return by_border > 0;
        return a < b;
    }

    // Every pair whose interiors meet, in input order: the overlap goes to the rule's winner.
    void overlaps()
    {
        for (std::size_t i = 0; i < geoms_.size(); ++i) {
            if (!geoms_[i]) continue;
            PreparedPtr prepared;
            for (std::size_t j : near_[i]) {
                if (j < i || !geoms_[j]) continue;
                if (!prepared) { // again when i itself has lost an overlap
                    prepared = geos_.prepare(g(i));
                }
                // Interiors that meet, as check tests it: one overlaps, covers or is covered by the other.
                // A predicate GEOS cannot decide (2: a topology exception) lets the intersection decide.
                const auto meet = [&] {
                    for (auto* predicate : {GEOSPreparedOverlaps_r, GEOSPreparedCovers_r, GEOSPreparedCoveredBy_r})
                        if (predicate(geos_, prepared.get(), g(j)) != 0) return true;
                    return false;
                };
                if (!meet()) continue;
                GeomPtr piece = polygonal_part(geos_, geos_.own(GEOSIntersection_r(geos_, g(i), g(j)), "intersecting two communes"));
                const double area = area_of(geos_, piece.get());
                if (area < o_.min_area_m2 || area <= 0.0) continue;
                GeomPtr rest_i = polygonal_part(geos_, geos_.own(GEOSDifference_r(geos_, g(i), piece.get()), "taking an overlap from a commune"));
                GeomPtr rest_j = polygonal_part(geos_, geos_.own(GEOSDifference_r(geos_, g(j), piece.get()), "taking an overlap from a commune"));
                const double border_i = border(piece.get(), rest_i.get()), border_j = border(piece.get(), rest_j.get());
                std::size_t winner = beats(i, border_i, j, border_j) ? i : j;
                std::size_t loser = winner == i ? j : i;
                std::string rule = to_string(o_.rule);
                const auto vanishes = [&](const GeomPtr& rest) { return area_of(geos_, rest.get()) < o_.min_area_m2; };
                if (vanishes(loser == i ? rest_i : rest_j)) {
                    if (vanishes(winner == i ? rest_i : rest_j)) { // identical polygons: nothing to give
                        ++result_.stats.unresolved_overlaps;
                        continue;
                    }
                    std::swap(winner, loser);
                    rule = "kept: " + std::string(to_string(o_.rule)) + " would empty it";
                    ++result_.stats.kept_from_vanishing;
                }
                ++result_.stats.overlaps;
                prepared.reset(); // before the geometry of i may go
                change(ChangeReason::Overlap, loser, std::move(loser == i ? rest_i : rest_j), {winner}, std::move(piece), std::move(rule));
                node_around(loser, {}, result_.changes.back().piece.get());
            }
        }
    }

    // The gaps of the coverage as check finds them, each merged into one polygon along it.
    void gaps()
    {
        std::vector<const GEOSGeometry*> view(geoms_.size());
        for (std::size_t i = 0; i < geoms_.size(); ++i) view[i] = g(i);
        CoverageGaps found = find_coverage_gaps(geos_, view, o_.gap_width_m, o_.min_area_m2);
        result_.stats.wide_holes = found.wide_holes;
        for (CoverageGap& gap : found.gaps) {
            if (gap.along.empty()) continue; // no polygon within a millimetre: cannot happen for a hole of the union
            std::size_t best = 0;
            for (std::size_t k = 1; k < gap.along.size(); ++k)
                if (beats(gap.along[k], gap.border_m[k], gap.along[best], gap.border_m[best])) best = k;
            const std::size_t w = gap.along[best];
            GeomPtr merged = polygonal_part(geos_, geos_.own(GEOSUnion_r(geos_, g(w), gap.geometry.get()), "merging a gap into a commune"));
            std::vector<std::size_t> others;
            for (std::size_t j : gap.along)
                if (j != w) others.push_back(j);
            ++result_.stats.gaps;
            change(ChangeReason::Gap, w, std::move(merged), others, std::move(gap.geometry), to_string(o_.rule), gap.width_m);
            node_around(w, others, result_.changes.back().piece.get());
        }
    }

    const GeosContext& geos_;
    const CleanOptions& o_;
    std::vector<GeomPtr> geoms_;
    std::vector<std::vector<std::size_t>> near_;
    CleanResult result_;
};

} // namespace

CleanResult clean_coverage(const GeosContext& geos, const std::vector<const GEOSGeometry*>& polygons, const CleanOptions& options)
{
    return Cleaner(geos, options).run(polygons);
}

} // namespace cptsmap
