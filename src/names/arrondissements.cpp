#include "cptsmap/names/arrondissements.hpp"

#include <array>

namespace cptsmap {

namespace {

struct City {
    const char* code;
    const char* name; // normalised
    int first;        // first arrondissement code
    int count;
};

constexpr std::array<City, 3> cities = {{
    {"75056", "paris", 75101, 20},
    {"69123", "lyon", 69381, 9},
    {"13055", "marseille", 13201, 16},
}};

} // namespace

std::vector<std::string> arrondissement_codes(const std::string& city_code)
{
    std::vector<std::string> out;
    for (const auto& c : cities) {
        if (city_code != c.code) continue;
        for (int k = 0; k < c.count; ++k) out.push_back(std::to_string(c.first + k));
    }
    return out;
}

std::optional<std::string> city_of_arrondissement(const std::string& code)
{
    if (code.size() != 5 || code.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
    const int value = std::stoi(code);
    for (const auto& c : cities)
        if (value >= c.first && value < c.first + c.count) return std::string(c.code);
    return std::nullopt;
}

std::optional<std::string> city_code_for_name(const std::string& normalised_name)
{
    for (const auto& c : cities)
        if (normalised_name == c.name) return std::string(c.code);
    return std::nullopt;
}

} // namespace cptsmap
