#include "cptsmap/clean/coverage_clean.hpp"

#include "cptsmap/check/coverage_gaps.hpp"
#include "cptsmap/geometry/box_index.hpp"
#include "cptsmap/geometry/coverage_faces.hpp"
#include "cptsmap/error.hpp"
#include "cptsmap/geometry/polygonal.hpp"
#include "cptsmap/geometry/quick_validity.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <span>
#include <string>
#include <set>
#include <tuple>

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
    case ChangeReason::Node: return "node";
    }
    return "?";
}

namespace {

using FaceIndex = CoverageFaces::FaceIndex;
constexpr CommuneIndex nobody = CoverageFaces::nobody;

class Cleaner {
public:
    Cleaner(const GeosContext& geos, const CleanOptions& options) : geos_(geos), o_(options) {}

    CleanResult run(const std::vector<const GEOSGeometry*>& input)
    {
        if (o_.rule == OverlapRule::Priority && o_.priority.size() != input.size())
            throw InputError("the priority rule needs one priority value per commune (" + std::to_string(input.size()) + "), " +
                             std::to_string(o_.priority.size()) + " given");
        validate(input);
        if (o_.snap_distance_m > 0.0) snap();
        repair_on_faces();
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
            geoms_[i] = geos_.clone(in);
            if (is_valid(geos_, in)) continue;
            GeomPtr fixed = polygonal_part(geos_, geos_.own(GEOSMakeValid_r(geos_, in), "make-valid of a polygon"));
            if (GEOSisEmpty_r(geos_, fixed.get()) == 1) continue;
            ++result_.stats.repaired_invalid;
            record(ChangeReason::MakeValid, i, area_of(geos_, fixed.get()) - area_of(geos_, in), {}, nullptr, 0.0, "make-valid");
            geoms_[i] = std::move(fixed);
        }
    }

    void record(ChangeReason reason, std::size_t i, double change_m2, std::vector<std::size_t> others, GeomPtr piece, double width, std::string rule)
    {
        CleanChange c;
        c.reason = reason;
        c.polygon = i;
        c.others = std::move(others);
        c.change_m2 = change_m2;
        c.piece_m2 = reason == ChangeReason::Snap || reason == ChangeReason::MakeValid ? area_of(geos_, piece.get()) : std::abs(change_m2);
        c.width_m = width;
        c.rule = std::move(rule);
        c.piece = std::move(piece);
        result_.changes.push_back(std::move(c));
    }

    // Each polygon snapped to its neighbours (those whose envelopes come within the snap distance,
    // from the R-tree of geometry/box_index) as they are then: those before it already snapped.
    void snap()
    {
        std::vector<std::array<double, 4>> env(geoms_.size(), {1.0, 1.0, 0.0, 0.0}); // inverted: no polygon
        for (std::size_t i = 0; i < geoms_.size(); ++i)
            if (geoms_[i]) env[i] = envelope_of(geos_, g(i));
        const BoxIndex index(env);
        const double d = o_.snap_distance_m;
        for (std::size_t i = 0; i < geoms_.size(); ++i) {
            if (!geoms_[i]) continue;
            std::vector<GeomPtr> targets;
            std::vector<std::size_t> who;
            for (CommuneIndex j : index.query(env[i][0] - d, env[i][1] - d, env[i][2] + d, env[i][3] + d)) {
                if (j == i || !geoms_[j] || GEOSDistanceWithin_r(geos_, g(i), g(j), d) != 1) continue;
                targets.push_back(geos_.clone(g(j)));
                who.push_back(j);
            }
            if (targets.empty()) continue;
            GeomPtr to = geos_.collect(GEOS_GEOMETRYCOLLECTION, std::move(targets));
            GeomPtr snapped = geos_.own(GEOSSnap_r(geos_, g(i), to.get(), d), "snapping a commune to its neighbours");
            if (GEOSEqualsExact_r(geos_, snapped.get(), g(i), 0.0) == 1) continue;
            if (GEOSisValid_r(geos_, snapped.get()) != 1)
                snapped = polygonal_part(geos_, geos_.own(GEOSMakeValid_r(geos_, snapped.get()), "make-valid of a snapped commune"));
            else snapped = polygonal_part(geos_, std::move(snapped));
            if (GEOSisEmpty_r(geos_, snapped.get()) == 1 || area_of(geos_, snapped.get()) < o_.min_area_m2) continue; // it would vanish: left unsnapped
            GeomPtr moved = polygonal_part(geos_, geos_.own(GEOSSymDifference_r(geos_, g(i), snapped.get()), "what snapping moved"));
            ++result_.stats.snapped;
            record(ChangeReason::Snap, i, area_of(geos_, snapped.get()) - area_of(geos_, g(i)), std::move(who), std::move(moved), 0.0, "snap");
            env[i] = envelope_of(geos_, snapped.get());
            geoms_[i] = std::move(snapped);
        }
    }

    // True if candidate a beats candidate b by the rule (then by border, then input order).
    bool beats(std::size_t a, double border_a, std::size_t b, double border_b) const
    {
        const auto cmp = [](double x, double y) { return std::abs(x - y) <= 1e-9 * std::max({1.0, std::abs(x), std::abs(y)}) ? 0 : (x > y ? 1 : -1); };
        int by_rule = 0;
        switch (o_.rule) {
        case OverlapRule::LongestBorder: break;
        case OverlapRule::Largest: by_rule = cmp(area_[a], area_[b]); break;
        case OverlapRule::Smallest: by_rule = -cmp(area_[a], area_[b]); break;
        case OverlapRule::Priority: by_rule = cmp(o_.priority[a], o_.priority[b]); break;
        }
        if (by_rule != 0) return by_rule > 0;
        if (const int by_border = cmp(border_a, border_b); by_border != 0) return by_border > 0;
        return a < b;
    }

    // Of the candidates, with the length of border each shares with the piece, the rule's winner.
    CommuneIndex winner(const std::vector<std::pair<CommuneIndex, double>>& candidates) const
    {
        if (candidates.empty()) return nobody;
        std::size_t best = 0;
        for (std::size_t k = 1; k < candidates.size(); ++k)
            if (beats(candidates[k].first, candidates[k].second, candidates[best].first, candidates[best].second)) best = k;
        return candidates[best].first;
    }

    // For an overlap face: the border it shares with the rest of each of its polygons (the faces
    // across its edges that the polygon covers too).
    std::vector<std::pair<CommuneIndex, double>> overlap_borders(const CoverageFaces& faces, FaceIndex f) const
    {
        std::vector<std::pair<CommuneIndex, double>> out;
        for (CommuneIndex c : faces.owners(f)) out.emplace_back(c, 0.0);
        for (const CoverageFaces::Border& b : faces.borders(f)) {
            if (b.face == CoverageFaces::outside) continue;
            const auto across = faces.owners(b.face);
            for (auto& [c, length] : out)
                if (std::binary_search(across.begin(), across.end(), c)) length += b.length;
        }
        return out;
    }

    // For a gap face: the border it shares with each polygon the faces around it were given.
    std::vector<std::pair<CommuneIndex, double>> gap_borders(const CoverageFaces& faces, FaceIndex f, const std::vector<CommuneIndex>& given) const
    {
        std::vector<std::pair<CommuneIndex, double>> out;
        for (const CoverageFaces::Border& b : faces.borders(f)) {
            const CommuneIndex c = b.face == CoverageFaces::outside ? nobody : given[b.face];
            if (c == nobody) continue;
            auto it = std::find_if(out.begin(), out.end(), [&](const auto& p) { return p.first == c; });
            if (it == out.end()) out.emplace_back(c, b.length);
            else it->second += b.length;
        }
        std::sort(out.begin(), out.end());
        return out;
    }

    void repair_on_faces()
    {
        const std::size_t n = geoms_.size();
        std::vector<const GEOSGeometry*> view(n);
        area_.assign(n, 0.0);
        for (std::size_t i = 0; i < n; ++i) {
            view[i] = g(i);
            area_[i] = area_of(geos_, g(i));
        }
        TopologyOptions topo;
        topo.touch_tolerance = o_.node_tolerance_m;
        topo.near_tolerance = o_.node_tolerance_m;
        const CoverageTopology topology(geos_, view, topo);
        const CoverageFaces faces(topology, o_.node_tolerance_m);
        result_.stats.nodes = faces.nodes_added();
        result_.stats.conflicts = faces.conflicts();
        const std::size_t nf = faces.size();

        // Faces covered by one polygon are its own; by several, the rule's winner's...
        std::vector<CommuneIndex> given(nf, nobody);
        std::vector<std::string> why(nf);
        for (FaceIndex f = 0; f < nf; ++f) {
            const auto owners = faces.owners(f);
            if (owners.size() == 1) given[f] = owners[0];
            else if (owners.size() > 1) given[f] = winner(overlap_borders(faces, f));
        }
        // ... those inside the union that none covers are gaps, given to the winner of those along
        // them when no wider than the gap width (those under the minimum area are not measured).
        std::vector<FaceIndex> gap_faces;
        std::vector<double> width(nf, 0.0);
        std::vector<GeomPtr> gap_piece(nf);
        for (FaceIndex f = 0; f < nf; ++f) {
            if (!faces.owners(f).empty()) continue;
            if (faces.area(f) >= o_.min_area_m2) {
                GeomPtr piece = faces.polygon(geos_, f);
                width[f] = hole_width(geos_, piece.get(), o_.gap_width_m);
                if (width[f] > o_.gap_width_m) {
                    ++result_.stats.wide_holes;
                    continue;
                }
                gap_piece[f] = std::move(piece);
            }
            gap_faces.push_back(f);
        }
        std::vector<std::vector<CommuneIndex>> along(nf);
        for (FaceIndex f : gap_faces) {
            const auto candidates = gap_borders(faces, f, given);
            given[f] = winner(candidates);
            for (const auto& [c, length] : candidates)
                if (c != given[f]) along[f].push_back(c);
        }
        keep_every_polygon(faces, given, why);

        // The polygons traced back from their faces; those that nothing changed stay as they were.
        std::vector<std::uint8_t> changed(n, 0);
        for (CommuneIndex c = 0; c < n; ++c) changed[c] = faces.noded(c) ? 1 : 0;
        for (FaceIndex f = 0; f < nf; ++f) {
            const auto owners = faces.owners(f);
            if (owners.size() == 1 && given[f] == owners[0]) continue;
            for (CommuneIndex c : owners) changed[c] = 1;
            if (given[f] != nobody) changed[given[f]] = 1;
        }
        std::vector<GeomPtr> traced = faces.polygons(geos_, given, n);
        std::vector<double> after(area_);
        std::vector<GeomPtr> previous(n); // of those replaced
        for (CommuneIndex c = 0; c < n; ++c) {
            if (changed[c] == 0 || !traced[c] || unresolved_[c] != 0) continue;
            if (!is_valid(geos_, traced[c].get()))
                traced[c] = polygonal_part(geos_, geos_.own(GEOSMakeValid_r(geos_, traced[c].get()), "make-valid of a cleaned commune"));
            after[c] = area_of(geos_, traced[c].get());
            previous[c] = std::move(geoms_[c]);
            geoms_[c] = std::move(traced[c]);
        }
        record_changes(faces, given, why, width, gap_piece, along, changed, after, previous);
    }

    // A polygon that covers faces but was given none keeps the largest of them ("kept"); one whose
    // faces all went to others kept the same way cannot (identical polygons): it keeps its geometry.
    void keep_every_polygon(const CoverageFaces& faces, std::vector<CommuneIndex>& given, std::vector<std::string>& why)
    {
        const std::size_t n = geoms_.size();
        unresolved_.assign(n, 0);
        std::vector<std::uint32_t> count(n, 0);
        std::vector<FaceIndex> largest(n, CoverageFaces::outside);
        std::vector<std::uint8_t> covers(n, 0);
        for (FaceIndex f = 0; f < faces.size(); ++f) {
            if (given[f] != nobody) ++count[given[f]];
            for (CommuneIndex c : faces.owners(f)) covers[c] = 1;
        }
        std::vector<std::uint8_t> kept(faces.size(), 0);
        for (CommuneIndex c = 0; c < n; ++c) {
            if (covers[c] == 0 || count[c] > 0) continue;
            // Of its faces, the largest whose winner has others left.
            FaceIndex best = CoverageFaces::outside;
            for (FaceIndex f = 0; f < faces.size(); ++f) { // rare: a scan is enough
                const auto owners = faces.owners(f);
                if (kept[f] != 0 || !std::binary_search(owners.begin(), owners.end(), c)) continue;
                if (given[f] != nobody && count[given[f]] < 2) continue;
                if (best == CoverageFaces::outside || faces.area(f) > faces.area(best)) best = f;
            }
            if (best == CoverageFaces::outside) {
                unresolved_[c] = 1;
                ++result_.stats.unresolved_overlaps;
                continue;
            }
            kept[best] = 1;
            if (given[best] != nobody) --count[given[best]];
            given[best] = c;
            ++count[c];
            why[best] = "kept: " + std::string(to_string(o_.rule)) + " would empty it";
            ++result_.stats.kept_from_vanishing;
        }
    }

    // One change per polygon that lost overlaps to another (their faces together), per gap filled,
    // and per polygon whose slivers and nodes changed its area by a thousandth of a m² or more.
    void record_changes(const CoverageFaces& faces, const std::vector<CommuneIndex>& given, const std::vector<std::string>& why,
                        const std::vector<double>& width, std::vector<GeomPtr>& gap_piece, const std::vector<std::vector<CommuneIndex>>& along,
                        const std::vector<std::uint8_t>& changed, const std::vector<double>& after, std::vector<GeomPtr>& previous)
    {
        const std::size_t n = geoms_.size();
        struct Loss {
            CommuneIndex loser, winner;
            std::string rule;
            std::vector<FaceIndex> faces;
        };
        std::vector<Loss> losses;
        std::vector<double> recorded(n, 0.0), sliver_area(n, 0.0);
        std::vector<std::vector<FaceIndex>> slivers(n);
        std::vector<std::vector<CommuneIndex>> sliver_others(n);
        for (FaceIndex f = 0; f < faces.size(); ++f) {
            const auto owners = faces.owners(f);
            const CommuneIndex w = given[f];
            if (owners.size() == 1 && w == owners[0]) continue;
            const bool sliver = faces.area(f) < o_.min_area_m2;
            if (sliver) ++result_.stats.slivers;
            for (CommuneIndex c : owners) {
                if (c == w || unresolved_[c] != 0) continue;
                if (sliver) {
                    slivers[c].push_back(f);
                    if (w != nobody) sliver_others[c].push_back(w);
                    continue;
                }
                const std::string rule = why[f].empty() ? std::string(to_string(o_.rule)) : why[f];
                auto it = std::find_if(losses.begin(), losses.end(), [&](const Loss& l) { return l.loser == c && l.winner == w && l.rule == rule; });
                if (it == losses.end()) losses.push_back(Loss{c, w, rule, {f}});
                else it->faces.push_back(f);
            }
            if (w != nobody && sliver) {
                slivers[w].push_back(f);
                for (CommuneIndex c : owners)
                    if (c != w) sliver_others[w].push_back(c);
            }
        }
        std::sort(losses.begin(), losses.end(), [](const Loss& a, const Loss& b) { return std::tie(a.loser, a.winner, a.rule) < std::tie(b.loser, b.winner, b.rule); });
        for (Loss& l : losses) {
            double area = 0.0;
            for (FaceIndex f : l.faces) area += faces.area(f);
            ++result_.stats.overlaps;
            recorded[l.loser] -= area;
            record(ChangeReason::Overlap, l.loser, -area, {l.winner}, pieces(faces, l.faces), 0.0, l.rule);
        }
        for (FaceIndex f = 0; f < faces.size(); ++f) {
            if (!gap_piece[f] || given[f] == nobody) continue;
            ++result_.stats.gaps;
            recorded[given[f]] += faces.area(f);
            std::vector<std::size_t> others(along[f].begin(), along[f].end());
            record(ChangeReason::Gap, given[f], faces.area(f), std::move(others), std::move(gap_piece[f]), width[f], to_string(o_.rule));
        }
        std::vector<std::uint8_t> has_row(n, 0);
        for (const CleanChange& change : result_.changes) has_row[change.polygon] = 1;
        for (CommuneIndex c = 0; c < n; ++c) {
            if (changed[c] == 0 || unresolved_[c] != 0) continue;
            const double rest = after[c] - area_[c] - recorded[c];
            if (has_row[c] != 0 && slivers[c].empty() && std::abs(rest) < 1e-3) continue; // its rows tell the change
            GeomPtr piece;
            if (!slivers[c].empty()) {
                piece = pieces(faces, slivers[c]); // the slivers it traded...
            } else if (previous[c]) {
                // ... or else the vertices it received; one whose vertices are the same, traced back
                // from its faces, did not change: it stays as it was.
                bool removed = false;
                piece = added_vertices(previous[c].get(), g(c), removed);
                if (!piece && !removed && std::abs(rest) < 1e-3) {
                    geoms_[c] = std::move(previous[c]);
                    continue;
                }
            }
            std::vector<CommuneIndex>& others = sliver_others[c];
            std::sort(others.begin(), others.end());
            others.erase(std::unique(others.begin(), others.end()), others.end());
            record(ChangeReason::Node, c, rest, std::vector<std::size_t>(others.begin(), others.end()), std::move(piece), 0.0, "node");
            result_.changes.back().piece_m2 = area_of(geos_, result_.changes.back().piece.get());
        }
    }

    // The vertices of `after` that `before` does not have, as a MultiPoint (null for none);
    // `removed`: whether `before` has vertices that `after` does not.
    GeomPtr added_vertices(const GEOSGeometry* before, const GEOSGeometry* after, bool& removed) const
    {
        std::set<std::array<double, 2>> had, has;
        for_each_ring(geos_, before, [&](const GEOSGeometry* ring) {
            for (const auto& p : ring_points(geos_, ring)) had.insert(p);
        });
        std::vector<GeomPtr> points;
        for_each_ring(geos_, after, [&](const GEOSGeometry* ring) {
            for (const auto& p : ring_points(geos_, ring))
                if (has.insert(p).second && had.count(p) == 0)
                    points.push_back(geos_.own(GEOSGeom_createPointFromXY_r(geos_, p[0], p[1]), "a vertex received"));
        });
        removed = std::any_of(had.begin(), had.end(), [&](const auto& p) { return has.count(p) == 0; });
        return points.empty() ? nullptr : geos_.collect(GEOS_MULTIPOINT, std::move(points));
    }

    // Faces as one geometry (a Polygon, or the union of several).
    GeomPtr pieces(const CoverageFaces& faces, const std::vector<FaceIndex>& list) const
    {
        if (list.size() == 1) return faces.polygon(geos_, list.front());
        std::vector<GeomPtr> parts;
        for (FaceIndex f : list) parts.push_back(faces.polygon(geos_, f));
        GeomPtr all = geos_.collect(GEOS_GEOMETRYCOLLECTION, std::move(parts));
        return polygonal_part(geos_, geos_.own(GEOSUnaryUnion_r(geos_, all.get()), "union of the faces of a change"));
    }

    const GeosContext& geos_;
    const CleanOptions& o_;
    std::vector<GeomPtr> geoms_;
    std::vector<double> area_; // of each polygon before the faces are given
    std::vector<std::uint8_t> unresolved_;
    CleanResult result_;
};

} // namespace

CleanResult clean_coverage(const GeosContext& geos, const std::vector<const GEOSGeometry*>& polygons, const CleanOptions& options)
{
    return Cleaner(geos, options).run(polygons);
}

} // namespace cptsmap
