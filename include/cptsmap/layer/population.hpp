#pragma once
// Populations: the range a commune's population must lie in, and sums that cannot wrap. Where
// populations are read (the commune loader, --population) each value is checked against the range;
// wherever they are summed (territories, study area, départements, zones), add_population.
#include "cptsmap/layer/commune_layer.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace cptsmap {

// The largest population a commune may have: Paris, the largest, has 2.1 million; a value above is
// not a commune's population (a wrong field, a sum, a sentinel such as 9e18).
inline constexpr std::int64_t kMaxCommunePopulation = 10'000'000;

// Empty when 0 <= population <= kMaxCommunePopulation; otherwise why it is refused, for a message
// that names the commune and the file before it: "is -538392; a commune has 0 to 10,000,000
// inhabitants (Paris, the largest, 2.1 million)".
std::optional<std::string> population_out_of_range(std::int64_t population);
// The same for a value given as text that is no 64-bit integer ("1e+19").
std::string population_refusal(const std::string& value);

// a + b; throws InputError when the sum does not fit in 64 bits (it cannot with populations in
// range, short of 900 billion communes: the check is what makes it so rather than hoped).
std::int64_t add_population(std::int64_t a, std::int64_t b);

// The population of `communes`, summed with add_population.
std::int64_t population_of(const CommuneLayer& layer, const CommuneSet& communes);

} // namespace cptsmap
