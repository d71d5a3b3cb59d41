#include "cptsmap/export/check_outputs.hpp"

#include "cptsmap/error.hpp"
#include "cptsmap/export/geojson_writer.hpp"
#include "cptsmap/export/layers.hpp"

#include <fstream>
#include <optional>
#include <sstream>

namespace cptsmap {

namespace {

const std::string& name_of(const CommuneLayer& layer, const std::string& insee)
{
    static const std::string none;
    const auto i = layer.find_code(insee);
    return i ? layer[*i].name : none;
}

nlohmann::ordered_json problem_json(const Problem& p, const CommuneLayer& layer)
{
    nlohmann::ordered_json j;
    switch (p.kind) {
    case ProblemKind::InvalidRing:
        j["insee"] = p.insee.front();
        j["nom"] = name_of(layer, p.insee.front());
        j["reason"] = p.detail;
        break;
    case ProblemKind::EmptyGeometry:
        j["insee"] = p.insee.front();
        j["nom"] = name_of(layer, p.insee.front());
        break;
    case ProblemKind::Overlap:
        j["insee"] = p.insee;
        j["area_m2"] = round_to(p.area_m2, 2);
        break;
    case ProblemKind::Gap:
        j["insee"] = p.insee;
        j["area_m2"] = round_to(p.area_m2, 2);
        j["width_m"] = round_to(p.width_m, 2);
        break;
    case ProblemKind::UnmatchedEdge:
        j["insee"] = p.insee.front();
        j["neighbour"] = p.insee.back();
        j["length_m"] = round_to(p.length_m, 2);
        break;
    }
    return j;
}

void write_layer(const CheckReport& report, const CommuneLayer& layer, ProblemKind kind, const std::string& path, const GeosContext& geos)
{
    std::vector<FieldSpec> fields;
    switch (kind) {
    case ProblemKind::InvalidRing: fields = {{"insee"}, {"nom"}, {"reason"}}; break;
    case ProblemKind::Overlap: fields = {{"insee", FieldKind::StringList}, {"area_m2", FieldKind::Real}}; break;
    case ProblemKind::Gap: fields = {{"insee", FieldKind::StringList}, {"area_m2", FieldKind::Real}, {"width_m", FieldKind::Real}}; break;
    case ProblemKind::UnmatchedEdge: fields = {{"insee"}, {"neighbour"}, {"length_m", FieldKind::Real}}; break;
    case ProblemKind::EmptyGeometry: return;
    }
    GeoJsonWriter w(path, std::filesystem::path(path).stem().string(), fields, delivery_crs(layer), geos);
    for (const Problem& p : report.problems) {
        if (p.kind != kind) continue;
        std::vector<FieldValue> values;
        switch (kind) {
        case ProblemKind::InvalidRing: values = {p.insee.front(), name_of(layer, p.insee.front()), p.detail}; break;
        case ProblemKind::Overlap: values = {p.insee, round_to(p.area_m2, 2)}; break;
        case ProblemKind::Gap: values = {p.insee, round_to(p.area_m2, 2), round_to(p.width_m, 2)}; break;
        case ProblemKind::UnmatchedEdge: values = {p.insee.front(), p.insee.back(), round_to(p.length_m, 2)}; break;
        case ProblemKind::EmptyGeometry: break;
        }
        // A problem smaller than the output grid would be written as an empty geometry: write the
        // point where it is instead, so that it can still be found on a map.
        const GEOSGeometry* g = p.geometry.get();
        // In the CRS of its communes' delivery (all of one: deliveries lie apart).
        const auto first = p.insee.empty() ? std::nullopt : layer.find_code(p.insee.front());
        const unsigned crs = first ? layer[*first].delivery : 0U;
        GeomPtr point;
        if (g != nullptr && GEOSisEmpty_r(geos, w.to_output_geometry(g, crs).get()) == 1 && GEOSisEmpty_r(geos, g) != 1) {
            point = geos.own(GEOSPointOnSurface_r(geos, g), "locating a problem");
            g = point.get();
        }
        w.add(values, g, crs);
    }
    w.close();
}

} // namespace

nlohmann::ordered_json make_check_report(const CheckReport& report, const CommuneLayer& layer)
{
    nlohmann::ordered_json j;
    j["source"] = layer.source;
    j["communes"] = report.communes;
    j["gap_width_m"] = report.gap_width_m;
    j["edge_tolerance_m"] = report.edge_tolerance_m;
    const std::pair<ProblemKind, const char*> kinds[] = {{ProblemKind::InvalidRing, "invalid_rings"},
                                                         {ProblemKind::EmptyGeometry, "empty_geometries"},
                                                         {ProblemKind::Overlap, "overlaps"},
                                                         {ProblemKind::Gap, "gaps"},
                                                         {ProblemKind::UnmatchedEdge, "unmatched_edges"}};
    nlohmann::ordered_json counts;
    for (const auto& [kind, key] : kinds) counts[key] = report.count(kind);
    counts["wide_holes"] = report.wide_holes;
    j["counts"] = counts;
    for (const auto& [kind, key] : kinds) {
        nlohmann::ordered_json list = nlohmann::ordered_json::array();
        for (const Problem& p : report.problems)
            if (p.kind == kind) list.push_back(problem_json(p, layer));
        j[key] = list;
    }
    return j;
}

void write_check_outputs(const CheckReport& report, const CommuneLayer& layer, OutputDir& out, const GeosContext& geos)
{
    write_layer(report, layer, ProblemKind::InvalidRing, out.staged("invalid_rings.geojson").string(), geos);
    write_layer(report, layer, ProblemKind::Overlap, out.staged("overlaps.geojson").string(), geos);
    write_layer(report, layer, ProblemKind::Gap, out.staged("gaps.geojson").string(), geos);
    write_layer(report, layer, ProblemKind::UnmatchedEdge, out.staged("unmatched_edges.geojson").string(), geos);
    write_text_file(out.staged("check.json"), make_check_report(report, layer).dump(2) + "\n");
    out.commit();
}

std::string format_check_summary(const CheckReport& report, const CommuneLayer& layer)
{
    std::ostringstream s;
    s << "communes: " << report.communes << " read from " << layer.source << "\n";
    s << "invalid rings: " << report.count(ProblemKind::InvalidRing) << "\n";
    s << "empty geometries: " << report.count(ProblemKind::EmptyGeometry) << "\n";
    s << "overlaps: " << report.count(ProblemKind::Overlap) << "\n";
    s << "gaps up to " << report.gap_width_m << " m wide: " << report.count(ProblemKind::Gap) << " (" << report.wide_holes
      << " wider holes not counted)\n";
    s << "unmatched edges within " << report.edge_tolerance_m << " m: " << report.count(ProblemKind::UnmatchedEdge) << "\n";
    return s.str();
}

} // namespace cptsmap
