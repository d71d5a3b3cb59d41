#include "cptsmap/names/suggest.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using cptsmap::closest;
using cptsmap::edit_distance;

TEST_CASE("edit_distance gives the classic Levenshtein values", "[names]")
{
    CHECK(edit_distance("kitten", "sitting") == 3);
    CHECK(edit_distance("sitting", "kitten") == 3);
    CHECK(edit_distance("flaw", "lawn") == 2);
    CHECK(edit_distance("commune", "comune") == 1);
    CHECK(edit_distance("epci", "epic") == 2);
}

TEST_CASE("edit_distance to or from an empty string is the other string's length", "[names]")
{
    CHECK(edit_distance("", "") == 0);
    CHECK(edit_distance("", "dijon") == 5);
    CHECK(edit_distance("dijon", "") == 5);
}

TEST_CASE("edit_distance of identical strings is zero", "[names]")
{
    CHECK(edit_distance("dijon", "dijon") == 0);
    CHECK(edit_distance("nuits saint georges", "nuits saint georges") == 0);
}

TEST_CASE("edit_distance counts single insertions, deletions and substitutions as one", "[names]")
{
    CHECK(edit_distance("beaune", "beaunes") == 1);
    CHECK(edit_distance("beaune", "baune") == 1);
    CHECK(edit_distance("beaune", "beaume") == 1);
    CHECK(edit_distance("abc", "xyz") == 3);
}

TEST_CASE("closest ranks candidates by edit distance, nearest first", "[names]")
{
    const std::vector<std::string> candidates = {"dijon", "dijonx", "dijan", "beaune", "dijjonxx"};
    // "dijon" 0, "dijonx" 1, "dijan" 1, "dijjonxx" 3; "beaune" is too far.
    const auto got = closest("dijon", candidates, 10);
    CHECK(got == std::vector<std::size_t>{0, 1, 2, 4});
}

TEST_CASE("closest returns at most count candidates", "[names]")
{
    const std::vector<std::string> candidates = {"aa", "ab", "ac", "ad", "ae"};
    CHECK(closest("aa", candidates, 2).size() == 2);
    CHECK(closest("aa", candidates, 1) == std::vector<std::size_t>{0});
    CHECK(closest("aa", candidates).size() == 3); // default count
    CHECK(closest("aa", candidates, 0).empty());
}

TEST_CASE("closest breaks ties in candidate order", "[names]")
{
    const std::vector<std::string> candidates = {"fenax", "fenay", "fenaz", "fanay"};
    // Every candidate is one edit from "fenaw" except "fanay" (two edits).
    CHECK(closest("fenaw", candidates, 3) == std::vector<std::size_t>{0, 1, 2});
    const std::vector<std::string> reversed = {"fenaz", "fenay", "fenax"};
    CHECK(closest("fenaw", reversed, 3) == std::vector<std::size_t>{0, 1, 2});
    CHECK(closest("fenaw", reversed, 1) == std::vector<std::size_t>{0});
}

TEST_CASE("closest does not suggest candidates that are too far from the query", "[names]")
{
    const std::vector<std::string> candidates = {"montbard", "chatillon sur seine", "xyz"};
    CHECK(closest("dijon", candidates).empty());
    // The limit is max(3, query length / 2): three edits is still suggested for a short query.
    CHECK(closest("abc", {"xyz"}) == std::vector<std::size_t>{0});
    CHECK(closest("abcd", {"wxyz"}).empty());
    // For a long query the limit grows with its length.
    CHECK(closest("abcdefghij", {"abcdevwxyz"}) == std::vector<std::size_t>{0}); // 5 edits, limit 5
    CHECK(closest("abcdefghij", {"abcduvwxyz"}).empty());                       // 6 edits
}

TEST_CASE("closest with no candidates suggests nothing", "[names]")
{
    CHECK(closest("dijon", {}).empty());
}
