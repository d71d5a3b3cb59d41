#include "cptsmap/definitions/definitions_file.hpp"

#include "cptsmap/error.hpp"
#include "test_support.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

using cptsmap::Definitions;
using cptsmap::DefinitionError;
using cptsmap::Expr;
using cptsmap::load_definitions;
using cptsmap::parse_definitions;

namespace {

const std::string kFile = "defs.toml";

bool any_contains(const std::vector<std::string>& lines, const std::string& what)
{
    return std::any_of(lines.begin(), lines.end(), [&](const std::string& l) { return l.find(what) != std::string::npos; });
}

} // namespace

// ---- reading what is there ---------------------------------------------------------------------

TEST_CASE("parse_definitions reads the study area and the territories in file order", "[definitions]")
{
    const std::string text = "# CPTS of Côte-d'Or\n"
                             "[study_area]\n"
                             "members = 'dep(\"21\")'\n"
                             "\n"
                             "[[territory]]\n"
                             "id = \"centre-21\"\n"
                             "name = \"CPTS Centre 21\"\n"
                             "members = '''\n"
                             "epci(\"Dijon Métropole\")\n"
                             "  - commune(\"Fénay\")\n"
                             "'''\n"
                             "\n"
                             "[[territory]]\n"
                             "id = \"sud-21\"\n"
                             "name = \"CPTS Sud Côte-d'Or\"\n"
                             "members = 'commune(\"Fénay\") + commune(\"Beaune\")'\n"
                             "\n"
                             "[[territory]]\n"
                             "id = \"nord-21\"\n"
                             "name = \"CPTS Nord\"\n"
                             "members = 'epci(\"CC du Montbardois\")'\n";
    const Definitions defs = parse_definitions(text, kFile);
    CHECK(defs.file == kFile);
    CHECK(defs.warnings.empty());
    REQUIRE(defs.study_area != nullptr);
    CHECK(cptsmap::to_string(*defs.study_area) == R"(dep("21"))");
    REQUIRE(defs.territories.size() == 3);
    CHECK(defs.territories[0].id == "centre-21");
    CHECK(defs.territories[0].name == "CPTS Centre 21");
    REQUIRE(defs.territories[0].members != nullptr);
    CHECK(cptsmap::to_string(*defs.territories[0].members) == R"((epci("Dijon Métropole") - commune("Fénay")))");
    CHECK(defs.territories[1].id == "sud-21");
    CHECK(defs.territories[1].name == "CPTS Sud Côte-d'Or");
    CHECK(cptsmap::to_string(*defs.territories[1].members) == R"((commune("Fénay") + commune("Beaune")))");
    CHECK(defs.territories[2].id == "nord-21");
    CHECK(cptsmap::to_string(*defs.territories[2].members) == R"(epci("CC du Montbardois"))");
}

TEST_CASE("a territory without a name is named after its id", "[definitions]")
{
    const Definitions defs = parse_definitions("[[territory]]\nid = \"sud-21\"\nmembers = 'dep(\"21\")'\n", kFile);
    REQUIRE(defs.territories.size() == 1);
    CHECK(defs.territories[0].id == "sud-21");
    CHECK(defs.territories[0].name == "sud-21");
}

TEST_CASE("without a study_area the study area is left null", "[definitions]")
{
    const Definitions defs = parse_definitions("[[territory]]\nid = \"a\"\nmembers = 'all()'\n", kFile);
    CHECK(defs.study_area == nullptr);
    CHECK(defs.territories.size() == 1);
}

TEST_CASE("territories may be written as an array of inline tables", "[definitions]")
{
    const Definitions defs =
        parse_definitions("territory = [ { id = \"a\", members = 'dep(\"21\")' }, { id = \"b\", members = 'dep(\"52\")' } ]\n", kFile);
    REQUIRE(defs.territories.size() == 2);
    CHECK(defs.territories[0].id == "a");
    CHECK(defs.territories[1].id == "b");
    CHECK(cptsmap::to_string(*defs.territories[1].members) == R"(dep("52"))");
}

TEST_CASE("a territory's position is where its [[territory]] starts", "[definitions]")
{
    const Definitions defs =
        parse_definitions("[study_area]\nmembers = 'all()'\n\n[[territory]]\nid = \"a\"\nmembers = 'all()'\n", kFile);
    REQUIRE(defs.territories.size() == 1);
    CHECK(defs.territories[0].pos.file == kFile);
    CHECK(defs.territories[0].pos.line == 4);
}

// ---- positions of expressions ------------------------------------------------------------------

TEST_CASE("positions in a single-line members string point into the file", "[definitions]")
{
    const Definitions defs = parse_definitions("[[territory]]\n"
                                               "id = \"a\"\n"
                                               "members = 'dep(\"21\") - commune(\"Fénay\")'\n",
                                               kFile);
    const Expr& e = *defs.territories.at(0).members;
    REQUIRE(e.kind == Expr::Kind::Difference);
    CHECK(e.left->pos.file == kFile);
    CHECK(e.left->pos.line == 3);
    CHECK(e.left->pos.column == 12); // just after the opening quote
    CHECK(e.left->args.at(0).pos.column == 16);
    CHECK(e.pos.column == 22);
    CHECK(e.right->pos.column == 24);
    CHECK(e.right->args.at(0).pos.column == 32);
}

TEST_CASE("positions in the study area's members string point into the file", "[definitions]")
{
    const Definitions defs =
        parse_definitions("\n[study_area]\n  members   =   \"dep('21')\"\n[[territory]]\nid = \"a\"\nmembers = 'all()'\n", kFile);
    REQUIRE(defs.study_area != nullptr);
    CHECK(defs.study_area->pos.line == 3);
    CHECK(defs.study_area->pos.column == 18);
    CHECK(defs.study_area->args.at(0).pos.column == 22);
}

TEST_CASE("positions in a multi-line members string opening with a newline start on the next line", "[definitions]")
{
    const Definitions defs = parse_definitions("[[territory]]\n"
                                               "id = \"a\"\n"
                                               "members = '''\n"
                                               "epci(\"Dijon Métropole\")\n"
                                               "  - commune(\"Fénay\")\n"
                                               "'''\n",
                                               kFile);
    const Expr& e = *defs.territories.at(0).members;
    REQUIRE(e.kind == Expr::Kind::Difference);
    CHECK(e.left->pos.line == 4);
    CHECK(e.left->pos.column == 1);
    CHECK(e.left->args.at(0).pos.column == 6);
    CHECK(e.pos.line == 5);
    CHECK(e.pos.column == 3);
    CHECK(e.right->pos.line == 5);
    CHECK(e.right->pos.column == 5);
    CHECK(e.right->args.at(0).pos.line == 5);
    CHECK(e.right->args.at(0).pos.column == 13);
}

TEST_CASE("an unknown selector on the third line of a multi-line members string is reported at its file line and column",
          "[definitions]")
{
    const std::string text = "[study_area]\n"
                             "members = 'dep(\"21\")'\n"
                             "\n"
                             "[[territory]]\n"
                             "id = \"centre-21\"\n"
                             "members = '''\n"
                             "epci(\"Dijon Métropole\")\n"
                             "  - commune(\"Fénay\")\n"
                             "  + comune(\"Sennecey-lès-Dijon\")\n"
                             "'''\n";
    CHECK_THROWS_AS(parse_definitions(text, kFile), DefinitionError);
    CHECK_THROWS_WITH(parse_definitions(text, kFile),
                      Catch::StartsWith("defs.toml:9:5: unknown selector 'comune'") && Catch::Contains("did you mean commune()?"));
}

TEST_CASE("positions in a multi-line members string starting on the opening line follow the quotes", "[definitions]")
{
    const std::string text = "[[territory]]\n"
                             "id = \"a\"\n"
                             "members = '''dep(\"21\")\n"
                             "  - comune(\"Fénay\")'''\n";
    CHECK_THROWS_WITH(parse_definitions(text, kFile), Catch::StartsWith("defs.toml:4:5: unknown selector"));
    const Definitions defs = parse_definitions("[[territory]]\nid = \"a\"\nmembers = '''dep(\"21\")'''\n", kFile);
    CHECK(defs.territories.at(0).members->pos.line == 3);
    CHECK(defs.territories.at(0).members->pos.column == 14);
}

TEST_CASE("positions in a multi-line basic string opening with a newline start on the next line", "[definitions]")
{
    const std::string text = "[[territory]]\n"
                             "id = \"a\"\n"
                             "members = \"\"\"\n"
                             "dep('21')\n"
                             "  - comune('Fénay')\n"
                             "\"\"\"\n";
    CHECK_THROWS_WITH(parse_definitions(text, kFile), Catch::StartsWith("defs.toml:5:5: unknown selector"));
}

TEST_CASE("an expression error in a single-line members string is reported at its file column", "[definitions]")
{
    const std::string text = "[[territory]]\nid = \"a\"\nmembers = 'dep(\"21\") + comune(\"b\")'\n";
    CHECK_THROWS_AS(parse_definitions(text, kFile), DefinitionError);
    CHECK_THROWS_WITH(parse_definitions(text, kFile), Catch::StartsWith("defs.toml:3:24: unknown selector 'comune'"));
}

TEST_CASE("positions after non-ASCII characters earlier on the line count characters", "[definitions]")
{
    const std::string text = "territory = [ { id = \"Fénay\", members = 'comune(\"x\")' } ]\n";
    CHECK_THROWS_WITH(parse_definitions(text, kFile), Catch::StartsWith("defs.toml:1:42: unknown selector"));
}

TEST_CASE("positions are right in a file with Windows line endings", "[definitions]")
{
    const std::string text = "[[territory]]\r\n"
                             "id = \"a\"\r\n"
                             "members = '''\r\n"
                             "dep(\"21\")\r\n"
                             "  - comune(\"Fénay\")\r\n"
                             "'''\r\n";
    CHECK_THROWS_WITH(parse_definitions(text, kFile), Catch::StartsWith("defs.toml:5:5: unknown selector"));
}

// ---- errors ------------------------------------------------------------------------------------

TEST_CASE("a TOML syntax error is reported with its line and column", "[definitions]")
{
    const std::string text = "[[territory]]\nid = \"a\nmembers = 'all()'\n";
    CHECK_THROWS_AS(parse_definitions(text, kFile), DefinitionError);
    CHECK_THROWS_WITH(parse_definitions(text, kFile), Catch::StartsWith("defs.toml:2:") && Catch::Contains("TOML syntax error"));
    CHECK_THROWS_WITH(parse_definitions("[[territory]]\nid = \"a\"\nmembers = 'all()'\nname\n", kFile),
                      Catch::StartsWith("defs.toml:4:") && Catch::Contains("TOML syntax error"));
}

TEST_CASE("a territory without an id is rejected", "[definitions]")
{
    const std::string text = "[[territory]]\nname = \"CPTS\"\nmembers = 'all()'\n";
    CHECK_THROWS_AS(parse_definitions(text, kFile), DefinitionError);
    CHECK_THROWS_WITH(parse_definitions(text, kFile), Catch::StartsWith("defs.toml:1:") && Catch::Contains("has no 'id'"));
}

TEST_CASE("a territory with an empty id is rejected", "[definitions]")
{
    const std::string text = "[[territory]]\nid = \"\"\nmembers = 'all()'\n";
    CHECK_THROWS_AS(parse_definitions(text, kFile), DefinitionError);
    CHECK_THROWS_WITH(parse_definitions(text, kFile), Catch::Contains("id must not be empty"));
}

TEST_CASE("a territory without members is rejected", "[definitions]")
{
    const std::string text = "[[territory]]\nid = \"sud-21\"\n";
    CHECK_THROWS_AS(parse_definitions(text, kFile), DefinitionError);
    CHECK_THROWS_WITH(parse_definitions(text, kFile),
                      Catch::StartsWith("defs.toml:1:") && Catch::Contains("territory \"sud-21\" has no 'members'"));
}

TEST_CASE("a study area without members is rejected", "[definitions]")
{
    const std::string text = "[study_area]\nmember = 'dep(\"21\")'\n[[territory]]\nid = \"a\"\nmembers = 'all()'\n";
    CHECK_THROWS_AS(parse_definitions(text, kFile), DefinitionError);
    CHECK_THROWS_WITH(parse_definitions(text, kFile), Catch::Contains("[study_area] has no 'members'"));
}

TEST_CASE("two territories with the same id are rejected at the second one", "[definitions]")
{
    const std::string text = "[[territory]]\nid = \"sud-21\"\nmembers = 'all()'\n\n"
                             "[[territory]]\nid = \"sud-21\"\nmembers = 'dep(\"21\")'\n";
    CHECK_THROWS_AS(parse_definitions(text, kFile), DefinitionError);
    CHECK_THROWS_WITH(parse_definitions(text, kFile),
                      Catch::StartsWith("defs.toml:5:") && Catch::Contains("\"sud-21\" is defined twice"));
}

TEST_CASE("[territory] written instead of [[territory]] is rejected with the fix", "[definitions]")
{
    const std::string text = "[territory]\nid = \"a\"\nmembers = 'all()'\n";
    CHECK_THROWS_AS(parse_definitions(text, kFile), DefinitionError);
    CHECK_THROWS_WITH(parse_definitions(text, kFile),
                      Catch::StartsWith("defs.toml:1:") && Catch::Contains("write [[territory]], not [territory]"));
}

TEST_CASE("a file without any territory is rejected", "[definitions]")
{
    CHECK_THROWS_AS(parse_definitions("[study_area]\nmembers = 'dep(\"21\")'\n", kFile), DefinitionError);
    CHECK_THROWS_WITH(parse_definitions("[study_area]\nmembers = 'dep(\"21\")'\n", kFile),
                      Catch::StartsWith("defs.toml") && Catch::Contains("no [[territory]] defined"));
    CHECK_THROWS_WITH(parse_definitions("", kFile), Catch::Contains("no [[territory]] defined"));
    CHECK_THROWS_WITH(parse_definitions("# only a comment\n", kFile), Catch::Contains("no [[territory]] defined"));
}

TEST_CASE("members that are not a string are rejected at the value", "[definitions]")
{
    const std::string text = "[[territory]]\nid = \"a\"\nmembers = 21\n";
    CHECK_THROWS_AS(parse_definitions(text, kFile), DefinitionError);
    CHECK_THROWS_WITH(parse_definitions(text, kFile),
                      Catch::StartsWith("defs.toml:3:11") && Catch::Contains("'members' of territory \"a\" must be a string"));
    CHECK_THROWS_WITH(parse_definitions("[[territory]]\nid = \"a\"\nmembers = ['dep(\"21\")']\n", kFile),
                      Catch::Contains("must be a string"));
}

TEST_CASE("an id or a name that is not a string is rejected", "[definitions]")
{
    CHECK_THROWS_AS(parse_definitions("[[territory]]\nid = 21\nmembers = 'all()'\n", kFile), DefinitionError);
    CHECK_THROWS_WITH(parse_definitions("[[territory]]\nid = 21\nmembers = 'all()'\n", kFile),
                      Catch::StartsWith("defs.toml:2:6") && Catch::Contains("'id' of [[territory]] must be a string"));
    CHECK_THROWS_WITH(parse_definitions("[[territory]]\nid = \"a\"\nname = true\nmembers = 'all()'\n", kFile),
                      Catch::StartsWith("defs.toml:3:8") && Catch::Contains("'name' of territory \"a\" must be a string"));
}

TEST_CASE("a study_area that is not a table is rejected", "[definitions]")
{
    const std::string text = "study_area = 'dep(\"21\")'\n[[territory]]\nid = \"a\"\nmembers = 'all()'\n";
    CHECK_THROWS_AS(parse_definitions(text, kFile), DefinitionError);
    CHECK_THROWS_WITH(parse_definitions(text, kFile), Catch::StartsWith("defs.toml:1:") && Catch::Contains("study_area must be a table"));
}

TEST_CASE("an expression error in members is a DefinitionError naming the file", "[definitions]")
{
    const std::string text = "[[territory]]\nid = \"a\"\nmembers = 'commune()'\n";
    CHECK_THROWS_AS(parse_definitions(text, kFile), DefinitionError);
    CHECK_THROWS_WITH(parse_definitions(text, kFile), Catch::StartsWith("defs.toml:3:12") && Catch::Contains("needs at least one"));
}

// ---- warnings ----------------------------------------------------------------------------------

TEST_CASE("unknown keys are warnings, not errors", "[definitions]")
{
    const std::string text = "title = \"CPTS 21\"\n"
                             "\n"
                             "[[territory]]\n"
                             "id = \"a\"\n"
                             "colour = \"red\"\n"
                             "members = 'all()'\n";
    Definitions defs;
    REQUIRE_NOTHROW(defs = parse_definitions(text, kFile));
    REQUIRE(defs.territories.size() == 1);
    CHECK(defs.warnings.size() == 2);
    CHECK(any_contains(defs.warnings, "unknown key 'title'"));
    CHECK(any_contains(defs.warnings, "defs.toml:1:"));
    CHECK(any_contains(defs.warnings, "unknown key 'colour' in territory \"a\""));
    CHECK(any_contains(defs.warnings, "defs.toml:5:"));
}

TEST_CASE("a misspelt [[territory]] header gives a warning as well as the missing-territory error", "[definitions]")
{
    const std::string text = "[[territories]]\nid = \"a\"\nmembers = 'all()'\n";
    CHECK_THROWS_WITH(parse_definitions(text, kFile), Catch::Contains("no [[territory]] defined"));
    const Definitions defs = parse_definitions(text + "[[territory]]\nid = \"b\"\nmembers = 'all()'\n", kFile);
    CHECK(any_contains(defs.warnings, "unknown key 'territories'"));
}

// ---- load_definitions --------------------------------------------------------------------------

TEST_CASE("load_definitions on a missing file names the path", "[definitions]")
{
    cptsmap::test::TempDir dir;
    const std::string path = (dir / "no-such-file.toml").string();
    CHECK_THROWS_AS(load_definitions(path), DefinitionError);
    CHECK_THROWS_WITH(load_definitions(path), Catch::Contains(path) && Catch::Contains("cannot read"));
}

TEST_CASE("load_definitions on a folder says it is a folder, not that territories are missing", "[definitions]")
{
    cptsmap::test::TempDir dir;
    const std::string path = dir.path().string();
    CHECK_THROWS_AS(load_definitions(path), DefinitionError);
    CHECK_THROWS_WITH(load_definitions(path), Catch::Contains(path) && Catch::Contains("is a folder") &&
                                                  !Catch::Contains("no [[territory]]"));
}

TEST_CASE("load_definitions reads a file written on disk and reports positions with its path", "[definitions]")
{
    cptsmap::test::TempDir dir;
    const std::string path = (dir / "cpts.toml").string();
    cptsmap::test::write_file(path, "[study_area]\n"
                                    "members = 'dep(\"21\")'\n"
                                    "\n"
                                    "[[territory]]\n"
                                    "id = \"centre-21\"\n"
                                    "members = '''\n"
                                    "epci(\"Dijon Métropole\") - commune(\"Fénay\")\n"
                                    "'''\n");
    const Definitions defs = load_definitions(path);
    CHECK(defs.file == path);
    REQUIRE(defs.study_area != nullptr);
    CHECK(cptsmap::to_string(*defs.study_area) == R"(dep("21"))");
    REQUIRE(defs.territories.size() == 1);
    CHECK(defs.territories[0].name == "centre-21");
    const Expr& e = *defs.territories[0].members;
    CHECK(cptsmap::to_string(e) == R"((epci("Dijon Métropole") - commune("Fénay")))");
    CHECK(e.right->pos.str() == path + ":7:27");
}

TEST_CASE("load_definitions reports errors in the file with its path", "[definitions]")
{
    cptsmap::test::TempDir dir;
    const std::string path = (dir / "bad.toml").string();
    cptsmap::test::write_file(path, "[[territory]]\nid = \"a\"\nmembers = 'comune(\"x\")'\n");
    CHECK_THROWS_AS(load_definitions(path), DefinitionError);
    CHECK_THROWS_WITH(load_definitions(path), Catch::StartsWith(path + ":3:12: unknown selector"));
}

TEST_CASE("a string left open is said to be not closed rather than to hold control characters", "[definitions]")
{
    CHECK_THROWS_WITH(cptsmap::parse_definitions("[[territory]]\nid = \"x\nmembers = 'all()'\n", "d.toml"),
                      Catch::Contains("d.toml:2:8: TOML syntax error: the string is not closed on its line; a string in \"...\" or '...' ends on "
                                      "the line it starts"));
    CHECK_THROWS_WITH(cptsmap::parse_definitions("[[territory]]\nid = 'x\r\nmembers = 'all()'\n", "d.toml"), Catch::Contains("not closed on its line"));
    CHECK_THROWS_WITH(cptsmap::parse_definitions("[[territory]]\nid = \"x\"\nmembers = '''all()\n", "d.toml"),
                      Catch::Contains("TOML syntax error: the file ends inside a string"));
    // A control character inside a line keeps toml++'s own words.
    CHECK_THROWS_WITH(cptsmap::parse_definitions("[[territory]]\nid = \"x\x01y\"\n", "d.toml"), Catch::Contains("control characters"));
}
