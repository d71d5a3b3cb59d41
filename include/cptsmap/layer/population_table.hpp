#pragma once
// INSEE's légal populations of any year (`--population FILE`), in place of the commune layer's
// POPULATION: a figure from a 2021 announcement can be checked against the census it used.
// Read as INSEE publishes them (donnees_communes, semicolon-separated), whatever the vintage: the
// code is COM when it is one (2019, 2021 on), else CODDEP + CODCOM (2020, where COM is the name);
// the population is PMUN, the municipal population.
#include "cptsmap/layer/commune_layer.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace cptsmap {

struct PopulationTable {
    std::string source;
    std::optional<int> year;                     // the vintage, from the file name (millesime2021)
    std::map<std::string, std::int64_t> by_code; // INSEE code → municipal population
};

// Throws InputError naming the file and the columns it has when it cannot be read.
PopulationTable load_population_table(const std::string& path);

// Replaces the population of every commune the table holds; a city without a row (Paris, Lyon,
// Marseille: INSEE lists their arrondissements) takes the sum of its arrondissements'. The others
// keep the layer's, said in one warning with examples. Records the table in layer.population.
void apply_population_table(CommuneLayer& layer, const PopulationTable& table);

} // namespace cptsmap
