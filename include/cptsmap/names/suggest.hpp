#pragma once
// Closest-name suggestions for error messages ("did you mean ...?").
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace cptsmap {

// Levenshtein distance on bytes (callers pass normalised, ASCII names).
std::size_t edit_distance(std::string_view a, std::string_view b);

// The `count` candidates closest to `query` by edit distance (ties broken by candidate order, so
// callers that want "same département first" order their candidates that way). Candidates further
// than max(3, query.size()/2) edits are not suggested at all.
std::vector<std::size_t> closest(std::string_view query, const std::vector<std::string>& candidates,
                                 std::size_t count = 3);

} // namespace cptsmap
