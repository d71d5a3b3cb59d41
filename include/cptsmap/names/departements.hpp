#pragma once
// The French départements of the COG (code and name), so dep("Côte-d'Or") works as well as dep("21").
// ADMIN EXPRESS's DEPARTEMENT layer carries codes only; the 101 names are a fixed official list.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cptsmap {

struct Departement {
    const char* code;
    const char* name;
};

const std::vector<Departement>& departements();
// Name of a département code ("21" → "Côte-d'Or"); "" when unknown.
std::string departement_name(std::string_view code);
// Name of a région code of the COG ("27" → "Bourgogne-Franche-Comté", "02" → "Martinique"); ""
// when unknown.
std::string region_name(std::string_view code);
// Code of a département given by code ("21", "1" → "01", "2a" → "2A") or by name; nullopt if unknown.
std::optional<std::string> departement_code(std::string_view code_or_name);

} // namespace cptsmap
