#include "cptsmap/layer/population.hpp"

#include "cptsmap/error.hpp"

namespace cptsmap {

namespace {
std::string thousands_of(std::int64_t v)
{
    std::string digits = std::to_string(v);
    for (int at = static_cast<int>(digits.size()) - 3; at > 0; at -= 3) digits.insert(static_cast<std::size_t>(at), ",");
    return digits;
}
} // namespace

std::string population_refusal(const std::string& value)
{
    return "is " + value + "; a commune has 0 to " + thousands_of(kMaxCommunePopulation) + " inhabitants (Paris, the largest, 2.1 million)";
}

std::optional<std::string> population_out_of_range(std::int64_t population)
{
    if (population >= 0 && population <= kMaxCommunePopulation) return std::nullopt;
    return population_refusal(std::to_string(population));
}

std::int64_t add_population(std::int64_t a, std::int64_t b)
{
    std::int64_t sum = 0;
    if (__builtin_add_overflow(a, b, &sum)) {
        throw InputError("a sum of populations (" + std::to_string(a) + " + " + std::to_string(b) +
                         ") does not fit in 64 bits; the populations of the commune layer are not inhabitants");
    }
    return sum;
}

std::int64_t population_of(const CommuneLayer& layer, const CommuneSet& communes)
{
    std::int64_t sum = 0;
    for (CommuneIndex i : communes) sum = add_population(sum, layer[i].population);
    return sum;
}

} // namespace cptsmap
