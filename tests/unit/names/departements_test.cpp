#include "cptsmap/names/departements.hpp"

#include <catch2/catch.hpp>

#include <optional>
#include <set>
#include <string>
#include <string_view>

using cptsmap::departement_code;
using cptsmap::departement_name;
using cptsmap::departements;

namespace {
// The code found, or "<none>", so a failure shows both sides readably.
std::string code_of(std::string_view text)
{
    return departement_code(text).value_or("<none>");
}
} // namespace

TEST_CASE("departement_code accepts a département code as written", "[names]")
{
    CHECK(code_of("21") == "21");
    CHECK(code_of("52") == "52");
    CHECK(code_of("971") == "971");
    CHECK(code_of("2A") == "2A");
}

TEST_CASE("departement_code pads a one-digit code with a zero", "[names]")
{
    CHECK(code_of("1") == "01");
    CHECK(code_of("9") == "09");
}

TEST_CASE("departement_code upper-cases the Corsican codes", "[names]")
{
    CHECK(code_of("2a") == "2A");
    CHECK(code_of("2b") == "2B");
}

TEST_CASE("departement_code ignores spaces around a code", "[names]")
{
    CHECK(code_of(" 21 ") == "21");
}

TEST_CASE("departement_code finds a département by its name, however loosely written", "[names]")
{
    CHECK(code_of("Côte-d'Or") == "21");
    CHECK(code_of("cote d or") == "21");
    CHECK(code_of("COTE-D\u2019OR") == "21");
    CHECK(code_of("Haute-Marne") == "52");
    CHECK(code_of("haute marne") == "52");
    CHECK(code_of("Corse-du-Sud") == "2A");
    CHECK(code_of("La Réunion") == "974");
    CHECK(code_of("Seine-St-Denis") == "93");
}

TEST_CASE("departement_code returns nullopt for an unknown code or name", "[names]")
{
    CHECK_FALSE(departement_code("").has_value());
    CHECK_FALSE(departement_code("00").has_value());
    CHECK_FALSE(departement_code("20").has_value());
    CHECK_FALSE(departement_code("96").has_value());
    CHECK_FALSE(departement_code("975").has_value());
    CHECK_FALSE(departement_code("2C").has_value());
    CHECK_FALSE(departement_code("Bourgogne").has_value());
    CHECK_FALSE(departement_code("Marne-Haute").has_value());
}

TEST_CASE("departement_name gives the official name of a code", "[names]")
{
    CHECK(departement_name("52") == "Haute-Marne");
    CHECK(departement_name("21") == "Côte-d'Or");
    CHECK(departement_name("2B") == "Haute-Corse");
    CHECK(departement_name("976") == "Mayotte");
}

TEST_CASE("departement_name of an unknown or unpadded code is empty", "[names]")
{
    CHECK(departement_name("").empty());
    CHECK(departement_name("99").empty());
    CHECK(departement_name("1").empty());
}

TEST_CASE("the département list has the 101 départements with unique codes and names", "[names]")
{
    const auto& list = departements();
    CHECK(list.size() == 101);
    std::set<std::string> codes;
    std::set<std::string> names;
    for (const auto& d : list) {
        codes.insert(d.code);
        names.insert(d.name);
    }
    CHECK(codes.size() == list.size());
    CHECK(names.size() == list.size());
}

TEST_CASE("every département in the list is found again by its code and by its name", "[names]")
{
    for (const auto& d : departements()) {
        INFO("département " << d.code << " " << d.name);
        CHECK(code_of(d.code) == std::string(d.code));
        CHECK(code_of(d.name) == std::string(d.code));
        CHECK(departement_name(d.code) == d.name);
    }
}
