#include "cptsmap/definitions/expr_parser.hpp"
#include "cptsmap/error.hpp"
#include "cptsmap/resolve/resolver.hpp"
#include "test_support.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <tuple>

using namespace cptsmap;
using namespace cptsmap::test;

namespace {

// Codes selected by an expression, sorted.
std::vector<std::string> codes_in(const CommuneLayer& layer, const std::string& expression, std::vector<std::string>* warnings = nullptr,
                                  const CommuneHistory* history = nullptr)
{
    Resolver resolver(layer, history);
    const CommuneSet set = resolver.resolve_expression(*parse_expression(expression));
    std::vector<std::string> out;
    for (CommuneIndex i : set) out.push_back(layer[i].insee);
    std::sort(out.begin(), out.end());
    if (warnings != nullptr) *warnings = resolver.warnings();
    return out;
}

// Codes selected by an expression on the synthetic layer, sorted.
std::vector<std::string> codes(const std::string& expression, std::vector<std::string>* warnings = nullptr)
{
    return codes_in(synthetic_layer(), expression, warnings);
}

using V = std::vector<std::string>;

Resolution resolve_toml(const std::string& toml)
{
    Resolver resolver(synthetic_layer());
    return resolver.resolve(parse_definitions(toml, "test.toml"));
}

} // namespace

TEST_CASE("selectors pick communes by code, name, EPCI, département and all()", "[resolve]")
{
    CHECK(codes(R"(commune("99001"))") == V{"99001"});
    CHECK(codes(R"(commune("Alpha", "99002"))") == V{"99001", "99002"});
    CHECK(codes(R"(commune("beta les bains"))") == V{"99002"});     // accents, hyphens, case
    CHECK(codes(R"(commune("L'Oeuf"))") == V{"99004"});             // œ written oe
    CHECK(codes(R"(epci("200000002"))") == V{"98001", "99005"});    // by SIREN
    CHECK(codes(R"(epci("CC du Val d'Essai"))") == V{"99001", "99002", "99003", "99004"});
    CHECK(codes(R"(epci("communauté de communes du Val d'Essai"))") == V{"99001", "99002", "99003", "99004"});
    CHECK(codes(R"(epci("Essai Agglomeration"))") == V{"98001", "99005"}); // without its CA prefix
    CHECK(codes(R"(dep("98"))") == V{"98001"});
    CHECK(codes("all()").size() == 6);
}

TEST_CASE("set operators: union, difference, intersection, precedence", "[resolve]")
{
    CHECK(codes(R"(epci("200000001") - commune("Alpha") + commune("Epsilon"))") == V{"99002", "99003", "99004", "99005"});
    CHECK(codes(R"(epci("200000001") & commune("Alpha", "Epsilon"))") == V{"99001"});
    CHECK(codes(R"(all() - epci("200000001") - dep("98"))") == V{"99005"});
    // & binds tighter than -: all() - (dep(98) & epci(...2)) keeps 99005
    CHECK(codes(R"(all() - dep("98") & epci("200000002"))") == V{"99001", "99002", "99003", "99004", "99005"});
    CHECK(codes(R"((all() - dep("98")) & epci("200000002"))") == V{"99005"});
}

TEST_CASE("an ambiguous commune name is an error that lists the candidates", "[resolve]")
{
    CHECK_THROWS_WITH(codes(R"(commune("Saint-Gamma"))"),
                      Catch::Contains("matches 2 communes") && Catch::Contains("98001") && Catch::Contains("99003") &&
                          Catch::Contains("dep("));
}

TEST_CASE("an ambiguous name is fine when the expression scopes it", "[resolve]")
{
    CHECK(codes(R"(commune("Saint-Gamma") & dep("99"))") == V{"99003"});
    CHECK(codes(R"(commune("St Gamma") & epci("200000002"))") == V{"98001"});
    CHECK(codes(R"(epci("200000001") - commune("Saint-Gamma"))") == V{"99001", "99002", "99004"});
    CHECK(codes(R"((commune("Saint-Gamma") + commune("Alpha")) & dep("99"))") == V{"99001", "99003"});
}

TEST_CASE("unknown names are errors that suggest the closest candidates", "[resolve]")
{
    CHECK_THROWS_AS(codes(R"(commune("Alpah"))"), DefinitionError);
    CHECK_THROWS_WITH(codes(R"(commune("Alpah"))"), Catch::Contains("unknown commune \"Alpah\"") && Catch::Contains("\"Alpha\" (99001)"));
    CHECK_THROWS_WITH(codes(R"(epci("CC du Val d'Esai"))"), Catch::Contains("unknown EPCI") && Catch::Contains("CC du Val d'Essai"));
    CHECK_THROWS_WITH(codes(R"(commune("99999"))"), Catch::Contains("no commune with INSEE code 99999"));
    CHECK_THROWS_WITH(codes(R"(epci("123456789"))"), Catch::Contains("no EPCI with SIREN 123456789"));
    // Only départements the layer holds are suggested (the synthetic layer: 98 and 99).
    CHECK_THROWS_WITH(codes(R"(dep("Cote d'Orr"))"), Catch::Contains("unknown département \"Cote d'Orr\"; the départements of") &&
                                                       Catch::Contains(" are 98, 99"));
    // Several problems: the first in full, and a count of the others.
    CHECK_THROWS_WITH(codes(R"(commune("Alpah") + commune("Betta") + commune("Gama"))"), Catch::Contains("2 more problems"));
}

TEST_CASE("a département known to France but absent from the layer is a warning", "[resolve]")
{
    std::vector<std::string> warnings;
    CHECK(codes(R"(dep("Côte-d'Or"))", &warnings).empty());
    REQUIRE(warnings.size() == 1);
    CHECK_THAT(warnings[0], Catch::Contains("21") && Catch::Contains("no commune"));
}

TEST_CASE("a commune listed twice in one expression is a warning, not an error", "[resolve]")
{
    std::vector<std::string> warnings;
    CHECK(codes(R"(commune("Alpha", "Bêta-lès-Bains", "alpha"))", &warnings) == V{"99001", "99002"});
    REQUIRE(warnings.size() == 1);
    CHECK_THAT(warnings[0], Catch::Contains("99001 Alpha twice"));
}

TEST_CASE("a commune listed many times is one warning with the count", "[resolve]")
{
    std::vector<std::string> warnings;
    std::string list = R"("Alpha")";
    for (int k = 1; k < 10'000; ++k) list += R"(, "99001")";
    CHECK(codes("commune(" + list + R"() + commune("Epsilon", "Epsilon"))", &warnings) == V{"99001", "99005"});
    REQUIRE(warnings.size() == 2);
    CHECK_THAT(warnings[0], Catch::EndsWith("lists commune 99001 Alpha 10000 times (first at 1:9); list it once"));
    CHECK_THAT(warnings[1], Catch::Contains("lists commune 99005 Epsilon twice (also at 1:"));
}

TEST_CASE("an unknown département is answered from the layer's own départements", "[resolve]")
{
    CommuneLayer layer;
    layer.source = "two.shp";
    for (const auto& [code, name, dep] : std::vector<std::tuple<std::string, std::string, std::string>>{
             {"21231", "Dijon", "21"}, {"52121", "Chaumont", "52"}, {"74010", "Annecy", "74"}}) {
        Commune c;
        c.insee = code;
        c.name = name;
        c.departement = dep;
        layer.add(std::move(c));
    }
    CHECK_THROWS_WITH(codes_in(layer, R"(dep("99"))"), Catch::EndsWith("unknown département code \"99\"; the départements of two.shp are 21 Côte-d'Or, 52 Haute-Marne, 74 Haute-Savoie"));
    CHECK_THROWS_WITH(codes_in(layer, R"(dep("Cote d'Orr"))"), Catch::EndsWith("unknown département \"Cote d'Orr\"; did you mean \"Côte-d'Or\" (21)?"));
    // "Haute-Saon" (Haute-Saône, 70, mistyped) is answered with Haute-Savoie or Haute-Marne: never a département the layer lacks.
    CHECK_THROWS_WITH(codes_in(layer, R"(dep("Haute-Saon"))"), !Catch::Contains("Haute-Saône") && Catch::Contains("did you mean \"Haute-"));
    CHECK(codes_in(layer, R"(dep("Haute-Savoie"))") == V{"74010"});
}

TEST_CASE("territories reference each other, and cycles are errors", "[resolve]")
{
    const Resolution r = resolve_toml(R"(
[[territory]]
id = "a"
members = 'epci("200000001") - territory("b")'
[[territory]]
id = "b"
members = 'commune("Alpha")'
)");
    REQUIRE(r.territories.size() == 2);
    CHECK(r.territories[0].communes.size() == 3);
    CHECK(r.territories[1].communes.size() == 1);
    CHECK(r.study_area.size() == 5); // no [study_area]: the départements the territories touch (99)
    CHECK_FALSE(r.study_area_defined);

    CHECK_THROWS_WITH(resolve_toml(R"(
[[territory]]
id = "a"
members = 'territory("b")'
[[territory]]
id = "b"
members = 'commune("Alpha") + territory("a")'
)"),
                      Catch::Contains("cycle") && Catch::Contains("a → b → a"));
    CHECK_THROWS_WITH(resolve_toml(R"(
[[territory]]
id = "a"
members = 'territory("a")'
)"),
                      Catch::Contains("cycle"));
    CHECK_THROWS_WITH(resolve_toml(R"(
[[territory]]
id = "north"
members = 'territory("nort")'
)"),
                      Catch::Contains("unknown territory \"nort\"") && Catch::Contains("did you mean \"north\""));
}

TEST_CASE("errors point at the name in the definitions file", "[resolve]")
{
    CHECK_THROWS_WITH(resolve_toml("[[territory]]\nid = \"a\"\nmembers = '''\n  commune(\"Alpha\")\n  + commune(\"Zeta\")\n'''\n"),
                      Catch::StartsWith("test.toml:5:13: unknown commune \"Zeta\""));
}

TEST_CASE("an explicit study area is resolved with the same language", "[resolve]")
{
    const Resolution r = resolve_toml(R"(
[study_area]
members = 'all()'
[[territory]]
id = "a"
members = 'commune("Alpha")'
)");
    CHECK(r.study_area_defined);
    CHECK(r.study_area.size() == 6);
}

TEST_CASE("territory references nested past the limit are an error, not a stack overflow", "[resolve]")
{
    // t40 references t39 ... references t0: resolving t40 first nests 40 deep.
    std::string toml;
    for (int i = 40; i > 0; --i) toml += "[[territory]]\nid = \"t" + std::to_string(i) + "\"\nmembers = 'territory(\"t" + std::to_string(i - 1) + "\")'\n";
    toml += "[[territory]]\nid = \"t0\"\nmembers = 'all()'\n";
    CHECK_THROWS_WITH(resolve_toml(toml), Catch::Contains("nests territory references more than 16 deep"));
    std::string ok;
    for (int i = 15; i > 0; --i) ok += "[[territory]]\nid = \"t" + std::to_string(i) + "\"\nmembers = 'territory(\"t" + std::to_string(i - 1) + "\")'\n";
    ok += "[[territory]]\nid = \"t0\"\nmembers = 'all()'\n";
    CHECK(resolve_toml(ok).territories.front().communes.size() == synthetic_layer().size());
}

namespace {

// A layer without geometry, for lookups only.
CommuneLayer layer_of(const std::vector<std::pair<std::string, std::string>>& communes)
{
    CommuneLayer layer;
    layer.source = "test layer";
    for (const auto& [code, name] : communes) {
        Commune c;
        c.insee = code;
        c.name = name;
        c.departement = code.substr(0, 2);
        layer.add(std::move(c));
    }
    return layer;
}

} // namespace

TEST_CASE("a city code selects its arrondissements when the layer has them, and the reverse", "[resolve]")
{
    std::vector<std::pair<std::string, std::string>> arrondissements;
    V expected;
    for (int k = 1; k <= 20; ++k) {
        arrondissements.emplace_back(std::to_string(75100 + k), "Paris " + std::to_string(k) + "e Arrondissement");
        expected.push_back(std::to_string(75100 + k));
    }
    const CommuneLayer by_arrondissement = layer_of(arrondissements);
    std::vector<std::string> warnings;
    CHECK(codes_in(by_arrondissement, R"(commune("75056"))", &warnings) == expected);
    REQUIRE(warnings.size() == 1);
    CHECK_THAT(warnings[0], Catch::Contains("20 arrondissements"));
    CHECK(codes_in(by_arrondissement, R"(commune("Paris"))") == expected);

    const CommuneLayer by_city = layer_of({{"75056", "Paris"}, {"69123", "Lyon"}, {"13055", "Marseille"}});
    CHECK(codes_in(by_city, R"(commune("75112", "69383", "13216"))", &warnings) == V{"13055", "69123", "75056"});
    CHECK_THAT(warnings[0], Catch::Contains("its city 75056 Paris"));
    CHECK_THROWS_WITH(codes_in(by_city, R"(commune("75121"))"), Catch::Contains("no commune with INSEE code 75121"));
}

TEST_CASE("a name written without its article finds the commune that has one", "[resolve]")
{
    CHECK(codes(R"(commune("Œuf"))") == V{"99004"});
    CHECK(codes(R"x(commune("Oeuf (L')"))x") == V{"99004"});
    const CommuneLayer layer = layer_of({{"21120", "La Bussière-sur-Ouche"}, {"21254", "L'Étang-Vergy"}});
    CHECK(codes_in(layer, R"(commune("Bussière-s/-Ouche", "Etang-Vergy"))") == V{"21120", "21254"});
}

TEST_CASE("suggestions for an unknown name put communes of the expression's département first", "[resolve]")
{
    CHECK_THROWS_WITH(codes(R"(commune("98001", "Saint-Gama"))"), Catch::Contains("did you mean \"Saint-Gamma\" (98001), \"Saint-Gamma\" (99003)"));
    CHECK_THROWS_WITH(codes(R"(commune("99001", "Saint-Gama"))"), Catch::Contains("did you mean \"Saint-Gamma\" (99003), \"Saint-Gamma\" (98001)"));
}

TEST_CASE("with a commune history, old codes and names resolve to today's commune with a warning", "[resolve][history]")
{
    // Invented rows in INSEE's form: Zeta (99009) merged into Alpha (99001) on 2019-01-01.
    const CommuneHistory history({{32, "2019-01-01", "COM", "99009", "Zeta", "COM", "99001", "Alpha"},
                                  {32, "2019-01-01", "COM", "99009", "Zeta", "COMD", "99009", "Zeta"}},
                                 "test history");
    std::vector<std::string> warnings;
    CHECK(codes_in(synthetic_layer(), R"(commune("99009"))", &warnings, &history) == V{"99001"});
    REQUIRE(warnings.size() == 1);
    CHECK_THAT(warnings[0], Catch::Contains("99009 Zeta → 99001 Alpha (merged 2019-01-01)"));
    CHECK(codes_in(synthetic_layer(), R"(commune("zeta"))", &warnings, &history) == V{"99001"});
    // Without the history, the old code is an error that says how to fix it.
    CHECK_THROWS_WITH(codes(R"(commune("99009"))"), Catch::Contains("--cog-history"));
    CHECK_THROWS_WITH(codes_in(synthetic_layer(), R"(commune("99008"))", nullptr, &history), Catch::Contains("nor in the commune history"));
}

TEST_CASE("every term records how it resolved", "[resolve]")
{
    const CommuneHistory history({{32, "2019-01-01", "COM", "99009", "Zeta", "COM", "99001", "Alpha"}}, "test history");
    Resolver resolver(synthetic_layer(), &history);
    const Resolution r = resolver.resolve(parse_definitions(R"(
[[territory]]
id = "t"
members = '''commune("99002", "Alpha", "beta les bains", "99009") + (commune("Saint-Gamma") & dep("98")) + epci("CA Essai Agglomération")'''
)",
                                                            "test.toml"));
    std::vector<std::pair<std::string, std::string>> seen; // (term, method)
    for (const auto& t : r.terms) {
        CHECK(t.territory == "t");
        seen.emplace_back(t.term, t.method);
    }
    const std::vector<std::pair<std::string, std::string>> expected = {
        {"99002", "code"},         {"Alpha", "exact name"},    {"beta les bains", "normalised name"}, {"99009", "history"},
        {"Saint-Gamma", "name scoped by the expression"},      {"98", "département"},                 {"CA Essai Agglomération", "epci"}};
    CHECK(seen == expected);
    REQUIRE(r.terms.size() == expected.size());
    CHECK(r.terms[4].communes.size() == 1);
    CHECK(synthetic_layer()[r.terms[4].communes.front()].insee == "98001");
    CHECK_THAT(r.terms[3].note, Catch::Contains("99009 Zeta → 99001 Alpha"));
}
