#include "cptsmap/diff/territory_diff.hpp"

#include "cptsmap/error.hpp"
#include "cptsmap/layer/population.hpp"

#include <algorithm>
#include <map>
#include <set>

namespace cptsmap {

const char* to_string(ChangeKind k)
{
    switch (k) {
    case ChangeKind::Joined: return "joined";
    case ChangeKind::Left: return "left";
    case ChangeKind::Moved: return "moved";
    case ChangeKind::BecameGap: return "became a gap";
    case ChangeKind::BecameOverlap: return "became an overlap";
    case ChangeKind::ResolvedOverlap: return "overlap resolved";
    case ChangeKind::Changed: return "changed";
    }
    return "?";
}

std::size_t TerritoryDiff::count(ChangeKind k) const
{
    return static_cast<std::size_t>(std::count_if(communes.begin(), communes.end(), [&](const CommuneChange& c) { return c.kind == k; }));
}

TerritoryVersion version_of(const CommuneLayer& layer, Resolution resolution, std::string source)
{
    TerritoryVersion v;
    v.source = std::move(source);
    v.coverage = compute_coverage(layer, resolution);
    for (const TermResolution& t : resolution.terms)
        if (t.method == "history") v.mappings.push_back(t.term + ": " + t.note);
    v.resolution = std::move(resolution);
    return v;
}

namespace {

// The layer's communes for a code of an earlier report: the code itself, else where the history
// carries it.
CommuneSet communes_for(const CommuneLayer& layer, const std::string& code, const CommuneHistory* history, const std::string& source,
                        std::vector<std::string>& mappings)
{
    if (auto i = layer.find_code(code)) return {*i};
    if (history != nullptr) {
        const auto alive = [&](const std::string& c) { return layer.find_code(c).has_value(); };
        if (auto m = history->map_code(code, alive); m && !m->codes.empty()) {
            CommuneSet out;
            for (const std::string& c : m->codes) out.push_back(*layer.find_code(c));
            std::sort(out.begin(), out.end());
            std::string to;
            for (const std::string& c : m->codes) to += (to.empty() ? "" : ", ") + c;
            mappings.push_back(code + " → " + to + " (" + m->describe() + ")");
            return out;
        }
    }
    throw InputError(source + " names commune " + code + ", which the commune layer does not hold" +
                     (history != nullptr ? " and the history does not lead to" : "; if it has merged since, give --cog-history") + "");
}

std::vector<std::string> ids_of(const TerritoryVersion& v, const std::vector<std::size_t>& territories)
{
    std::vector<std::string> out;
    for (std::size_t t : territories) out.push_back(v.resolution.territories[t].id);
    std::sort(out.begin(), out.end());
    return out;
}

ChangeKind kind_of(const std::vector<std::string>& before, const std::vector<std::string>& after, CoverageStatus status_after)
{
    if (before.empty()) return ChangeKind::Joined;
    if (after.empty()) return status_after == CoverageStatus::Gap ? ChangeKind::BecameGap : ChangeKind::Left;
    if (before.size() == 1 && after.size() == 1) return ChangeKind::Moved;
    if (before.size() == 1) return ChangeKind::BecameOverlap;
    if (after.size() == 1) return ChangeKind::ResolvedOverlap;
    return ChangeKind::Changed;
}

} // namespace

TerritoryVersion version_from_report(const CommuneLayer& layer, const nlohmann::json& report, std::string source,
                                     const CommuneHistory* history)
{
    if (!report.is_object() || !report.contains("territories") || !report["territories"].is_array()) {
        throw InputError(source + " is not a cptsmap report.json (no \"territories\" array); give the folder of an earlier build or its definitions");
    }
    Resolution r;
    std::vector<std::string> mappings;
    std::set<std::string> departements;
    if (report.contains("study_area") && report["study_area"].contains("by_departement"))
        for (const auto& d : report["study_area"]["by_departement"]) departements.insert(d.value("departement", ""));
    for (const auto& t : report["territories"]) {
        ResolvedTerritory territory;
        territory.id = t.value("id", "");
        territory.name = t.value("name", territory.id);
        for (const auto& code : t.value("insee", std::vector<std::string>{}))
            territory.communes = set_union(territory.communes, communes_for(layer, code, history, source, mappings));
        for (CommuneIndex i : territory.communes)
            if (departements.count(layer[i].departement) > 0) r.study_area.push_back(i);
        r.territories.push_back(std::move(territory));
    }
    for (const auto& code : report.value("gaps", std::vector<std::string>{})) {
        const CommuneSet s = communes_for(layer, code, history, source, mappings);
        r.study_area.insert(r.study_area.end(), s.begin(), s.end());
    }
    std::sort(r.study_area.begin(), r.study_area.end());
    r.study_area.erase(std::unique(r.study_area.begin(), r.study_area.end()), r.study_area.end());
    r.study_area_defined = true;
    TerritoryVersion v = version_of(layer, std::move(r), std::move(source));
    v.mappings = std::move(mappings);
    return v;
}

TerritoryDiff diff_versions(const CommuneLayer& layer, const TerritoryVersion& before, const TerritoryVersion& after)
{
    TerritoryDiff d;
    // Communes whose claims changed, by INSEE code.
    std::vector<CommuneIndex> order(layer.size());
    for (CommuneIndex i = 0; i < layer.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](CommuneIndex a, CommuneIndex b) { return layer[a].insee < layer[b].insee; });
    for (CommuneIndex i : order) {
        std::vector<std::string> b = ids_of(before, before.coverage.territories_of[i]), a = ids_of(after, after.coverage.territories_of[i]);
        if (a == b) continue;
        CommuneChange c;
        c.commune = i;
        c.status_before = before.coverage.status[i];
        c.status_after = after.coverage.status[i];
        c.kind = kind_of(b, a, c.status_after);
        c.before = std::move(b);
        c.after = std::move(a);
        d.communes.push_back(std::move(c));
    }
    // Territories by id: the before version's order, then the new ones.
    std::vector<std::string> ids;
    std::map<std::string, std::pair<const ResolvedTerritory*, const ResolvedTerritory*>> by_id;
    for (const auto* v : {&before, &after})
        for (const ResolvedTerritory& t : v->resolution.territories) {
            auto [it, added] = by_id.try_emplace(t.id, nullptr, nullptr);
            if (added) ids.push_back(t.id);
            (v == &before ? it->second.first : it->second.second) = &t;
        }
    const auto area = [&](const CommuneSet& s) {
        double sum = 0.0;
        for (CommuneIndex i : s) sum += layer[i].area_m2;
        return sum;
    };
    const auto population = [&](const CommuneSet& s) { return population_of(layer, s); };
    const auto by_code = [&](CommuneSet s) {
        std::sort(s.begin(), s.end(), [&](CommuneIndex a, CommuneIndex b) { return layer[a].insee < layer[b].insee; });
        return s;
    };
    for (const std::string& id : ids) {
        const auto [b, a] = by_id.at(id);
        TerritoryChange t;
        t.id = id;
        t.name = a != nullptr ? a->name : b->name;
        t.before = b != nullptr;
        t.after = a != nullptr;
        static const CommuneSet none;
        const CommuneSet& cb = b != nullptr ? b->communes : none;
        const CommuneSet& ca = a != nullptr ? a->communes : none;
        t.communes_before = cb.size();
        t.communes_after = ca.size();
        t.population_before = population(cb);
        t.population_after = population(ca);
        t.area_before_m2 = area(cb);
        t.area_after_m2 = area(ca);
        t.gained = by_code(set_difference(ca, cb));
        t.lost = by_code(set_difference(cb, ca));
        d.territories.push_back(std::move(t));
    }
    // Coverage by département: the union of both versions' départements.
    std::map<std::string, CoverageChange> deps;
    for (const auto& s : before.coverage.by_departement) deps[s.departement].before = s;
    for (const auto& s : after.coverage.by_departement) deps[s.departement].after = s;
    for (auto& [code, c] : deps) {
        c.departement = code;
        c.before.departement = c.after.departement = code;
        d.departements.push_back(c);
    }
    d.study_area.before = before.coverage.study_area;
    d.study_area.after = after.coverage.study_area;
    return d;
}

} // namespace cptsmap
