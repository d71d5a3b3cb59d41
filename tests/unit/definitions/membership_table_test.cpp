#include "cptsmap/definitions/membership_table.hpp"
#include "cptsmap/error.hpp"
#include "test_support.hpp"

#include <catch2/catch.hpp>
#include <gdal_priv.h>
#include <ogrsf_frmts.h>

using namespace cptsmap;
using namespace cptsmap::test;

namespace {

std::vector<std::string> terms(const TerritoryDef& t)
{
    std::vector<std::string> out;
    for (const auto& a : t.members->args) out.push_back(a.value);
    return out;
}

using V = std::vector<std::string>;

} // namespace

TEST_CASE("a membership CSV becomes one commune() union per territory, in order of first appearance", "[definitions]")
{
    TempDir tmp;
    write_file(tmp / "m.csv", "territory_id,territory_name,insee\n"
                              "b,CPTS B,21231\n"
                              "a,CPTS A,Fénay\n"
                              "b,CPTS B,\"Is-sur-Tille\"\n"
                              ",,\n"
                              "a,,21003\n");
    MembershipTableOptions o;
    o.path = (tmp / "m.csv").string();
    const Definitions d = load_membership_table(o);
    REQUIRE(d.territories.size() == 2);
    CHECK(d.territories[0].id == "b");
    CHECK(d.territories[0].name == "CPTS B");
    CHECK(terms(d.territories[0]) == V{"21231", "Is-sur-Tille"});
    CHECK(d.territories[1].id == "a");
    CHECK(terms(d.territories[1]) == V{"Fénay", "21003"});
    CHECK(to_string(*d.territories[1].members) == R"(commune("Fénay", "21003"))");
    // Positions are row:column of the cell, the header being row 1.
    CHECK(d.territories[1].members->args[1].pos.str() == o.path + ":6:3");
    CHECK_FALSE(d.study_area);
}

TEST_CASE("a semicolon CSV with a byte-order mark and chosen columns is read as Excel writes it", "[definitions]")
{
    TempDir tmp;
    write_file(tmp / "ars.csv", "\xEF\xBB\xBF" "CPTS;Département;Commune\nCPTS Nord;21;Ahuy\nCPTS Nord;21;Asnières-lès-Dijon\n");
    MembershipTableOptions o;
    o.path = (tmp / "ars.csv").string();
    o.territory_column = "cpts"; // case-insensitive
    o.commune_column = "Commune";
    const Definitions d = load_membership_table(o);
    REQUIRE(d.territories.size() == 1);
    CHECK(d.territories[0].id == "CPTS Nord");
    CHECK(d.territories[0].name == "CPTS Nord"); // no name column: the id
    CHECK(terms(d.territories[0]) == V{"Ahuy", "Asnières-lès-Dijon"});
}

TEST_CASE("an XLSX sheet whose codes are numbers gets its leading zeros back", "[definitions]")
{
    TempDir tmp;
    const std::string path = (tmp / "m.xlsx").string();
    {
        GDALAllRegister();
        GDALDriver* driver = GetGDALDriverManager()->GetDriverByName("XLSX");
        REQUIRE(driver != nullptr);
        GDALDatasetUniquePtr ds(driver->Create(path.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
        REQUIRE(ds);
        OGRLayer* layer = ds->CreateLayer("membres", nullptr, wkbNone, nullptr);
        OGRFieldDefn territory("territory_id", OFTString);
        OGRFieldDefn insee("insee", OFTInteger);
        REQUIRE(layer->CreateField(&territory) == OGRERR_NONE);
        REQUIRE(layer->CreateField(&insee) == OGRERR_NONE);
        for (const auto& [t, code] : std::vector<std::pair<const char*, int>>{{"ain", 1053}, {"ain", 1004}, {"dijon", 21231}}) {
            OGRFeatureUniquePtr f(OGRFeature::CreateFeature(layer->GetLayerDefn()));
            f->SetField("territory_id", t);
            f->SetField("insee", code);
            REQUIRE(layer->CreateFeature(f.get()) == OGRERR_NONE);
        }
    }
    MembershipTableOptions o;
    o.path = path;
    const Definitions d = load_membership_table(o);
    REQUIRE(d.territories.size() == 2);
    CHECK(terms(d.territories[0]) == V{"01053", "01004"});
    CHECK(terms(d.territories[1]) == V{"21231"});
}

TEST_CASE("a missing column, an empty cell or an unreadable file is an error that says what to do", "[definitions]")
{
    TempDir tmp;
    write_file(tmp / "m.csv", "cpts,commune\nA,Ahuy\n");
    MembershipTableOptions o;
    o.path = (tmp / "m.csv").string();
    CHECK_THROWS_WITH(load_membership_table(o), Catch::Contains("no column territory_id") && Catch::Contains("it has: cpts, commune") &&
                                                    Catch::Contains("--territory-col"));
    o.territory_column = "cpts";
    CHECK_THROWS_WITH(load_membership_table(o), Catch::Contains("no column insee") && Catch::Contains("--commune-col"));

    write_file(tmp / "gap.csv", "territory_id,insee\nA,21231\nA,\n");
    o = MembershipTableOptions{};
    o.path = (tmp / "gap.csv").string();
    CHECK_THROWS_AS(load_membership_table(o), DefinitionError);
    CHECK_THROWS_WITH(load_membership_table(o), Catch::Contains(":3:") && Catch::Contains("no commune"));

    o.path = (tmp / "absent.xlsx").string();
    CHECK_THROWS_AS(load_membership_table(o), InputError);
}
