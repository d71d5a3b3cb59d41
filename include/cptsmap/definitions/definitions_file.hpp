#pragma once
// Territory definitions, as written in a TOML file:
//
//   [study_area]
//   members = 'dep("21")'
//
//   [[territory]]
//   id = "centre-21"
//   name = "CPTS Centre 21"
//   members = '''epci("Dijon Métropole") - commune("Fénay")'''
#include "cptsmap/definitions/expr.hpp"

#include <string>
#include <vector>

namespace cptsmap {

struct TerritoryDef {
    std::string id;
    std::string name;
    ExprPtr members;
    SourcePos pos; // where [[territory]] starts
};

struct Definitions {
    std::string file;
    ExprPtr study_area; // null: the départements the territories touch
    std::vector<TerritoryDef> territories;
    std::vector<std::string> warnings;
};

// Reads and parses a definitions file. Throws DefinitionError with file:line:column.
Definitions load_definitions(const std::string& path);
// Same, from text already in memory (`path` is used in messages only).
Definitions parse_definitions(const std::string& text, const std::string& path);

} // namespace cptsmap
