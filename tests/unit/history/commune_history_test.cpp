// The commune history on real rows of INSEE's mouvements-communes table (copied verbatim below), and
// on the whole table of ../shared/data/cog.
#include "cptsmap/error.hpp"
#include "cptsmap/history/commune_history.hpp"
#include "test_support.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <set>
#include <sstream>

using namespace cptsmap;
using namespace cptsmap::test;

namespace {

// One line of INSEE's CSV (MOD,DATE_EFF,TYPECOM_AV,COM_AV,TNCC_AV,NCC_AV,NCCENR_AV,LIBELLE_AV,
// TYPECOM_AP,COM_AP,TNCC_AP,NCC_AP,NCCENR_AP,LIBELLE_AP); these rows hold no quoted commas.
HistoryRow row(const std::string& line)
{
    std::vector<std::string> f;
    std::stringstream in(line);
    std::string cell;
    while (std::getline(in, cell, ',')) f.push_back(cell);
    f.resize(14);
    return HistoryRow{std::stoi(f[0]), f[1], f[2], f[3], f[7], f[8], f[9], f[13]};
}

CommuneHistory history(const std::vector<std::string>& lines)
{
    std::vector<HistoryRow> rows;
    for (const auto& l : lines) rows.push_back(row(l));
    return CommuneHistory(std::move(rows), "test");
}

CommuneHistory::Alive alive_in(std::set<std::string> codes)
{
    return [codes = std::move(codes)](const std::string& c) { return codes.count(c) > 0; };
}

using V = std::vector<std::string>;

const std::vector<std::string> val_larrey = {
    "32,2019-01-01,COM,21073,0,BIERRE LES SEMUR,Bierre-lès-Semur,Bierre-lès-Semur,COMD,21073,0,BIERRE LES SEMUR,Bierre-lès-Semur,Bierre-lès-Semur",
    "32,2019-01-01,COM,21073,0,BIERRE LES SEMUR,Bierre-lès-Semur,Bierre-lès-Semur,COM,21272,2,VAL LARREY,Val-Larrey,Le Val-Larrey",
    "32,2019-01-01,COM,21272,0,FLEE,Flée,Flée,COM,21272,2,VAL LARREY,Val-Larrey,Le Val-Larrey",
    "32,2019-01-01,COM,21272,0,FLEE,Flée,Flée,COMD,21272,0,FLEE,Flée,Flée",
};

const std::vector<std::string> valforet = {
    "35,2020-01-01,COMD,21178,0,CLEMENCEY,Clémencey,Clémencey,COM,21178,0,VALFORET,Valforêt,Valforêt",
    "35,2020-01-01,COMD,21513,0,QUEMIGNY POISOT,Quemigny-Poisot,Quemigny-Poisot,COM,21178,0,VALFORET,Valforêt,Valforêt",
    "32,2019-01-01,COM,21178,0,CLEMENCEY,Clémencey,Clémencey,COM,21178,0,VALFORET,Valforêt,Valforêt",
    "32,2019-01-01,COM,21178,0,CLEMENCEY,Clémencey,Clémencey,COMD,21178,0,CLEMENCEY,Clémencey,Clémencey",
    "32,2019-01-01,COM,21513,0,QUEMIGNY POISOT,Quemigny-Poisot,Quemigny-Poisot,COM,21178,0,VALFORET,Valforêt,Valforêt",
    "32,2019-01-01,COM,21513,0,QUEMIGNY POISOT,Quemigny-Poisot,Quemigny-Poisot,COMD,21513,0,QUEMIGNY POISOT,Quemigny-Poisot,Quemigny-Poisot",
};

} // namespace

TEST_CASE("a commune merged into a commune nouvelle maps to it, with the event and its date", "[history]")
{
    const CommuneHistory h = history(val_larrey);
    const auto m = h.map_code("21073", alive_in({"21272"}));
    REQUIRE(m);
    CHECK(m->codes == V{"21272"});
    CHECK(m->old_name == "Bierre-lès-Semur");
    CHECK_FALSE(m->backward);
    CHECK_FALSE(m->split());
    CHECK(m->describe() == "merged 2019-01-01");
}

TEST_CASE("later suppression of the communes déléguées does not change where a merged commune went", "[history]")
{
    const CommuneHistory h = history(valforet);
    const auto m = h.map_code("21513", alive_in({"21178"}));
    REQUIRE(m);
    CHECK(m->codes == V{"21178"});
    CHECK(m->steps.size() == 1);
    CHECK(m->steps.front().date == "2019-01-01");
    CHECK(m->steps.front().mod == 32);
}

TEST_CASE("old names lead to the commune that took them in, whatever the accents", "[history]")
{
    const CommuneHistory h = history(valforet);
    const auto alive = alive_in({"21178"});
    for (const char* name : {"Quemigny-Poisot", "QUEMIGNY POISOT", "quemigny poisot", "Clémencey", "Clemencey"}) {
        INFO(name);
        const auto ms = h.map_name(name, alive);
        REQUIRE(ms.size() == 1);
        CHECK(ms.front().codes == V{"21178"});
    }
    CHECK(h.map_name("Quemigny", alive).empty());
}

TEST_CASE("a chain of events is followed by date: code change in 1968, then merger in 2025", "[history]")
{
    const CommuneHistory h = history({
        "32,2025-01-01,COM,93059,0,PIERREFITTE SUR SEINE,Pierrefitte-sur-Seine,Pierrefitte-sur-Seine,COMD,93059,0,PIERREFITTE SUR SEINE,Pierrefitte-sur-Seine,Pierrefitte-sur-Seine",
        "32,2025-01-01,COM,93059,0,PIERREFITTE SUR SEINE,Pierrefitte-sur-Seine,Pierrefitte-sur-Seine,COM,93066,0,SAINT DENIS,Saint-Denis,Saint-Denis",
        "41,1968-01-01,COM,75059,0,PIERREFITTE SUR SEINE,Pierrefitte-sur-Seine,Pierrefitte-sur-Seine,COM,93059,0,PIERREFITTE SUR SEINE,Pierrefitte-sur-Seine,Pierrefitte-sur-Seine",
    });
    // A 2026 layer: Saint-Denis only.
    const auto today = h.map_code("75059", alive_in({"93066"}));
    REQUIRE(today);
    CHECK(today->codes == V{"93066"});
    CHECK(today->describe() == "changed code (new département) 1968-01-01, then merged 2025-01-01");
    // A 2023 layer still has Pierrefitte under its 1968 code.
    const auto before = h.map_code("75059", alive_in({"93059", "93066"}));
    REQUIRE(before);
    CHECK(before->codes == V{"93059"});
}

TEST_CASE("a commune split between several communes maps to all of them, flagged", "[history]")
{
    const CommuneHistory h = history({
        "30,1968-03-02,COM,08227,1,HOCMONT,Hocmont,Hocmont,COM,08203,0,GUIGNICOURT SUR VENCE,Guignicourt-sur-Vence,Guignicourt-sur-Vence",
        "30,1968-03-02,COM,08227,1,HOCMONT,Hocmont,Hocmont,COM,08454,0,TOULIGNY,Touligny,Touligny",
    });
    const auto m = h.map_code("08227", alive_in({"08203", "08454"}));
    REQUIRE(m);
    CHECK(m->codes == V{"08203", "08454"});
    CHECK(m->split());
    CHECK(m->describe() == "suppressed 1968-03-02; split between 2 communes");
}

TEST_CASE("a code newer than the layer maps back to the commune it replaced", "[history]")
{
    const CommuneHistory h = history({
        "50,2025-01-01,COM,49069,1,OREE D ANJOU,Orée d'Anjou,Orée d'Anjou,COM,49126,1,OREE D ANJOU,Orée d'Anjou,Orée d'Anjou",
    });
    const auto m = h.map_code("49126", alive_in({"49069"})); // a 2023 layer
    REQUIRE(m);
    CHECK(m->backward);
    CHECK(m->codes == V{"49069"});
    CHECK(m->describe().find("newer than the layer") == 0);
}

TEST_CASE("a code the history never mentions maps to nothing, one that leads nowhere has no codes", "[history]")
{
    const CommuneHistory h = history(val_larrey);
    CHECK_FALSE(h.map_code("21999", alive_in({"21272"})));
    const auto m = h.map_code("21073", alive_in({}));
    REQUIRE(m);
    CHECK(m->codes.empty());
}

TEST_CASE("INSEE's whole table loads through GDAL and maps the 2019 mergers of Côte-d'Or", "[history][shared]")
{
    REQUIRE_SHARED_DATA();
    const auto path = shared_data_dir() / "cog" / "mouvements-communes-2026.csv";
    const CommuneHistory h = load_commune_history(path.string());
    std::ifstream in(path);
    std::size_t lines = 0;
    for (std::string l; std::getline(in, l);) lines += !l.empty();
    CHECK(h.size() == lines - 1); // every row but the header

    // The communes nouvelles of 2019 in Côte-d'Or, as a 2023 layer knows them.
    const auto alive = alive_in({"21178", "21272", "21452", "21352", "21183", "21623"});
    const std::vector<std::pair<std::string, std::string>> expected = {
        {"21513", "21178"}, {"21073", "21272"}, {"21213", "21452"}, {"21486", "21352"}, {"21507", "21183"}, {"21621", "21623"}};
    for (const auto& [old_code, today] : expected) {
        INFO(old_code);
        const auto m = h.map_code(old_code, alive);
        REQUIRE(m);
        CHECK(m->codes == V{today});
    }
    CHECK(h.map_name("Crimolois", alive).front().codes == V{"21452"});
}

TEST_CASE("a file that is not INSEE's table is refused with the missing column", "[history]")
{
    TempDir tmp;
    write_file(tmp / "h.csv", "code,name\n21073,Bierre\n");
    try {
        load_commune_history((tmp / "h.csv").string());
        FAIL("expected an InputError");
    } catch (const InputError& e) {
        CHECK(std::string(e.what()).find("no column MOD") != std::string::npos);
    }
    CHECK_THROWS_AS(load_commune_history((tmp / "absent.csv").string()), InputError);
}

TEST_CASE("events of the same day are chained: a code change and a merger both on 2018-01-01", "[history]")
{
    const CommuneHistory h = history({
        "35,2020-03-31,COMD,50649,0,PONT FARCY,Pont-Farcy,Pont-Farcy,COM,50592,0,TESSY BOCAGE,Tessy-Bocage,Tessy-Bocage",
        "41,2018-01-01,COM,14513,0,PONT FARCY,Pont-Farcy,Pont-Farcy,COM,50649,0,PONT FARCY,Pont-Farcy,Pont-Farcy",
        "32,2018-01-01,COM,50649,0,PONT FARCY,Pont-Farcy,Pont-Farcy,COM,50592,0,TESSY BOCAGE,Tessy-Bocage,Tessy-Bocage",
        "32,2018-01-01,COM,50649,0,PONT FARCY,Pont-Farcy,Pont-Farcy,COMD,50649,0,PONT FARCY,Pont-Farcy,Pont-Farcy",
        "33,1973-05-01,COM,14507,0,PLEINES OEUVRES,Pleines-Œuvres,Pleines-Œuvres,COM,14513,0,PONT FARCY,Pont-Farcy,Pont-Farcy",
        "33,1973-05-01,COM,14513,0,PONT FARCY,Pont-Farcy,Pont-Farcy,COM,14513,0,PONT FARCY,Pont-Farcy,Pont-Farcy",
    });
    const auto alive = alive_in({"50592"});
    for (const char* code : {"14513", "50649", "14507"}) {
        INFO(code);
        const auto m = h.map_code(code, alive);
        REQUIRE(m);
        CHECK(m->codes == V{"50592"});
    }
    CHECK(h.map_code("14507", alive)->describe() == "merged (association) 1973-05-01, then changed code (new département) 2018-01-01, then merged 2018-01-01");
}
