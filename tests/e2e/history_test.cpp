// End-to-end: a membership list of 2018 (COG 2018 codes and names of Côte-d'Or and Haute-Marne)
// against the 2023 layer, with INSEE's commune history. The expected commune for each old one is
// computed geometrically (support/cog2018), not from the history.
#include "cog2018.hpp"
#include "test_support.hpp"

#include <catch2/catch.hpp>

#include <map>
#include <set>
#include <sstream>

using namespace cptsmap::test;

namespace {

// The codes `cptsmap resolve` printed.
std::set<std::string> printed_codes(const std::string& out)
{
    std::set<std::string> codes;
    std::istringstream in(out);
    for (std::string line; std::getline(in, line);) codes.insert(line.substr(0, line.find('\t')));
    return codes;
}

std::string quoted_list(const std::vector<std::string>& values)
{
    std::string out;
    for (const auto& v : values) out += (out.empty() ? "\"" : ", \"") + v + "\"";
    return out;
}

RunResult resolve(const std::string& expression, bool with_history = true)
{
    std::vector<std::string> args = {"resolve", "--communes", cote_dor_dir().string()};
    if (with_history) args.insert(args.end(), {"--cog-history", cog_history_csv()});
    args.push_back(expression);
    return run_cli(args);
}

// True if one line of `text` holds both `a` and `b`, in that order.
bool has_line_with(const std::string& text, const std::string& a, const std::string& b)
{
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        const auto at = line.find(a);
        if (at != std::string::npos && line.find(b, at) != std::string::npos) return true;
    }
    return false;
}

std::set<std::string> layer_codes()
{
    std::set<std::string> out;
    for (const auto& c : communes_2018()) out.insert(c.today);
    return out;
}

} // namespace

TEST_CASE("history: every 2018 code covers the 2023 layer exactly, and the 7 merged communes map to their communes nouvelles",
          "[e2e][history]")
{
    SKIP_WITHOUT_SHARED_DATA();
    const auto& old = communes_2018();
    REQUIRE(old.size() == 704 + 427);
    std::vector<std::string> codes;
    std::map<std::string, std::string> merged; // old code -> 2023 code covering it, for codes gone since
    for (const auto& c : old) {
        INFO(c.code << " " << c.name);
        REQUIRE_FALSE(c.today.empty());
        codes.push_back(c.code);
        if (c.today != c.code) merged[c.code] = c.today;
    }
    REQUIRE(merged.size() == 7);

    const RunResult r = resolve("commune(" + quoted_list(codes) + ")");
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const std::set<std::string> got = printed_codes(r.out);
    CHECK(got.size() == 1124);
    CHECK(got == layer_codes());
    for (const auto& [from, to] : merged) {
        INFO(from << " → " << to);
        CHECK(has_line_with(r.err, ": " + from + " ", " → " + to + " "));
    }
    CHECK_THAT(r.err, Catch::Contains("21073 Bierre-lès-Semur → 21272 Le Val-Larrey (merged 2019-01-01)"));
}

TEST_CASE("history: every 2018 name resolves to the commune that covers it today", "[e2e][history]")
{
    SKIP_WITHOUT_SHARED_DATA();
    for (const char* dep : {"21", "52"}) {
        std::vector<std::string> names;
        std::set<std::string> expected;
        for (const auto& c : communes_2018()) {
            if (c.dep != dep) continue;
            names.push_back(c.name);
            expected.insert(c.today);
        }
        // Scoped to the département: Charmes and Longchamp exist in both.
        const RunResult r = resolve("commune(" + quoted_list(names) + ") & dep(\"" + dep + "\")");
        INFO(dep << ": " << r.err);
        REQUIRE(r.exit_code == 0);
        CHECK(printed_codes(r.out) == expected);
    }
}

TEST_CASE("history: names of the 2021 announcements and of the communes they absorbed both resolve", "[e2e][history]")
{
    SKIP_WITHOUT_SHARED_DATA();
    std::map<std::string, std::string> today;
    for (const auto& c : communes_2018()) today[c.name] = c.today;
    for (const auto& [name, expected] : std::vector<std::pair<std::string, std::string>>{
             {"Valforêt", "21178"}, {"Quemigny-Poisot", today.at("Quemigny-Poisot")}, {"Neuilly-Crimolois", "21452"}, {"Crimolois", today.at("Crimolois")}}) {
        INFO(name);
        const RunResult r = resolve("commune(\"" + name + "\")");
        INFO(r.err);
        REQUIRE(r.exit_code == 0);
        CHECK(printed_codes(r.out) == std::set<std::string>{expected});
    }
}

TEST_CASE("history: without --cog-history an old code is an error that names the option", "[e2e][history]")
{
    SKIP_WITHOUT_SHARED_DATA();
    const RunResult r = resolve(R"(commune("21073"))", false);
    CHECK(r.exit_code == 1);
    CHECK_THAT(r.err, Catch::Contains("no commune with INSEE code 21073") && Catch::Contains("--cog-history"));
}
