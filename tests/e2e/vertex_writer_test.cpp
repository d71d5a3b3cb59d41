// The GeoJSON layers written from the topology's vertex ids (each vertex reprojected once) against
// the same layers written from GEOS geometries, on the real Côte-d'Or + Haute-Marne extract.
#include "cptsmap/export/layers.hpp"
#include "cptsmap/export/vertex_lonlat.hpp"
#include "cptsmap/pipeline/build.hpp"
#include "test_support.hpp"

#include <catch2/catch.hpp>
#include <ogr_spatialref.h>
#include <ogrsf_frmts.h>

#include <cmath>
#include <map>

using namespace cptsmap;
using namespace cptsmap::test;
namespace fs = std::filesystem;

namespace {

BuildResult cote_dor_build()
{
    BuildOptions options;
    options.load.path = cote_dor_dir().string();
    options.definitions = (source_dir() / "examples" / "cote-dor.toml").string();
    return compute(options, shared_geos());
}

// Area (in square degrees: only compared with itself) and validity of each feature, by `key`.
std::map<std::string, std::pair<double, bool>> areas(const fs::path& path, const char* key)
{
    GDALAllRegister();
    std::map<std::string, std::pair<double, bool>> out;
    GDALDatasetUniquePtr ds(GDALDataset::Open(path.string().c_str(), GDAL_OF_VECTOR));
    REQUIRE(ds);
    for (auto& f : *ds->GetLayer(0)) {
        const OGRGeometry* g = f->GetGeometryRef();
        REQUIRE(g != nullptr);
        out[f->GetFieldAsString(key)] = {g->toSurface() != nullptr && wkbFlatten(g->getGeometryType()) == wkbPolygon ? g->toPolygon()->get_Area()
                                                                                                                       : g->toMultiPolygon()->get_Area(),
                                         g->IsValid() == TRUE};
    }
    return out;
}

} // namespace

TEST_CASE("Côte-d'Or: territories and communes written from vertex ids match the GEOS path", "[e2e][topology]")
{
    REQUIRE_SHARED_DATA();
    BuildResult r = cote_dor_build();
    REQUIRE(r.assembly.topology);
    TempDir dir;
    // Ids where the exact dissolve made the territory (all but the 21/52 border ones).
    std::size_t with_ids = 0;
    for (const Dissolved& d : r.assembly.territories) with_ids += d.rings ? 1 : 0;
    CHECK(with_ids >= 3);

    std::vector<VertexRings> rings = commune_vertex_rings(r);
    std::size_t communes_with_ids = 0;
    std::vector<const VertexRings*> needed;
    for (const auto& c : rings) {
        communes_with_ids += c.polygons.empty() ? 0 : 1;
        needed.push_back(&c);
    }
    CHECK(communes_with_ids > r.layer.size() * 99 / 100);
    for (const Dissolved& d : r.assembly.territories) needed.push_back(d.rings.get());
    const VertexLonLat vertices(*r.assembly.topology, r.layer.crs, needed);

    write_territories(r, (dir.path() / "t-ids.geojson").string(), shared_geos(), &vertices);
    write_communes(r, (dir.path() / "c-ids.geojson").string(), shared_geos(), &rings, &vertices);
    // The same without the topology: every geometry through GEOS.
    auto topology = std::move(r.assembly.topology);
    write_territories(r, (dir.path() / "t-geos.geojson").string(), shared_geos());
    write_communes(r, (dir.path() / "c-geos.geojson").string(), shared_geos());
    r.assembly.topology = std::move(topology);

    // Territories: the same rings from the same vertices, so the same bytes.
    CHECK(read_file(dir.path() / "t-ids.geojson") == read_file(dir.path() / "t-geos.geojson"));
    CHECK(rfc7946_problems(dir.path() / "t-ids.geojson").empty());
    // Communes: the same polygons (rings may start elsewhere), valid, RFC 7946.
    CHECK(rfc7946_problems(dir.path() / "c-ids.geojson").empty());
    const auto ids = areas(dir.path() / "c-ids.geojson", "insee");
    const auto geos = areas(dir.path() / "c-geos.geojson", "insee");
    REQUIRE(ids.size() == r.coverage.reported.size()); // the communes of the study area and of the territories
    REQUIRE(geos.size() == ids.size());
    for (const auto& [insee, a] : ids) {
        INFO(insee);
        CHECK(a.second);
        CHECK(a.first == Approx(geos.at(insee).first).epsilon(1e-9));
    }
}

TEST_CASE("each vertex is reprojected to WGS84 and rounded to 1e-7°", "[geometry][topology]")
{
    const CommuneLayer& layer = synthetic_layer();
    const CoverageTopology topology(shared_geos(), layer);
    VertexRings all;
    for (CommuneIndex c = 0; c < layer.size(); ++c) {
        VertexRings one;
        if (topology.commune_rings(c, one))
            for (auto& p : one.polygons) all.polygons.push_back(p);
    }
    REQUIRE_FALSE(all.polygons.empty());
    const VertexLonLat vertices(topology, layer.crs, {&all});
    OGRSpatialReference l93, wgs84;
    l93.importFromEPSG(2154);
    wgs84.SetWellKnownGeogCS("WGS84");
    l93.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    wgs84.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    std::unique_ptr<OGRCoordinateTransformation> ct(OGRCreateCoordinateTransformation(&l93, &wgs84));
    std::size_t checked = 0;
    for (std::uint32_t v = 0; v < topology.vertex_count(); ++v) {
        if (!vertices.has(v)) continue;
        double x = topology.x(v), y = topology.y(v);
        REQUIRE(ct->Transform(1, &x, &y));
        CHECK(vertices.lon(v) == Approx(x).margin(0.6e-7));
        CHECK(vertices.lat(v) == Approx(y).margin(0.6e-7));
        CHECK(std::fabs(vertices.lon(v) * 1e7 - std::round(vertices.lon(v) * 1e7)) < 1e-6);
        ++checked;
    }
    CHECK(checked == topology.vertex_count());
}
