#pragma once
// Paris, Lyon and Marseille: one commune (75056, 69123, 13055) made of municipal arrondissements
// (75101-75120, 69381-69389, 13201-13216), each with its own INSEE code. A layer holds either the
// cities or their arrondissements; a list may name either.
#include <optional>
#include <string>
#include <vector>

namespace cptsmap {

// The arrondissement codes of a city code ("75056" → 75101...75120); empty for any other code.
std::vector<std::string> arrondissement_codes(const std::string& city_code);
// The city code of an arrondissement code ("69383" → "69123"); nullopt for any other code.
std::optional<std::string> city_of_arrondissement(const std::string& code);
// The city code for a normalised city name ("paris", "lyon", "marseille"); nullopt otherwise.
std::optional<std::string> city_code_for_name(const std::string& normalised_name);

} // namespace cptsmap
