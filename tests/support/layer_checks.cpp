#include "layer_checks.hpp"

#include <catch2/catch.hpp>
#include <ogr_api.h>
#include <ogrsf_frmts.h>

#include <set>
#include <sstream>

namespace cptsmap::test {

namespace {

using nlohmann::json;

std::set<std::string> split(const std::string& s)
{
    std::set<std::string> out;
    std::stringstream in(s);
    std::string item;
    while (std::getline(in, item, ','))
        if (!item.empty() && item != "...") out.insert(item);
    return out;
}

std::string field(const std::string& name, bool dbf)
{
    if (!dbf) return name;
    if (name == "territories") return "terr_ids";
    if (name == "covered_communes") return "cov_comm";
    if (name == "covered_population") return "cov_pop";
    if (name == "coverage_pct") return "cover_pct";
    return name;
}

void check_srs_and_validity(OGRLayer* layer, int epsg)
{
    const OGRSpatialReference* srs = layer->GetSpatialRef();
    REQUIRE(srs != nullptr);
    const char* code = srs->GetAuthorityCode(nullptr);
    CHECK(code != nullptr);
    if (code != nullptr) CHECK(std::stoi(code) == epsg);
    layer->ResetReading();
    for (auto& f : *layer) {
        const OGRGeometry* g = f->GetGeometryRef();
        REQUIRE(g != nullptr);
        const auto type = wkbFlatten(g->getGeometryType());
        CHECK((type == wkbMultiPolygon || type == wkbPolygon)); // a Shapefile reads single parts back as polygons
        CHECK(g->IsValid());
    }
}

double area_km2(const OGRFeature& f)
{
    const OGRGeometry* g = f.GetGeometryRef();
    return g == nullptr ? 0.0 : OGR_G_Area(OGRGeometry::ToHandle(const_cast<OGRGeometry*>(g))) / 1e6;
}

} // namespace

void check_layers_match_report(const LayerAccess& access, const json& report)
{
    const bool dbf = access.dbf;
    // Territories: same ids in the same order, same figures, areas as reported.
    OGRLayer* territories = access.layer("territories");
    REQUIRE(territories != nullptr);
    CHECK(territories->GetFeatureCount() == static_cast<GIntBig>(report["territories"].size()));
    check_srs_and_validity(territories, access.expected_epsg);
    std::set<std::string> reported; // every commune of a territory or of the study area
    std::size_t i = 0;
    territories->ResetReading();
    std::set<std::string> ids;
    for (auto& f : *territories) {
        REQUIRE(i < report["territories"].size());
        const std::string id = f->GetFieldAsString("id");
        ids.insert(id);
        std::size_t k = i++;
        if (!access.ordered)
            for (k = 0; k < report["territories"].size() && report["territories"][k]["id"] != id; ++k) {}
        REQUIRE(k < report["territories"].size());
        const json& t = report["territories"][k];
        CHECK(id == t["id"].get<std::string>());
        CHECK(f->GetFieldAsString("name") == t["name"].get<std::string>());
        CHECK(f->GetFieldAsInteger64("communes") == t["communes"].get<std::int64_t>());
        CHECK(f->GetFieldAsInteger64("population") == t["population"].get<std::int64_t>());
        CHECK(f->GetFieldAsDouble("area_km2") == Approx(t["area_km2"].get<double>()).margin(1e-6));
        CHECK(area_km2(*f) == Approx(t["area_km2"].get<double>()).margin(1e-5));
        for (const auto& c : t["insee"]) reported.insert(c.get<std::string>());
    }
    CHECK(ids.size() == report["territories"].size());
    const std::set<std::string> gaps(report["gaps"].begin(), report["gaps"].end());
    reported.insert(gaps.begin(), gaps.end());
    std::set<std::string> overlaps;
    for (const auto& o : report["overlaps"]) overlaps.insert(o["insee"].get<std::string>());

    // Communes: exactly the reported ones, with their status.
    OGRLayer* communes = access.layer("communes");
    REQUIRE(communes != nullptr);
    check_srs_and_validity(communes, access.expected_epsg);
    std::set<std::string> codes;
    communes->ResetReading();
    for (auto& f : *communes) {
        const std::string code = f->GetFieldAsString("insee");
        codes.insert(code);
        const std::string status = f->GetFieldAsString("status");
        if (gaps.count(code)) CHECK(status == "gap");
        else if (overlaps.count(code)) CHECK(status == "overlap");
        else CHECK(status == "covered");
        if (overlaps.count(code)) CHECK(split(f->GetFieldAsString(field("territories", dbf).c_str())).size() >= 2);
    }
    CHECK(codes == reported);
    CHECK(communes->GetFeatureCount() == static_cast<GIntBig>(reported.size()));

    // Gaps and overlaps: their communes add up to the report's lists.
    for (const char* name : {"gaps", "overlaps"}) {
        OGRLayer* zones = access.layer(name);
        REQUIRE(zones != nullptr);
        check_srs_and_validity(zones, access.expected_epsg);
        const std::set<std::string>& expected = std::string(name) == "gaps" ? gaps : overlaps;
        std::set<std::string> listed;
        GIntBig count = 0;
        zones->ResetReading();
        for (auto& f : *zones) {
            count += f->GetFieldAsInteger64("communes");
            for (const auto& c : split(f->GetFieldAsString("insee"))) listed.insert(c);
            CHECK(area_km2(*f) == Approx(f->GetFieldAsDouble("area_km2")).margin(1e-5));
        }
        INFO(name);
        CHECK(count == static_cast<GIntBig>(expected.size()));
        if (dbf) {
            for (const auto& c : listed) CHECK(expected.count(c) == 1); // lists may be cut at 254 bytes
        } else {
            CHECK(listed == expected);
        }
    }

    // Study area: one outline with the report's figures.
    OGRLayer* study = access.layer("study_area");
    REQUIRE(study != nullptr);
    check_srs_and_validity(study, access.expected_epsg);
    REQUIRE(study->GetFeatureCount() == 1);
    study->ResetReading();
    OGRFeatureUniquePtr f(study->GetNextFeature());
    REQUIRE(f);
    const json& sa = report["study_area"];
    CHECK(f->GetFieldAsInteger64("communes") == sa["communes"].get<std::int64_t>());
    CHECK(f->GetFieldAsInteger64("population") == sa["population"].get<std::int64_t>());
    CHECK(f->GetFieldAsInteger64(field("covered_population", dbf).c_str()) == sa["covered_population"].get<std::int64_t>());
    CHECK(f->GetFieldAsDouble(field("coverage_pct", dbf).c_str()) == Approx(sa["coverage_pct"].get<double>()).margin(1e-4));
    CHECK(area_km2(*f) == Approx(f->GetFieldAsDouble("area_km2")).margin(1e-5));
}

} // namespace cptsmap::test
