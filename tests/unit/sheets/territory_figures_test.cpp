// Territory figures on the synthetic layer (data/shapefiles/README.md), where every figure can be
// checked by hand: 99004 is an enclave filling the hole of 99003, 99005 has a detached square.
#include "test_support.hpp"

#include "cptsmap/pipeline/build.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

using namespace cptsmap;
using namespace cptsmap::test;

namespace {

std::vector<std::string> codes(const CommuneLayer& layer, const CommuneSet& s)
{
    std::vector<std::string> out;
    for (CommuneIndex i : s) out.push_back(layer[i].insee);
    std::sort(out.begin(), out.end());
    return out;
}

struct SyntheticBuild {
    TempDir tmp;
    GeosContext geos;
    BuildResult r;
    SyntheticBuild()
    {
        // ring: three communes around the enclave 99004; split: 99002 and, apart, 99004 (claimed by
        // ring's hole); east: 99005 (with its detached square) and 98001, across two départements.
        write_file(tmp / "t.toml", R"([study_area]
members = 'all()'
[[territory]]
id = "ring"
members = 'commune("99001", "99002", "99003")'
[[territory]]
id = "split"
members = 'commune("99002", "99004")'
[[territory]]
id = "east"
members = 'commune("99005", "98001")'
)");
        BuildOptions o;
        o.load.path = synthetic_dir().string();
        o.definitions = (tmp / "t.toml").string();
        o.threads = 1;
        r = compute(o, geos);
    }
};

std::size_t index_of(const BuildResult& r, const std::string& id)
{
    for (std::size_t t = 0; t < r.resolution.territories.size(); ++t)
        if (r.resolution.territories[t].id == id) return t;
    FAIL("no territory " << id);
    return 0;
}

std::vector<std::string> neighbour_ids(const BuildResult& r, const TerritoryFigures& f)
{
    std::vector<std::string> out;
    for (const auto& n : f.neighbours) out.push_back(r.resolution.territories[n.territory].id);
    return out;
}

} // namespace

TEST_CASE("an enclosed commune is an enclave of the territory around it, with the territory claiming it", "[sheets][figures]")
{
    SyntheticBuild b;
    const auto& ring = b.r.figures.territories[index_of(b.r, "ring")];
    REQUIRE(ring.enclaves.size() == 1);
    CHECK(ring.enclaves[0].area_m2 == Approx(1e6));
    CHECK(codes(b.r.layer, ring.enclaves[0].communes) == std::vector<std::string>{"99004"});
    REQUIRE(ring.enclaves[0].claimed_by.size() == 1);
    CHECK(ring.enclaves[0].claimed_by[0] == std::vector<std::size_t>{index_of(b.r, "split")});
    CHECK(ring.detached_parts.empty());
    // A territory with no hole has no enclave.
    CHECK(b.r.figures.territories[index_of(b.r, "east")].enclaves.empty());
}

TEST_CASE("a territory in two parts names the communes of its detached part", "[sheets][figures]")
{
    SyntheticBuild b;
    const auto& split = b.r.figures.territories[index_of(b.r, "split")];
    REQUIRE(split.detached_parts.size() == 1);
    CHECK(codes(b.r.layer, split.detached_parts[0].communes) == std::vector<std::string>{"99004"});
    CHECK(split.detached_parts[0].area_m2 == Approx(1e6));
    // A commune in two pieces: its detached square (1 km²) is named too.
    const auto& east = b.r.figures.territories[index_of(b.r, "east")];
    REQUIRE(east.detached_parts.size() == 1);
    CHECK(codes(b.r.layer, east.detached_parts[0].communes) == std::vector<std::string>{"99005"});
    CHECK(east.detached_parts[0].area_m2 == Approx(1e6));
}

TEST_CASE("communes claimed by two territories are listed on both, with the other one", "[sheets][figures]")
{
    SyntheticBuild b;
    const auto& ring = b.r.figures.territories[index_of(b.r, "ring")];
    const auto& split = b.r.figures.territories[index_of(b.r, "split")];
    REQUIRE(ring.shared.size() == 1);
    CHECK(b.r.layer[ring.shared[0].commune].insee == "99002");
    CHECK(ring.shared[0].others == std::vector<std::size_t>{index_of(b.r, "split")});
    REQUIRE(split.shared.size() == 1);
    CHECK(split.shared[0].others == std::vector<std::size_t>{index_of(b.r, "ring")});
    CHECK(b.r.figures.territories[index_of(b.r, "east")].shared.empty());
}

TEST_CASE("neighbours are the territories sharing a border of positive length", "[sheets][figures]")
{
    SyntheticBuild b;
    const auto& ring = b.r.figures.territories[index_of(b.r, "ring")];
    const auto& east = b.r.figures.territories[index_of(b.r, "east")];
    CHECK(neighbour_ids(b.r, ring) == std::vector<std::string>{"split", "east"});
    // ring and east meet along x = 4 km, from y = 0 to 4: 4 km; split (99002) meets east on 2 km.
    CHECK(neighbour_ids(b.r, east) == std::vector<std::string>{"ring", "split"});
    CHECK(east.neighbours[0].shared_border_m == Approx(4000).margin(2));
    CHECK(east.neighbours[1].shared_border_m == Approx(2000).margin(2));
}

TEST_CASE("a territory's share of each département's population and its EPCI, whole or in part", "[sheets][figures]")
{
    SyntheticBuild b;
    const auto& east = b.r.figures.territories[index_of(b.r, "east")];
    CHECK(east.population == 1200);
    CHECK(east.area_m2 == Approx(9e6));
    CHECK(east.density_per_km2 == Approx(1200.0 / 9));
    REQUIRE(east.departements.size() == 2);
    CHECK(east.departements[0].departement == "98");
    CHECK(east.departements[0].share_pct == Approx(100.0)); // 700 of 700
    CHECK(east.departements[1].departement == "99");
    CHECK(east.departements[1].departement_population == 6550);
    CHECK(east.departements[1].share_pct == Approx(100.0 * 500 / 6550));
    REQUIRE(east.epcis.size() == 1);
    CHECK(east.epcis[0].siren == "200000002");
    CHECK(east.epcis[0].whole());
    const auto& ring = b.r.figures.territories[index_of(b.r, "ring")];
    REQUIRE(ring.epcis.size() == 1);
    CHECK(ring.epcis[0].communes == 3);
    CHECK(ring.epcis[0].epci_communes == 4);
    CHECK_FALSE(ring.epcis[0].whole());
    CHECK(ring.band.annual_amount_eur == 220000);
}
