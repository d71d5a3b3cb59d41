#include "cptsmap/coverage/coverage.hpp"
#include "cptsmap/definitions/definitions_file.hpp"
#include "cptsmap/definitions/expr_parser.hpp"
#include "cptsmap/error.hpp"
#include "cptsmap/resolve/resolver.hpp"
#include "test_support.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace cptsmap;
using namespace cptsmap::test;

// commune("...", share = "label"): a commune claimed as a declared share, from the syntax to the
// coverage status.

namespace {

std::string canon(const std::string& text) { return to_string(*parse_expression(text)); }

std::string parse_error(const std::string& text)
{
    try {
        parse_expression(text);
    } catch (const DefinitionError& e) {
        return e.what();
    }
    return "";
}

// The shares of each territory, as "code:label" lists.
std::vector<std::string> shares_of(const Resolution& r, std::size_t t)
{
    std::vector<std::string> out;
    for (const auto& [i, label] : r.territories[t].shares) out.push_back(synthetic_layer()[i].insee + ":" + label);
    return out;
}

Resolution resolve(const std::string& toml)
{
    Resolver resolver(synthetic_layer());
    return resolver.resolve(parse_definitions(toml, "t.toml"));
}

} // namespace

TEST_CASE("share = \"...\" is the last argument of commune(), printed back", "[definitions][shares]")
{
    const auto e = parse_expression(R"(commune("Nice", share = "nord"))");
    REQUIRE(e->share);
    CHECK(e->share->value == "nord");
    CHECK(e->share->pos.column == 25);
    CHECK(e->args.size() == 1);
    CHECK(canon(R"(commune("A", "B", share='x') + epci("E"))") == R"((commune("A", "B", share = "x") + epci("E")))");
    CHECK_FALSE(parse_expression(R"(commune("Nice"))")->share);
}

TEST_CASE("a misplaced or malformed share is a clear error", "[definitions][shares]")
{
    CHECK_THAT(parse_error(R"(epci("X", share = "nord"))"), Catch::Contains("applies to commune() only"));
    CHECK_THAT(parse_error(R"(commune("Nice", share = "nord", "Toulon"))"), Catch::Contains("comes last"));
    CHECK_THAT(parse_error(R"(commune("Nice", share "nord"))"), Catch::Contains("expected '=' after share"));
    CHECK_THAT(parse_error(R"(commune("Nice", share = nord))"), Catch::Contains("expected a quoted label"));
    CHECK_THAT(parse_error(R"(commune("Nice", share = " "))"), Catch::Contains("empty share label"));
    CHECK_THAT(parse_error(R"(commune(share = "nord"))"), Catch::Contains("needs at least one name or code"));
}

TEST_CASE("shares through the set operators: whole wins a union, a share survives intersection and difference", "[resolve][shares]")
{
    const Resolution r = resolve(R"(
[[territory]]
id = "a"
members = 'commune("99003", share = "nord") + commune("Alpha")'
[[territory]]
id = "b"
members = 'commune("99003", share = "sud") + commune("99003")'
[[territory]]
id = "c"
members = '(commune("99003", "99001", share = "est") & dep("99")) - commune("99001")'
[[territory]]
id = "d"
members = 'territory("a")'
)");
    CHECK(shares_of(r, 0) == std::vector<std::string>{"99003:nord"});
    CHECK(shares_of(r, 1).empty()); // claimed whole as well: whole
    CHECK(shares_of(r, 2) == std::vector<std::string>{"99003:est"});
    CHECK(shares_of(r, 3) == std::vector<std::string>{"99003:nord"});
}

TEST_CASE("coverage: a commune every claimant shares is shared, claimed whole by one, an overlap", "[coverage][shares]")
{
    const auto code = [](const std::string& c) { return *synthetic_layer().find_code(c); };
    const Resolution r = resolve(R"(
[study_area]
members = 'dep("99")'
[[territory]]
id = "north"
members = 'commune("99003", share = "nord") + commune("99001", share = "ouest")'
[[territory]]
id = "south"
members = 'commune("99003", share = "sud") + commune("99001")'
[[territory]]
id = "east"
members = 'commune("99002", share = "est")'
)");
    const Coverage c = compute_coverage(synthetic_layer(), r);
    CHECK(c.status[code("99003")] == CoverageStatus::Shared);
    CHECK(c.shared == CommuneSet{code("99003")});
    CHECK(c.status[code("99001")] == CoverageStatus::Overlap); // a share here, whole there: a conflict
    CHECK(c.overlaps == CommuneSet{code("99001")});
    CHECK(c.status[code("99002")] == CoverageStatus::Covered); // one share, no other claimant
    // Population counted once: 99001 1,000 + 99002 2,000 + 99003 3,000.
    CHECK(c.study_area.covered_population == 6000);
    CHECK(std::string(to_string(CoverageStatus::Shared)) == "shared");
}
