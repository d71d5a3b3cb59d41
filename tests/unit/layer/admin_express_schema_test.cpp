#include "cptsmap/error.hpp"
#include "cptsmap/layer/admin_express_schema.hpp"
#include "cptsmap/layer/layer_edition.hpp"

#include <catch2/catch.hpp>
#include <ogr_feature.h>

#include <memory>

using namespace cptsmap;

namespace {
std::unique_ptr<OGRFeatureDefn, void (*)(OGRFeatureDefn*)> defn_of(const std::vector<std::string>& fields)
{
    std::unique_ptr<OGRFeatureDefn, void (*)(OGRFeatureDefn*)> d(new OGRFeatureDefn("layer"), [](OGRFeatureDefn* p) { p->Release(); });
    d->Reference();
    for (const auto& f : fields) {
        OGRFieldDefn field(f.c_str(), OFTString);
        d->AddFieldDefn(&field);
    }
    return d;
}
} // namespace

TEST_CASE("the 3-x COMMUNE fields are recognised", "[layer][edition]")
{
    const auto d = defn_of({"ID", "NOM", "NOM_M", "INSEE_COM", "STATUT", "POPULATION", "INSEE_DEP", "INSEE_REG", "SIREN_EPCI"});
    const SchemaMatch m = match_schema(commune_schema(), *d, "COMMUNE.shp");
    CHECK(m.edition == SchemaEdition::V3);
    CHECK(m.index == std::vector<int>{3, 1, 5, 6, 8, 7});
}

TEST_CASE("the 4-0 commune fields are recognised", "[layer][edition]")
{
    const auto d = defn_of({"cleabs", "nom_officiel", "nom_officiel_en_majuscules", "code_insee", "statut", "population",
                            "code_insee_du_canton", "code_insee_de_l_arrondissement", "code_insee_du_departement",
                            "code_insee_de_la_region", "codes_siren_des_epci"});
    const SchemaMatch m = match_schema(commune_schema(), *d, "commune");
    CHECK(m.edition == SchemaEdition::V4);
    CHECK(m.index == std::vector<int>{3, 1, 5, 8, 10, 9});
    CHECK(std::string(to_string(m.edition)) == "4-0");
}

TEST_CASE("optional fields may be absent, required ones are named in both spellings", "[layer][edition]")
{
    const auto minimal = defn_of({"code_insee", "nom_officiel", "population"});
    const SchemaMatch m = match_schema(commune_schema(), *minimal, "c.gpkg");
    CHECK(m.index == std::vector<int>{0, 1, 2, -1, -1, -1});
    const auto no_name = defn_of({"code_insee", "population", "statut"});
    CHECK_THROWS_AS(match_schema(commune_schema(), *no_name, "c.gpkg"), InputError);
    CHECK_THROWS_WITH(match_schema(commune_schema(), *no_name, "c.gpkg"),
                      Catch::Contains("field NOM (3-x) or nom_officiel (4-0) missing in c.gpkg (fields: code_insee, population, statut)"));
    const auto nothing = defn_of({"foo"});
    CHECK_THROWS_WITH(match_schema(commune_schema(), *nothing, "x"),
                      Catch::Contains("INSEE_COM (3-x) or code_insee (4-0), NOM (3-x) or nom_officiel (4-0), POPULATION (3-x) or population (4-0)"));
}

TEST_CASE("EPCI and arrondissement layers in either edition", "[layer][edition]")
{
    const auto epci4 = defn_of({"cleabs", "code_siren", "nom_officiel", "nature"});
    CHECK(match_schema(epci_schema(), *epci4, "epci").index == std::vector<int>{1, 2, 3});
    const auto epci3 = defn_of({"ID", "CODE_SIREN", "NOM", "NATURE"});
    CHECK(match_schema(epci_schema(), *epci3, "EPCI.shp").edition == SchemaEdition::V3);
    const auto arm4 = defn_of({"cleabs", "code_insee", "code_insee_de_la_commune_de_rattach", "nom_officiel", "population"});
    const SchemaMatch arm = match_schema(arrondissement_schema(), *arm4, "arrondissement_municipal");
    CHECK(arm.edition == SchemaEdition::V4);
    CHECK(arm.index == std::vector<int>{1, 2, 3, 4});
    const auto arm3 = defn_of({"INSEE_ARM", "NOM", "INSEE_COM", "POPULATION"});
    CHECK(match_schema(arrondissement_schema(), *arm3, "ARRONDISSEMENT_MUNICIPAL.shp").index == std::vector<int>{0, 2, 1, 3});
}

TEST_CASE("the first SIREN of a list of EPCI", "[layer][edition]")
{
    CHECK(first_siren("242100410") == "242100410");
    CHECK(first_siren(" 200054781/200057867 ") == "200054781");
    CHECK(first_siren("NC") == "NC");
    CHECK(first_siren("") == "");
}

TEST_CASE("IGN's delivery names tell the product, edition and year", "[layer][edition]")
{
    const DeliveryName carto = parse_delivery_name("/data/ADMIN-EXPRESS-COG-CARTO_3-2__SHP_LAMB93_FXX_2023-05-03/ADMIN-EXPRESS-COG-CARTO/1_DONNEES_LIVRAISON_2023-05-03/ADECOGC_3-2_SHP_LAMB93_FXX-ED2023-05-03/COMMUNE.shp");
    CHECK(carto.product == "ADMIN EXPRESS COG CARTO");
    CHECK(carto.version == "3-2");
    CHECK(carto.year == 2023);
    const DeliveryName full = parse_delivery_name("ADMIN-EXPRESS_3-1__SHP_WGS84G_FRA_2022-04-15/COMMUNE.shp");
    CHECK(full.product == "ADMIN EXPRESS");
    CHECK(full.version == "3-1");
    CHECK(full.year == 2022);
    const DeliveryName v4 = parse_delivery_name("ADE-COG_4-0_GPKG_LAMB93_FXX-ED2025-05-15.gpkg");
    CHECK(v4.product == "ADMIN EXPRESS COG");
    CHECK(v4.version == "4-0");
    CHECK(v4.year == 2025);
    const DeliveryName none = parse_delivery_name("../shared/data/admin-express/france-metro/COMMUNE.shp");
    CHECK(none.product.empty());
    CHECK_FALSE(none.year);
}

TEST_CASE("vertex spacing tells full precision from generalised layers", "[layer][edition]")
{
    CHECK(precision_of_spacing(0.0) == LayerPrecision::Unknown);
    CHECK(precision_of_spacing(8.0) == LayerPrecision::Full);
    CHECK(precision_of_spacing(60.0) == LayerPrecision::Generalised);
    CHECK(precision_of_spacing(400.0) == LayerPrecision::Simplified);
    LayerEdition e;
    e.schema = SchemaEdition::V4;
    e.format = "GPKG";
    e.segments = 10;
    e.mean_segment_m = 61.6;
    e.precision = LayerPrecision::Generalised;
    CHECK(describe(e) == "ADMIN EXPRESS 4-0 schema (GeoPackage); precision: generalised, a vertex every 62 m on average (ADMIN EXPRESS COG CARTO)");
}
